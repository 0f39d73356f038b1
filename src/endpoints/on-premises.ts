/**
 * Exchange Server client endpoints: what each server publishes in its POP3/IMAP4
 * ExternalConnectionSettings (`HostName:Port[:SSL|TLS]`; no third part = unencrypted).
 */
import type { Protocol } from '../model/types';
import type { ClientEndpoint, EndpointProtocol, Encryption } from './types';

export interface ParsedConnectionSetting {
  readonly host: string;
  readonly port: number;
  readonly encryption: Encryption;
}

const ENCRYPTION_BY_SUFFIX: Readonly<Record<string, Encryption>> = {
  SSL: 'SSL/TLS',
  TLS: 'STARTTLS',
};

/** Parses one `host:port[:SSL|TLS]` entry; throws on anything else. */
export function parseConnectionSetting(entry: string): ParsedConnectionSetting {
  const parts = entry.trim().split(':');
  let encryption: Encryption = 'none (plain text)';
  const last = parts[parts.length - 1] ?? '';
  const suffix = ENCRYPTION_BY_SUFFIX[last.toUpperCase()];
  if (suffix !== undefined) {
    encryption = suffix;
    parts.pop();
  }
  const portText = parts.pop() ?? '';
  const host = parts.join(':');
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (host === '' || !(port >= 1 && port <= 65535)) {
    throw new Error(`connection setting "${entry}" is not HostName:Port[:SSL|TLS]`);
  }
  return { host, port, encryption };
}

/** The part of a server's policy (or its read-back settings) this module looks at. */
export interface ServerConnectionSettings {
  readonly name: string;
  readonly pop3?: { readonly settings?: { readonly externalConnectionSettings?: readonly string[] } };
  readonly imap4?: { readonly settings?: { readonly externalConnectionSettings?: readonly string[] } };
}

const ENDPOINT_PROTOCOL: Readonly<Record<Protocol, EndpointProtocol>> = { pop3: 'POP3', imap4: 'IMAP4' };

/**
 * The endpoint table of an on-premises organisation. Servers behind one namespace publish the
 * same entries: each (protocol, host, port, encryption) appears once, in first-seen order.
 */
export function onPremisesEndpoints(servers: readonly ServerConnectionSettings[]): readonly ClientEndpoint[] {
  const rows: ClientEndpoint[] = [];
  const seen = new Set<string>();
  for (const protocol of ['pop3', 'imap4'] as const) {
    for (const server of servers) {
      for (const entry of server[protocol]?.settings?.externalConnectionSettings ?? []) {
        const parsed = parseConnectionSetting(entry);
        const key = `${protocol}\n${parsed.host.toLowerCase()}\n${parsed.port}\n${parsed.encryption}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({
          protocol: ENDPOINT_PROTOCOL[protocol],
          server: parsed.host,
          port: parsed.port,
          encryption: parsed.encryption,
          legacy: false,
          verified: true,
        });
      }
    }
  }
  return rows;
}
