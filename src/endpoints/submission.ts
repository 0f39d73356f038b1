/**
 * Exchange Server: the SMTP submission endpoint POP3 and IMAP4 clients send through, each
 * server's "Client Frontend <Server>" receive connector (servers[].smtpClientSubmission), and
 * which protocols the document switches off for mailboxes. Facts: the Receive connectors page
 * (Client Frontend listens on 587; authenticated SMTP with STARTTLS), Set-ReceiveConnector.md
 * (-Fqdn: the name the connector gives; -Bindings: IP:port; -AuthMechanism Tls: STARTTLS offered).
 */
import { CLIENT_SUBMISSION_PORT } from '../exchange/defaults';
import { parseBinding } from '../model/connection-setting';
import type { CasMailboxesPolicy, SmtpClientSubmissionPolicy } from '../model/types';
import type { ClientEndpoint, EndpointProtocol } from './types';

/** The part of a server's policy this module looks at. */
export interface ServerSubmission {
  readonly name: string;
  readonly smtpClientSubmission?: SmtpClientSubmissionPolicy;
}

/** The connector's ports: those of its declared bindings, else Client Frontend's 587. */
function ports(submission: SmtpClientSubmissionPolicy): number[] {
  const declared = (submission.bindings ?? []).map((b) => parseBinding(b)).flatMap((p) => (p.ok ? [p.value.port] : []));
  return declared.length > 0 ? [...new Set(declared)] : [CLIENT_SUBMISSION_PORT];
}

/**
 * One SMTP row per distinct (host, port): the declared fqdn, else the server's name when it is an
 * FQDN (a NetBIOS name is not what a mail program should be given: such a server is left out).
 * STARTTLS when the connector offers Tls (or when authMechanism is not declared: Client Frontend
 * offers it by default), plain text otherwise.
 */
export function submissionEndpoints(servers: readonly ServerSubmission[]): ClientEndpoint[] {
  const rows: ClientEndpoint[] = [];
  const seen = new Set<string>();
  for (const server of servers) {
    const submission = server.smtpClientSubmission;
    if (!submission) continue;
    const host = submission.fqdn ?? (server.name.includes('.') ? server.name : undefined);
    if (host === undefined) continue;
    const tls = submission.authMechanism === undefined || submission.authMechanism.some((m) => m.toLowerCase() === 'tls');
    for (const port of ports(submission)) {
      const key = `${host.toLowerCase()}\n${port}\n${String(tls)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({ protocol: 'SMTP', server: host, port, encryption: tls ? 'STARTTLS' : 'none (plain text)', legacy: false, verified: true });
    }
  }
  return rows;
}

/**
 * What the document says of a protocol for mailboxes: off for every mailbox (casMailboxes.default
 * false, no exception turning it on), or off except for the exceptions that turn it on. SMTP has
 * no per-mailbox switch on Exchange Server (Set-CASMailbox -SmtpClientAuthenticationDisabled is
 * Exchange Online only), so only POP3 and IMAP4 are marked.
 */
export function mailboxNote(protocol: EndpointProtocol, casMailboxes: CasMailboxesPolicy | undefined): string | undefined {
  const key = protocol === 'POP3' ? 'popEnabled' : protocol === 'IMAP4' ? 'imapEnabled' : undefined;
  if (key === undefined || casMailboxes?.default?.[key] !== false) return undefined;
  const allowed = casMailboxes.exceptions.filter((e) => e[key] === true).reduce((n, e) => n + e.identities.length, 0);
  const where = `casMailboxes.default.${key}: false`;
  return allowed === 0 ? `switched off for every mailbox (${where})` : `switched off for every mailbox except ${allowed} exception(s) (${where})`;
}
