/** The on-premises POP3/IMAP4 blocks of a document, flattened for rules that look at each one. */
import type { JsonPointer, MailPolicy, Protocol, ProtocolPolicy } from '../model/types';
import { PROTOCOLS } from '../model/types';
import { parseConnectionSetting, type ConnectionSetting } from '../model/connection-setting';
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

/** A connection setting as the model parses it; undefined when malformed (the loader reports those). */
export function connectionSetting(entry: string): ConnectionSetting | undefined {
  const parsed = parseConnectionSetting(entry);
  return parsed.ok ? parsed.value : undefined;
}
