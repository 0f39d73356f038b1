/**
 * Reads the parts of the organisation a set of resources manages — each part once, whatever
 * the number of resources that need it — for the planner. A failed read rejects: it is never
 * taken as "absent".
 */
import type { ResourceInputsByKind, ResourceKind } from '../../providers/resource-types';
import {
  readAuthenticationPolicies,
  lookUpMailboxes,
  readCasMailboxes,
  readCasMailboxPlans,
  readProtocolService,
  readProtocolSettings,
  readTransportConfig,
} from '../exchange/reader';
import type { ActualCasMailboxes, ActualProtocolService, ActualProtocolSettings, ExchangeBackend } from '../exchange/types';
import { identitiesToLookUp } from './mailbox-identities';
import { actualFor, serverProtocolKey, type ActualByKind, type ActualOrganisation } from './planner';
import { settingsProtocol, type DesiredResource } from './resources';

/** The slice one resource is planned against: the whole-document read, for one resource. */
export async function readActualFor<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K], backend: ExchangeBackend): Promise<ActualByKind[K]> {
  // The casts restate K: TypeScript cannot tie a generic kind to its inputs and slice.
  const resource = { kind, name: kind, inputs } as DesiredResource;
  return actualFor(resource, await readOrganisation(backend, [resource])) as ActualByKind[K];
}

/**
 * Every mailbox, then what Exchange resolves for the exception identities the read-back cannot
 * place (alias, user principal name): asked once per identity, in one round trip.
 */
async function readMailboxes(backend: ExchangeBackend, resources: readonly DesiredResource[]): Promise<ActualCasMailboxes> {
  const mailboxes = await readCasMailboxes(backend);
  const identities = new Set<string>();
  for (const r of resources) {
    if (r.kind === 'CasMailboxProtocol') for (const identity of identitiesToLookUp(r.inputs.casMailboxes, mailboxes)) identities.add(identity);
  }
  return { mailboxes, lookups: await lookUpMailboxes(backend, [...identities]) };
}

/** Everything `resources` need, read once per part. */
export async function readOrganisation(backend: ExchangeBackend, resources: readonly DesiredResource[]): Promise<ActualOrganisation> {
  const kinds = new Set(resources.map((r) => r.kind));
  const settings = new Map<string, Promise<ActualProtocolSettings>>();
  const services = new Map<string, Promise<ActualProtocolService>>();
  for (const r of resources) {
    if (r.kind === 'PopSettings' || r.kind === 'ImapSettings') {
      const protocol = settingsProtocol(r.kind);
      const key = serverProtocolKey(r.inputs.server, protocol);
      if (!settings.has(key)) settings.set(key, readProtocolSettings(backend, r.inputs.server, protocol));
    } else if (r.kind === 'ProtocolService') {
      const key = serverProtocolKey(r.inputs.server, r.inputs.protocol);
      if (!services.has(key)) services.set(key, readProtocolService(backend, r.inputs.server, r.inputs.protocol));
    }
  }
  // One Promise.all over every read, so a failure in any is handled as soon as it happens.
  const settingEntries = [...settings].map(async ([key, promise]) => [key, await promise] as const);
  const serviceEntries = [...services].map(async ([key, promise]) => [key, await promise] as const);
  const [transportConfig, authenticationPolicies, casMailboxPlans, casMailboxes, settingList, serviceList] = await Promise.all([
    kinds.has('TransportConfig') ? readTransportConfig(backend) : undefined,
    kinds.has('AuthenticationPolicy') ? readAuthenticationPolicies(backend) : undefined,
    kinds.has('CasMailboxPlan') ? readCasMailboxPlans(backend) : undefined,
    kinds.has('CasMailboxProtocol') ? readMailboxes(backend, resources) : undefined,
    Promise.all(settingEntries),
    Promise.all(serviceEntries),
  ]);
  return {
    ...(transportConfig === undefined ? {} : { transportConfig }),
    ...(authenticationPolicies === undefined ? {} : { authenticationPolicies }),
    ...(casMailboxPlans === undefined ? {} : { casMailboxPlans }),
    ...(casMailboxes === undefined ? {} : { casMailboxes }),
    protocolSettings: new Map(settingList),
    protocolServices: new Map(serviceList),
  };
}
