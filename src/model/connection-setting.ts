/**
 * Set-PopSettings/Set-ImapSettings connection settings (`host:port[:SSL|TLS]`) and bindings
 * (`IP:port`), parsed once for the loader and anyone downstream.
 */

export type Encryption = 'SSL' | 'TLS';

export interface ConnectionSetting {
  readonly host: string;
  readonly port: number;
  /** Absent: unencrypted (plain text, or a client that never asks for STARTTLS). */
  readonly encryption?: Encryption;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

const HOST = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/;

function parsePort(text: string): Parsed<number> {
  if (!/^[0-9]+$/.test(text)) return { ok: false, error: `port "${text}" is not a number` };
  const port = Number(text);
  if (port < 1 || port > 65535) return { ok: false, error: `port ${port} is outside 1-65535` };
  return { ok: true, value: port };
}

/** Parses `host:port`, `host:port:SSL` or `host:port:TLS`; errors say how to fix the entry. */
export function parseConnectionSetting(entry: string): Parsed<ConnectionSetting> {
  const parts = entry.split(':');
  const [host = '', portText, encryption] = parts;
  if (parts.length < 2 || parts.length > 3) {
    return { ok: false, error: `"${entry}" is not host:port, host:port:SSL or host:port:TLS (e.g. mail.contoso.com:995:SSL)` };
  }
  if (!HOST.test(host)) return { ok: false, error: `"${entry}": "${host}" is not a host name` };
  const port = parsePort(portText ?? '');
  if (!port.ok) return { ok: false, error: `"${entry}": ${port.error}` };
  if (encryption === undefined) return { ok: true, value: { host, port: port.value } };
  if (encryption === '') {
    return { ok: false, error: `"${entry}" ends with an empty encryption part: write "${host}:${portText}" for unencrypted, or end it with :SSL or :TLS` };
  }
  const upper = encryption.toUpperCase();
  if (upper !== 'SSL' && upper !== 'TLS') return { ok: false, error: `"${entry}": encryption must be SSL or TLS, not "${encryption}"` };
  if (upper !== encryption) return { ok: false, error: `"${entry}": write the encryption in capitals: "${host}:${portText}:${upper}"` };
  return { ok: true, value: { host, port: port.value, encryption: upper } };
}

/** The string form Exchange prints for a connection setting. */
export function formatConnectionSetting(setting: ConnectionSetting): string {
  return `${setting.host}:${setting.port}${setting.encryption ? `:${setting.encryption}` : ''}`;
}

export interface Binding {
  readonly address: string;
  readonly port: number;
}

/** Parses `IP:port` (IPv6 in brackets: `[::]:995`). */
export function parseBinding(entry: string): Parsed<Binding> {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[0-9]{1,3}(?:\.[0-9]{1,3}){3}):([0-9]+)$/.exec(entry);
  if (!match) return { ok: false, error: `"${entry}" is not IP:port (e.g. 0.0.0.0:995, or [::]:995 for IPv6)` };
  const port = parsePort(match[2] as string);
  if (!port.ok) return { ok: false, error: `"${entry}": ${port.error}` };
  return { ok: true, value: { address: match[1] as string, port: port.value } };
}

/** Whether a certificate name covers a host: the same name, or `*.suffix` for exactly one more label. */
export function certificateCoversHost(certificateName: string, host: string): boolean {
  const name = certificateName.toLowerCase();
  const target = host.toLowerCase();
  if (!name.startsWith('*.')) return name === target;
  const dot = target.indexOf('.');
  return dot > 0 && target.slice(dot + 1) === name.slice(2);
}
