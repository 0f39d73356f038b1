/**
 * The client endpoint table for an organisation: its Exchange Online cloud's endpoints (legacy
 * ones only where opted in and available), or the on-premises servers' external connection
 * settings. Pure: used by `mailpolicy endpoints` and as a stack output of the Pulumi program.
 */
import type { MailPolicy } from '../model/types';
import { cloudEndpoints } from './cloud';
import { onPremisesEndpoints } from './on-premises';
import { mailboxNote, submissionEndpoints } from './submission';
import type { ClientEndpoint } from './types';

export * from './types';
export { cloudEndpoints, legacyEndpointsAvailable } from './cloud';
export { clientEncryption, onPremisesEndpoints } from './on-premises';
export type { ServerConnectionSettings } from './on-premises';

/** The part of a MailPolicy the table depends on. */
export type EndpointPolicy = Pick<MailPolicy, 'target' | 'transportConfig' | 'servers'> & Partial<Pick<MailPolicy, 'casMailboxes'>>;

/**
 * Exchange Server: POP3/IMAP4 from the external connection settings, then the SMTP submission
 * endpoint of the Client Frontend connectors; a protocol the document switches off for mailboxes
 * is marked in its rows' note.
 */
function exchangeServerEndpoints(policy: EndpointPolicy): ClientEndpoint[] {
  const servers = policy.servers ?? [];
  return [...onPremisesEndpoints(servers), ...submissionEndpoints(servers)].map((row) => {
    const note = mailboxNote(row.protocol, policy.casMailboxes);
    return note === undefined ? row : { ...row, note: row.note === undefined ? note : `${row.note}; ${note}` };
  });
}

export function clientEndpoints(policy: EndpointPolicy): readonly ClientEndpoint[] {
  if (policy.target.platform === 'exchangeServer') return exchangeServerEndpoints(policy);
  // The model always sets a cloud for Exchange Online; worldwide is Exchange's own default.
  return cloudEndpoints(policy.target.cloud ?? 'worldwide', policy.transportConfig?.allowLegacyTLSClients);
}
