/**
 * A drift report: every setting where the organisation differs from the document, with what
 * the document wants, what Exchange has, the cmdlet that would fix it and where the setting is
 * declared. Built from the planner's changes, so drift and `plan` can never disagree.
 */
import type { JsonValue } from '../exchange/types';
import type { ServerVersion } from '../model/server-versions';
import type { JsonPointer, LoadedPolicy, SourceLocation } from '../model/types';
import { resourceKey, type Plan, type PlanTarget, type ResourceRef, type UnmatchedException } from '../reconcile/plan';
import { commandLine } from '../reconcile/render';
import { PointerIndex } from './pointers';

export interface DriftItem {
  readonly resource: ResourceRef;
  /** The Exchange object: mailbox, policy, plan, server, TransportConfig. */
  readonly subject: string;
  /** Model key of the setting (`popEnabled`, `MSExchangePOP3.state`, …). */
  readonly setting: string;
  readonly desired: JsonValue;
  /** null when Exchange has no value; see `objectMissing`. */
  readonly actual: JsonValue;
  /** The object itself does not exist (an authentication policy to create). */
  readonly objectMissing: boolean;
  readonly cmdlet: string;
  /** The fixing command in PowerShell syntax, secrets redacted (for reading; never run as text). */
  readonly fix: string;
  readonly pointer: JsonPointer;
  readonly location: SourceLocation;
}

/** A step the fix needs that is not itself a drifted setting (restarting services after a settings change). */
export interface FollowUp {
  readonly resource: ResourceRef;
  readonly subject: string;
  readonly description: string;
  readonly cmdlet: string;
  readonly fix: string;
  readonly pointer: JsonPointer;
  readonly location: SourceLocation;
}

export interface DriftReport {
  /** `backend: simulator (state: …)`: which organisation was read, and how. */
  readonly backend: string;
  readonly file: string;
  readonly target: PlanTarget;
  /** Resources the document manages. */
  readonly resources: number;
  /** Resources with at least one drifted setting. */
  readonly driftedResources: number;
  readonly items: readonly DriftItem[];
  readonly followUps: readonly FollowUp[];
  readonly notes: readonly string[];
  /** Exception identities that match no mailbox (shown first), with where they are declared. */
  readonly unmatchedExceptions: readonly (UnmatchedException & { readonly location: SourceLocation })[];
  /** Exchange Server: every server Get-ExchangeServer lists, with its build; undefined for Exchange Online. */
  readonly servers?: readonly ServerVersion[];
  /** `target.minimumServerVersion` as declared, and where (servers below it are drift). */
  readonly minimumServerVersion?: { readonly version: string; readonly location: SourceLocation };
}

/** Servers whose build is below the document's minimumServerVersion: drift no cmdlet fixes. */
export function serversBelowMinimum(report: DriftReport): readonly ServerVersion[] {
  return (report.servers ?? []).filter((s) => s.belowMinimum);
}

export function inSync(report: DriftReport): boolean {
  return report.items.length === 0 && report.followUps.length === 0 && serversBelowMinimum(report).length === 0;
}

export function driftReport(plan: Plan, loaded: LoadedPolicy, backend: string, servers?: readonly ServerVersion[]): DriftReport {
  const pointers = new PointerIndex(loaded.policy);
  const minimum = loaded.policy.target.minimumServerVersion;
  const items: DriftItem[] = [];
  const followUps: FollowUp[] = [];
  const drifted = new Set<string>();
  for (const change of plan.changes) {
    const fix = commandLine(change.request);
    if (change.drift.length === 0) {
      const pointer = pointers.of(change, undefined);
      followUps.push({ resource: change.resource, subject: change.subject, description: change.description, cmdlet: change.request.cmdlet, fix, pointer, location: loaded.locate(pointer) });
      continue;
    }
    // A resource with only a follow-up (a restart after another resource's fix) has not drifted.
    drifted.add(resourceKey(change.resource));
    for (const d of change.drift) {
      const pointer = pointers.of(change, d);
      items.push({
        resource: change.resource,
        subject: change.subject,
        setting: d.key,
        desired: d.desired,
        actual: d.actual ?? null,
        objectMissing: d.actual === undefined,
        cmdlet: change.request.cmdlet,
        fix,
        pointer,
        location: loaded.locate(pointer),
      });
    }
  }
  return {
    backend,
    file: loaded.file,
    target: plan.target,
    resources: plan.resources.length,
    driftedResources: drifted.size,
    items,
    followUps,
    notes: plan.notes,
    unmatchedExceptions: plan.unmatchedExceptions.map((u) => ({ ...u, location: loaded.locate(u.pointer) })),
    ...(servers === undefined ? {} : { servers }),
    ...(minimum === undefined ? {} : { minimumServerVersion: { version: minimum, location: loaded.locate('/target/minimumServerVersion') } }),
  };
}
