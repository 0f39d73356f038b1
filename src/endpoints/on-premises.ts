/**
 * Exchange Server client endpoints: what each server publishes in its POP3/IMAP4
 * ExternalConnectionSettings (`HostName:Port[:SSL|TLS]`; no third part = unencrypted), parsed
 * by the model's one connection-setting parser.
 */
import { parseConnectionSetting, type ConnectionSetting } from '../model/connection-setting';
import type { Protocol } from '../model/types';
import type { ClientEncryption, ClientEndpoint, EndpointProtocol } from './types';

/** The part of a server's policy (or its read-back settings) this module looks at. */
export interface ServerConnectionSettings {
  readonly name: string;
  readonly pop3?: { readonly settings?: { readonly externalConnectionSettings?: readonly string[] } };
  readonly imap4?: { readonly settings?: { readonly externalConnectionSettings?: readonly string[] } };
}

const ENDPOINT_PROTOCOL: Readonly<Record<Protocol, EndpointProtocol>> = { pop3: 'POP3', imap4: 'IMAP4' };

/** What users select in their mail program for each Exchange encryption type. */
export function clientEncryption(encryption: ConnectionSetting['encryption']): ClientEncryption {
  if (encryption === 'SSL') return 'SSL/TLS';
  if (encryption === 'TLS') return 'STARTTLS';
  return 'none (plain text)';
}

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
        if (!parsed.ok) throw new Error(`${server.name} ${ENDPOINT_PROTOCOL[protocol]}: ${parsed.error}`);
        const { host, port, encryption } = parsed.value;
        const key = `${protocol}\n${host.toLowerCase()}\n${port}\n${encryption ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        rows.push({ protocol: ENDPOINT_PROTOCOL[protocol], server: host, port, encryption: clientEncryption(encryption), legacy: false, verified: true });
      }
    }
  }
  return rows;
}
