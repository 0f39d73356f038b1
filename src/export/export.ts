/**
 * Reads a whole organisation through the reader and turns it into a MailPolicy document.
 * Every section is read once, the independent reads concurrently; mailboxes go straight into
 * the summariser, which keeps only identities per distinct combination of settings.
 */
import { casMailboxOptionsOn, runsMailProtocols } from '../exchange/catalog';
import { readCasMailboxes, readServers } from '../exchange/reader';
import { clientFrontendConnectorName } from '../exchange/defaults';
import { ExchangeError, type ExchangeBackend } from '../exchange/types';
import { isCommandNotFound } from '../exchange/errors';
import { verifyTarget, type ExpectedTarget } from '../exchange/verify-target';
import { judgeServerVersions, lowestVersion, serverVersionText, type ServerVersion } from '../model/server-versions';
import { PROTOCOLS } from '../model/types';
import { readAuthenticationPolicies, readPolicyAssignments, type ActualAuthenticationPolicies, type ActualUser } from '../reconcile/kinds/authentication-policy-read';
import { readCasMailboxPlans } from '../reconcile/kinds/cas-mailbox-plan-read';
import { readCertificates } from '../reconcile/kinds/exchange-certificate-read';
import { readProtocolService } from '../reconcile/kinds/protocol-service-read';
import { readProtocolSettings } from '../reconcile/kinds/protocol-settings-read';
import { readReceiveConnector } from '../reconcile/kinds/receive-connector-read';
import { readTransportConfig } from '../reconcile/kinds/transport-config-read';
import { exportDocument, type ActualServer, type ExportedDocument } from './document';
import { MailboxSummariser } from './summarise-mailboxes';

export interface ExportProgress {
  readonly message: string;
}

export interface ExportOptions {
  /** What the command line says the organisation is (--platform, --cloud, --organization): verified before anything is read. */
  readonly expected?: ExpectedTarget;
  /** Exchange Server: the servers whose POP3/IMAP4 settings and services to export (default: every Mailbox server). */
  readonly servers?: readonly string[];
  readonly onProgress?: (progress: ExportProgress) => void;
}

export interface ExportResult extends ExportedDocument {
  readonly mailboxes: number;
}

export class ExportUsageError extends Error {
  override readonly name = 'ExportUsageError';
}

const PROGRESS_EVERY = 25_000;

async function readServer(backend: ExchangeBackend, name: string): Promise<ActualServer> {
  const [entries, { certificates }, clientFrontend] = await Promise.all([
    Promise.all(
      PROTOCOLS.map(async (protocol) => {
        const [settings, service] = await Promise.all([readProtocolSettings(backend, name, protocol), readProtocolService(backend, name, protocol)]);
        return [protocol, { settings, service }] as const;
      }),
    ),
    readCertificates(backend, name),
    readReceiveConnector(backend, name, clientFrontendConnectorName(name)),
  ]);
  return { name, protocols: Object.fromEntries(entries), certificates, clientFrontend };
}

/**
 * Authentication policies (both platforms: Exchange Online, Exchange Server 2019/SE) and the users
 * each is assigned to: one Get-User of every user, only when a policy exists.
 */
async function readExportedPolicies(backend: ExchangeBackend, online: boolean, notes: string[]): Promise<{ policies: ActualAuthenticationPolicies; assignments: ActualUser[] } | undefined> {
  let policies: ActualAuthenticationPolicies;
  try {
    policies = await readAuthenticationPolicies(backend);
  } catch (e) {
    // Exchange Server 2016 has no *-AuthenticationPolicy cmdlets (their reference pages list 2019, SE
    // and Online): only that absence is an empty section; any other failure stops the export.
    if (online || !(e instanceof ExchangeError && isCommandNotFound(e.info))) throw e;
    notes.push('authentication policies: not exported: this organisation has no Get-AuthenticationPolicy (Exchange Server 2019 and SE have authentication policies, Exchange Server 2016 does not)');
    return undefined;
  }
  const assignments = policies.policies.length > 0 ? await readPolicyAssignments(backend, policies.policies) : [];
  return { policies, assignments };
}

/**
 * The servers to export: those named, as named; otherwise every server Get-ExchangeServer lists
 * that runs POP3/IMAP4, by name, so the same organisation always exports the same document.
 */
async function exportedServers(backend: ExchangeBackend, named: readonly string[], notes: string[], versions: ServerVersion[]): Promise<readonly string[]> {
  if (named.length > 0) return named;
  const servers = await readServers(backend);
  // Every server's build, Edge included: the organisation's minimum, and a warning for each server out of support.
  versions.push(...judgeServerVersions(servers));
  for (const v of versions) if (!v.supported) notes.push(serverVersionText(v));
  for (const server of servers) {
    if (!runsMailProtocols(server.serverRole)) notes.push(`${server.name} (${server.serverRole ?? 'no role'}) is not a Mailbox server: it runs no POP3/IMAP4 and is not exported`);
  }
  const names = servers.filter((s) => runsMailProtocols(s.serverRole)).map((s) => s.name);
  if (names.length === 0) throw new ExportUsageError('Get-ExchangeServer lists no Mailbox server: there is no POP3/IMAP4 to export; name one with --server');
  const key = (name: string): string => name.toLowerCase();
  return names.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export async function exportOrganisation(backend: ExchangeBackend, options: ExportOptions = {}): Promise<ExportResult> {
  const progress = options.onProgress ?? (() => undefined);
  const connection = await verifyTarget(backend, options.expected ?? {}, 'options');
  const online = connection.platform === 'exchangeOnline';
  const named = options.servers ?? [];
  if (online && named.length > 0) throw new ExportUsageError('--server applies to Exchange Server only: Exchange Online has no servers to export');

  progress({ message: `reading ${connection.organization}` });
  const serverNotes: string[] = [];
  const serverVersions: ServerVersion[] = [];
  const started = Date.now();
  // Every Set-CASMailbox option the platform has: the export writes those that differ from a new mailbox's.
  const mailboxRead = readCasMailboxes(backend, casMailboxOptionsOn(connection.platform)).then((list) => {
    progress({ message: `read ${list.length} mailbox(es) in ${((Date.now() - started) / 1000).toFixed(1)} s` });
    return list;
  });
  const [transportConfig, authenticationPolicies, casMailboxPlans, serverList, mailboxes] = await Promise.all([
    online ? readTransportConfig(backend) : undefined,
    readExportedPolicies(backend, online, serverNotes),
    online ? readCasMailboxPlans(backend) : undefined,
    online ? [] : exportedServers(backend, named, serverNotes, serverVersions).then((names) => Promise.all(names.map((name) => readServer(backend, name)))),
    mailboxRead,
  ]);

  const summariser = new MailboxSummariser(online);
  for (let i = 0; i < mailboxes.length; i++) {
    summariser.add(mailboxes[i] as (typeof mailboxes)[number]);
    if ((i + 1) % PROGRESS_EVERY === 0) progress({ message: `summarised ${i + 1} of ${mailboxes.length} mailbox(es)` });
  }
  const casMailboxes = summariser.result();
  if (casMailboxes) {
    const named = casMailboxes.exceptions.reduce((n, e) => n + e.identities.length, 0);
    progress({ message: `mailboxes: default + ${casMailboxes.exceptions.length} exception(s) naming ${named} mailbox(es)` });
  }

  // What the servers run now, as the document's expectation: drift then reports a server left behind, MP-SRV-006 a build out of support.
  const lowest = lowestVersion(serverVersions);
  const document = exportDocument({
    connection,
    ...(transportConfig ? { transportConfig } : {}),
    ...(authenticationPolicies ? { authenticationPolicies: authenticationPolicies.policies, policyAssignments: authenticationPolicies.assignments } : {}),
    ...(casMailboxPlans ? { casMailboxPlans } : {}),
    ...(casMailboxes ? { casMailboxes } : {}),
    ...(online ? {} : { servers: serverList }),
    ...(lowest === undefined ? {} : { minimumServerVersion: lowest }),
  });
  return { ...document, warnings: [...serverNotes, ...document.warnings], mailboxes: summariser.count };
}
