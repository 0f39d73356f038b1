/**
 * The planner: desired model + the organisation as read back → an ordered list of changes.
 * Pure: no I/O, no clock. Resources are planned in `desiredResources` order (transport config,
 * authentication policies, mailbox plans, per server and protocol settings then services,
 * mailboxes), so on every server a settings change comes before the restart that applies it.
 */
import type { MailPolicy } from '../model/types';
import { serverProtocolKey, type ActualOrganisation } from './actual';
import type { PlanContext, ResourcePlan } from './kinds/kind';
import { kindModule } from './kinds/registry';
import type { ActualByKind, ResourceInputsByKind, ResourceKind } from './kinds/types';
import { resourceKey, type Change, type Plan, type ResourceRef, type UnmatchedException } from './plan';
import { desiredResources, refOf, type DesiredResource } from './resources';

export { serverProtocolKey, type ActualOrganisation } from './actual';
export type { PlanContext, ResourcePlan } from './kinds/kind';
export type { ActualByKind } from './kinds/types';

/** Plans one resource against its slice of the organisation. */
export function planResource<K extends ResourceKind>(
  kind: K,
  ref: ResourceRef,
  inputs: ResourceInputsByKind[K],
  actual: ActualByKind[K],
  context: PlanContext = {},
): ResourcePlan {
  return kindModule(kind).plan(ref, inputs, actual, context);
}

/** The slice of the organisation one desired resource is planned against. */
export function actualFor(resource: DesiredResource, actual: ActualOrganisation): ActualByKind[ResourceKind] {
  return kindModule(resource.kind).actualOf(resource.inputs as ResourceInputsByKind[typeof resource.kind], actual);
}

/**
 * Plans a whole document against the organisation as read back; with `only` (resource keys,
 * `resourceKey`), just those resources, so `actual` need hold only what they manage.
 * `restartsOwed` (server/protocol keys, restarts-owed.ts): restarts an earlier run left undone,
 * planned as if those settings had changed in this plan.
 */
export function planOrganisation(policy: MailPolicy, actual: ActualOrganisation, only?: ReadonlySet<string>, restartsOwed?: ReadonlySet<string>): Plan {
  const resources = desiredResources(policy).filter((r) => only === undefined || only.has(resourceKey(refOf(r))));
  const changes: Change[] = [];
  const notes: string[] = [];
  const unmatchedExceptions: UnmatchedException[] = [];
  const settingsChanged = new Set<string>(restartsOwed);
  for (const resource of resources) {
    const ref = refOf(resource);
    const module = kindModule(resource.kind);
    const inputs = resource.inputs as ResourceInputsByKind[typeof resource.kind];
    const restarts = module.restartsFor?.(inputs);
    const context: PlanContext = { document: policy, ...(restarts ? { settingsChanged: settingsChanged.has(serverProtocolKey(restarts.server, restarts.protocol)) } : {}) };
    const planned = module.plan(ref, inputs, actualFor(resource, actual), context);
    for (const applies of module.appliesAtRestart?.(inputs, planned.changes) ?? []) settingsChanged.add(serverProtocolKey(applies.server, applies.protocol));
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
