/** The on-premises POP3/IMAP4 blocks of a document, flattened for rules that look at each one. */
import type { JsonPointer, MailPolicy, Protocol, ProtocolPolicy } from '../model/types';
import { PROTOCOLS } from '../model/types';
import { pointer } from './pointer';

export interface ServerProtocol {
  readonly server: string;
  readonly protocol: Protocol;
  readonly block: ProtocolPolicy;
  /** Pointer to the block, e.g. `/servers/0/pop3`. */
  readonly at: JsonPointer;
}

export function serverProtocols(policy: MailPolicy): readonly ServerProtocol[] {
  const out: ServerProtocol[] = [];
  (policy.servers ?? []).forEach((server, s) => {
    for (const protocol of PROTOCOLS) {
      const block = server[protocol];
      if (block) out.push({ server: server.name, protocol, block, at: pointer('servers', s, protocol) });
    }
  });
  return out;
}

export type Encryption = 'SSL' | 'TLS' | 'none';

export interface ConnectionSetting {
  readonly host: string;
  readonly port: number;
  readonly encryption: Encryption;
}

const CONNECTION_SETTING = /^(.+):(\d{1,5})(?::(SSL|TLS))?$/i;

/** Parses `host:port[:SSL|TLS]`; undefined when malformed (the loader reports those). */
export function parseConnectionSetting(text: string): ConnectionSetting | undefined {
  const m = CONNECTION_SETTING.exec(text.trim());
  if (!m) return undefined;
  const encryption = m[3] ? (m[3].toUpperCase() as 'SSL' | 'TLS') : 'none';
  return { host: m[1], port: Number(m[2]), encryption };
}

/** The port of an `IP:Port` binding (`[::]:995`, `0.0.0.0:995`). */
export function bindingPort(text: string): number | undefined {
  const m = /:(\d{1,5})$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}
