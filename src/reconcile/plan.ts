/**
 * What the planner produces: an ordered list of changes, each exactly one cmdlet call carrying
 * only the drifted parameters. The same objects serve `mailpolicy plan`, the providers and drift
 * reports, so every change also says which setting drifted, from what, to what.
 */
import type { ResourceKind } from '../../providers/resource-types';
import type { CmdletRequest, JsonValue } from '../exchange/types';
import type { Target } from '../model/types';

/** The Pulumi resource a change belongs to (kind + logical name in the stack). */
export interface ResourceRef {
  readonly kind: ResourceKind;
  readonly name: string;
}

/** One drifted setting: the model key, what the YAML wants, what Exchange has. */
export interface SettingDrift {
  /** Model key (`popEnabled`, `sslBindings`, `state`, …). */
  readonly key: string;
  readonly desired: JsonValue;
  /** `undefined` when the object does not exist yet (a policy to create). */
  readonly actual: JsonValue | undefined;
}

export type ChangeAction = 'create' | 'set' | 'start' | 'stop' | 'restart' | 'remove';

export interface Change {
  readonly resource: ResourceRef;
  readonly action: ChangeAction;
  /** The Exchange object acted on: mailbox, policy, plan, server. */
  readonly subject: string;
  readonly request: CmdletRequest;
  /** One line for humans, e.g. `EX01 POP3: restart MSExchangePOP3, MSExchangePOP3BE (settings changed)`. */
  readonly description: string;
  /** Empty for a restart, which changes no setting. */
  readonly drift: readonly SettingDrift[];
  /** Mailbox changes: many of them travel together in one round trip. */
  readonly bulk: boolean;
}

/** The document's target, with the document's name. */
export interface PlanTarget extends Target {
  readonly name: string;
}

export interface Plan {
  readonly target: PlanTarget;
  /** Every resource the document manages, changed or not, in declaration order. */
  readonly resources: readonly ResourceRef[];
  readonly changes: readonly Change[];
  /** Things worth saying that are not changes (e.g. an exception naming no mailbox). */
  readonly notes: readonly string[];
}

/** A desired state the organisation cannot reach by any change (e.g. a mailbox plan that does not exist). */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** Changes grouped by the resource they belong to, resources in plan order. */
export function changesByResource(plan: Plan): { resource: ResourceRef; changes: Change[] }[] {
  const groups = new Map<string, { resource: ResourceRef; changes: Change[] }>();
  for (const resource of plan.resources) groups.set(resourceKey(resource), { resource, changes: [] });
  for (const change of plan.changes) {
    const key = resourceKey(change.resource);
    let group = groups.get(key);
    if (!group) {
      group = { resource: change.resource, changes: [] };
      groups.set(key, group);
    }
    group.changes.push(change);
  }
  return [...groups.values()];
}

export function resourceKey(ref: ResourceRef): string {
  return `${ref.kind}/${ref.name}`;
}
