/**
 * The ReceiveConnector kind: authenticated SMTP for POP3/IMAP4 clients, the fourth step of
 * Microsoft's POP3/IMAP4 procedure ("Configure authenticated SMTP settings for POP3 and IMAP4
 * clients in Exchange Server"): Set-ReceiveConnector on each server's default "Client Frontend
 * <Server>" connector, only the drifted parameters. The connector comes with the server and is
 * never created or removed; a server without it is an error, not a change. No restart follows
 * (none is documented for these settings).
 */
import { clientFrontendConnectorName, CLIENT_FRONTEND_DEFAULTS } from '../../exchange/defaults';
import { buildRequest } from '../../exchange/request';
import { authMechanismProblems } from '../../model/auth-mechanism';
import { SMTP_CLIENT_SUBMISSION_KEYS, type ServerPolicy, type SmtpClientSubmissionPolicy } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { sameIdentity } from '../compare';
import { describeDrift, driftOf, driftParameters } from '../drift';
import { PlanError, type Change, type ResourceRef } from '../plan';
import type { Declared, ResourceKindModule } from './kind';
import type { ExportedServer } from './snapshot';
import { mergeServer, overlayDrift, pickDefaults, slug } from './shared';
import { readReceiveConnector, type ActualReceiveConnector } from './receive-connector-read';

const connectorKey = (server: string): string => server.toLowerCase();

export function planReceiveConnector(resource: ResourceRef, server: string, desired: SmtpClientSubmissionPolicy, actual: ActualReceiveConnector): Change[] {
  if (actual.settings === null) throw new PlanError(`${server} has no receive connector "${actual.name}" (Get-ReceiveConnector -Server ${server}): mailpolicy configures the default one and never creates it`);
  const drift = driftOf('Set-ReceiveConnector', SMTP_CLIENT_SUBMISSION_KEYS, desired, actual.settings);
  if (drift.length === 0) return [];
  // What the connector would hold after the change: Exchange refuses a combination its reference forbids
  // (e.g. authMechanism without Tls while the connector keeps RequireTLS $true), so the plan does first.
  const mechanisms = desired.authMechanism ?? actual.settings.authMechanism;
  const problems = authMechanismProblems(mechanisms, desired.requireTLS ?? actual.settings.requireTLS);
  if (problems.length > 0) {
    throw new PlanError(`${server} ${actual.name}: ${problems.map((p) => p.message).join('; ')} (authMechanism would be ${mechanisms.join(', ')}; Set-ReceiveConnector -AuthMechanism)`);
  }
  return [
    {
      resource,
      action: 'set',
      subject: server,
      request: buildRequest('Set-ReceiveConnector', { identity: actual.name, ...driftParameters(drift) }),
      description: `${server} ${actual.name}: ${describeDrift(drift)}`,
      drift,
      bulk: false,
    },
  ];
}

export const RECEIVE_CONNECTOR_KIND: ResourceKindModule<'ReceiveConnector'> = {
  kind: 'ReceiveConnector',
  inputKeys: ['server', 'smtpClientSubmission'],
  identity: (inputs) => `${inputs.server}/ReceiveConnector/${clientFrontendConnectorName(inputs.server)}`,
  read: async (backend, resources) => {
    const reads = new Map<string, Promise<ActualReceiveConnector>>();
    for (const { server } of resources) {
      if (!reads.has(connectorKey(server))) reads.set(connectorKey(server), readReceiveConnector(backend, server, clientFrontendConnectorName(server)));
    }
    return { receiveConnectors: new Map(await Promise.all([...reads].map(async ([key, read]) => [key, await read] as const))) };
  },
  actualOf: (inputs, actual) => need(actual.receiveConnectors?.get(connectorKey(inputs.server)), `${inputs.server} receive connector`),
  exists: (_inputs, actual) => actual.settings !== null,
  plan: (ref, inputs, actual) => ({ changes: planReceiveConnector(ref, inputs.server, inputs.smtpClientSubmission, actual), notes: [] }),
  // fqdn (the server's own FQDN) and tlsCertificateName depend on the server: left as they are.
  restore: (inputs) => {
    const { restored, left } = pickDefaults(inputs.smtpClientSubmission, CLIENT_FRONTEND_DEFAULTS);
    return { kind: 'plan', inputs: { ...inputs, smtpClientSubmission: restored }, left };
  },
  pointer: (policy, change, drift) => {
    const servers = policy.servers ?? [];
    const index = servers.findIndex((s) => sameIdentity(s.name, change.subject));
    if (index < 0) return pointer('servers');
    if (servers[index]?.smtpClientSubmission === undefined) return pointer('servers', index);
    return pointer('servers', index, 'smtpClientSubmission', ...(drift?.key ? [drift.key] : []));
  },
  refresh: (inputs, changes) => ({ ...inputs, smtpClientSubmission: overlayDrift(inputs.smtpClientSubmission, changes) as SmtpClientSubmissionPolicy }),
  documentPart: (input) => ({
    // The casts place input values where the document has them; what they hold is the schema's to judge.
    part: { servers: [{ name: input('server') as string, smtpClientSubmission: input('smtpClientSubmission') as SmtpClientSubmissionPolicy }] },
    origins: [
      { prefix: '/servers/0/smtpClientSubmission', property: '/smtpClientSubmission' },
      { prefix: '/servers/0/name', property: '/server' },
      { prefix: '/servers/0', property: '/server', exact: true },
    ],
  }),
  mergeInto: mergeServer,
  desired: { place: 'serverAfterProtocols', declared: declaredConnector },
  exported: { place: 'server', part: exportedConnector },
};

// ---- What a document declares, and what an export writes ----

function declaredConnector(server: ServerPolicy): Declared<'ReceiveConnector'>[] {
  return server.smtpClientSubmission ? [{ name: `${slug(server.name)}-client-frontend`, inputs: { server: server.name, smtpClientSubmission: server.smtpClientSubmission } }] : [];
}

/** The connector's settings; no certificate name (null) stays unmanaged rather than declared "none". */
function exportedConnector({ clientFrontend: actual }: ExportedServer, warnings: string[]): Partial<ServerPolicy> {
  if (!actual) return {};
  if (actual.settings === null) {
    warnings.push(`${actual.server} has no receive connector "${actual.name}": smtpClientSubmission left out`);
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const key of SMTP_CLIENT_SUBMISSION_KEYS) if (actual.settings[key] !== null) out[key] = actual.settings[key];
  return { smtpClientSubmission: out as SmtpClientSubmissionPolicy };
}
