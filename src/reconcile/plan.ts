/**
 * What the planner produces: an ordered list of changes, each exactly one cmdlet call carrying
 * only the drifted parameters. The same objects serve `mailpolicy plan`, the providers and drift
 * reports, so every change also says which setting drifted, from what, to what.
 */
import type { ResourceKind } from './kinds/types';
import type { CmdletRequest, JsonValue } from '../exchange/types';
import { displayPath } from '../model/json-pointer';
import { formatLocation } from '../model/problem';
import type { JsonPointer, SourceLocation, Target } from '../model/types';
import { formatValue } from './format-value';

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
  /** Where the desired value is declared, when the section knows better than the change's resource (a mailbox: the exception that decides it). */
  readonly declaredAt?: JsonPointer;
}

/** A mailbox exception identity that names no mailbox, or more than one: the mailbox it was meant for would get the default. */
export interface UnmatchedException {
  readonly identity: string;
  /** `/casMailboxes/exceptions/<k>/identities/<j>` or `/authenticationPolicies/<i>/assignedTo/<j>`. */
  readonly pointer: JsonPointer;
  readonly reason: 'none' | 'ambiguous';
  /** What the identity must name: a mailbox (a mailbox exception) or a user (an authentication policy's assignedTo). */
  readonly names: 'mailbox' | 'user';
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
  /** Things worth saying that are not changes. */
  readonly notes: readonly string[];
  /** Exception identities that match no mailbox: shown first, and `apply` / `pulumi up` refuse to run by default. */
  readonly unmatchedExceptions: readonly UnmatchedException[];
}

/** A desired state the organisation cannot reach by any change (e.g. a mailbox plan that does not exist). */
export class PlanError extends Error {
  override readonly name: string = 'PlanError';
}

/** One exception identity as the document declares it. */
export interface DeclaredIdentity {
  readonly identity: string;
  readonly pointer: JsonPointer;
}

/** Two exceptions that name one mailbox and want different values for it. */
export interface ExceptionConflict {
  /** The mailbox both name (its primary SMTP address, else its identity). */
  readonly mailbox: string;
  readonly first: DeclaredIdentity;
  readonly second: DeclaredIdentity;
  /** `popEnabled (true, false)`: each key, with the first exception's value then the second's. */
  readonly keys: readonly { readonly key: string; readonly first: JsonValue; readonly second: JsonValue }[];
}

/** The document contradicts itself about some mailboxes: no plan, naming both declarations of each. */
export class ExceptionConflictError extends PlanError {
  override readonly name = 'ExceptionConflictError';

  constructor(readonly conflicts: readonly ExceptionConflict[]) {
    super(conflicts.map((c) => describeConflict(c, (d) => `${displayPath(d.pointer)} "${d.identity}"`)).join('\n'));
  }

  /** One `FILE:LINE:COL: …` line per conflict, at the later declaration, naming where the earlier one is. */
  locatedLines(locate: (pointer: JsonPointer) => SourceLocation): string[] {
    return this.conflicts.map((c) => `${formatLocation(locate(c.second.pointer))}: ${describeConflict(c, (d) => `${displayPath(d.pointer)} "${d.identity}"${d === c.first ? ` (${formatLocation(locate(d.pointer))})` : ''}`)}`);
  }
}

function describeConflict(c: ExceptionConflict, name: (d: DeclaredIdentity) => string): string {
  const keys = c.keys.map((k) => `${k.key} (${formatValue(k.second)} here, ${formatValue(k.first)} there)`).join(', ');
  return `${name(c.second)} and ${name(c.first)} name the same mailbox ${c.mailbox} with different ${keys}: exceptions that resolve to one mailbox must agree`;
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
