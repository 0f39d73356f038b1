/**
 * The planner: desired model + the organisation as read back → an ordered list of changes.
 * Pure: no I/O, no clock. Resources are planned in `desiredResources` order (transport config,
 * authentication policies, mailbox plans, per server and protocol settings then services,
 * mailboxes), so on every server a settings change comes before the restart that applies it.
 */
import type { ResourceInputsByKind, ResourceKind } from '../../providers/resource-types';
import type {
  ActualAuthenticationPolicies,
  ActualCasMailboxes,
  ActualCasMailboxPlan,
  ActualProtocolService,
  ActualProtocolSettings,
  ActualTransportConfig,
} from '../exchange/types';
import type { MailPolicy, Protocol } from '../model/types';
import { resourceKey, type Change, type Plan, type ResourceRef, type UnmatchedException } from './plan';
import { desiredResources, refOf, settingsProtocol, type DesiredResource } from './resources';
import { planAuthenticationPolicy } from './sections/authentication-policy';
import { planCasMailboxes } from './sections/cas-mailboxes';
import { planCasMailboxPlan } from './sections/cas-mailbox-plan';
import { planProtocolService } from './sections/protocol-service';
import { planProtocolSettings } from './sections/protocol-settings';
import { planTransportConfig } from './sections/transport-config';

/** What each resource kind needs to know about the organisation. */
export interface ActualByKind {
  readonly TransportConfig: ActualTransportConfig;
  readonly AuthenticationPolicy: ActualAuthenticationPolicies;
  readonly CasMailboxPlan: readonly ActualCasMailboxPlan[];
  readonly PopSettings: ActualProtocolSettings;
  readonly ImapSettings: ActualProtocolSettings;
  readonly ProtocolService: ActualProtocolService;
  readonly CasMailboxProtocol: ActualCasMailboxes;
}

export interface ResourcePlan {
  readonly changes: readonly Change[];
  readonly notes: readonly string[];
  /** CasMailboxProtocol: exception identities that match no mailbox. */
  readonly unmatched?: readonly UnmatchedException[];
}

export interface PlanContext {
  /** ProtocolService only: the server's settings for this protocol changed (restart rule). */
  readonly settingsChanged?: boolean;
}

/** Plans one resource against its slice of the organisation. */
export function planResource<K extends ResourceKind>(
  kind: K,
  ref: ResourceRef,
  inputs: ResourceInputsByKind[K],
  actual: ActualByKind[K],
  context: PlanContext = {},
): ResourcePlan {
  // The casts restate what K already says: TypeScript cannot narrow a generic through a switch.
  switch (kind) {
    case 'TransportConfig':
      return { changes: planTransportConfig(ref, (inputs as ResourceInputsByKind['TransportConfig']).transportConfig, actual as ActualTransportConfig), notes: [] };
    case 'AuthenticationPolicy':
      return { changes: planAuthenticationPolicy(ref, (inputs as ResourceInputsByKind['AuthenticationPolicy']).policy, actual as ActualAuthenticationPolicies), notes: [] };
    case 'CasMailboxPlan':
      return { changes: planCasMailboxPlan(ref, (inputs as ResourceInputsByKind['CasMailboxPlan']).plan, actual as readonly ActualCasMailboxPlan[]), notes: [] };
    case 'PopSettings':
    case 'ImapSettings': {
      const i = inputs as ResourceInputsByKind['PopSettings'];
      return { changes: planProtocolSettings(ref, i.server, settingsProtocol(kind), i.settings, actual as ActualProtocolSettings), notes: [] };
    }
    case 'ProtocolService': {
      const i = inputs as ResourceInputsByKind['ProtocolService'];
      return { changes: planProtocolService(ref, i.server, i.protocol, i.service, actual as ActualProtocolService, context.settingsChanged === true), notes: [] };
    }
    case 'CasMailboxProtocol':
      return planCasMailboxes(ref, (inputs as ResourceInputsByKind['CasMailboxProtocol']).casMailboxes, actual as ActualCasMailboxes);
  }
  throw new Error(`unknown resource kind ${String(kind)}`);
}

/** Server + protocol key for the per-server parts of ActualOrganisation (server names are case-insensitive). */
export function serverProtocolKey(server: string, protocol: Protocol): string {
  return `${server.toLowerCase()}/${protocol}`;
}

/** The organisation as read back: only the parts the document manages need to be present. */
export interface ActualOrganisation {
  readonly transportConfig?: ActualTransportConfig;
  readonly authenticationPolicies?: ActualAuthenticationPolicies;
  readonly casMailboxPlans?: readonly ActualCasMailboxPlan[];
  readonly casMailboxes?: ActualCasMailboxes;
  /** Keyed by `serverProtocolKey`. */
  readonly protocolSettings?: ReadonlyMap<string, ActualProtocolSettings>;
  readonly protocolServices?: ReadonlyMap<string, ActualProtocolService>;
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the organisation was not read for ${what}`);
  return value;
}

/** The slice of the organisation one desired resource is planned against. */
export function actualFor(resource: DesiredResource, actual: ActualOrganisation): ActualByKind[ResourceKind] {
  switch (resource.kind) {
    case 'TransportConfig':
      return need(actual.transportConfig, 'transport config');
    case 'AuthenticationPolicy':
      return need(actual.authenticationPolicies, 'authentication policies');
    case 'CasMailboxPlan':
      return need(actual.casMailboxPlans, 'CAS mailbox plans');
    case 'PopSettings':
    case 'ImapSettings': {
      const key = serverProtocolKey(resource.inputs.server, settingsProtocol(resource.kind));
      return need(actual.protocolSettings?.get(key), `${key} settings`);
    }
    case 'ProtocolService': {
      const key = serverProtocolKey(resource.inputs.server, resource.inputs.protocol);
      return need(actual.protocolServices?.get(key), `${key} services`);
    }
    case 'CasMailboxProtocol':
      return need(actual.casMailboxes, 'CAS mailboxes');
  }
}

/**
 * Plans a whole document against the organisation as read back; with `only` (resource keys,
 * `resourceKey`), just those resources, so `actual` need hold only what they manage.
 */
export function planOrganisation(policy: MailPolicy, actual: ActualOrganisation, only?: ReadonlySet<string>): Plan {
  const resources = desiredResources(policy).filter((r) => only === undefined || only.has(resourceKey(refOf(r))));
  const changes: Change[] = [];
  const notes: string[] = [];
  const unmatchedExceptions: UnmatchedException[] = [];
  const settingsChanged = new Set<string>();
  for (const resource of resources) {
    const ref = refOf(resource);
    const context: PlanContext =
      resource.kind === 'ProtocolService' ? { settingsChanged: settingsChanged.has(serverProtocolKey(resource.inputs.server, resource.inputs.protocol)) } : {};
    const planned = planResource(resource.kind, ref, resource.inputs as ResourceInputsByKind[typeof resource.kind], actualFor(resource, actual), context);
    if ((resource.kind === 'PopSettings' || resource.kind === 'ImapSettings') && planned.changes.length > 0) {
      settingsChanged.add(serverProtocolKey(resource.inputs.server, settingsProtocol(resource.kind)));
    }
    changes.push(...planned.changes);
    notes.push(...planned.notes);
    unmatchedExceptions.push(...(planned.unmatched ?? []));
  }
  const { name } = policy.metadata;
  const { platform, cloud, organization } = policy.target;
  return {
    target: { name, platform, ...(cloud === undefined ? {} : { cloud }), organization },
    resources: resources.map(refOf),
    changes,
    notes,
    unmatchedExceptions,
  };
}
