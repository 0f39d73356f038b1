/**
 * A drift report: every setting where the organisation differs from the document, with what
 * the document wants, what Exchange has, the cmdlet that would fix it and where the setting is
 * declared. Built from the planner's changes, so drift and `plan` can never disagree.
 */
import type { JsonValue } from '../exchange/types';
import type { ServerVersion } from '../model/server-versions';
import type { JsonPointer, LoadedPolicy, SourceLocation } from '../model/types';
import { resourceKey, type Change, type Plan, type PlanTarget, type ResourceRef, type SettingDrift, type UnmatchedException } from '../reconcile/plan';
import { commandLine } from '../reconcile/render';
import type { UndeclaredFinding } from '../reconcile/undeclared';
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

/** `--undeclared`: what objects in Exchange the document does not mention are. */
export const UNDECLARED_MODES = ['report', 'error', 'ignore'] as const;
export type UndeclaredMode = (typeof UNDECLARED_MODES)[number];

/** An object in Exchange the document does not mention, located at the section that would declare it. */
export interface UndeclaredItem extends UndeclaredFinding {
  readonly location: SourceLocation;
}

export interface UndeclaredReport {
  /** `--undeclared error`: each object is a finding (not in sync, exit 1); otherwise information only. */
  readonly error: boolean;
  readonly objects: readonly UndeclaredItem[];
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
  /** Objects in Exchange the document does not mention; undefined with `--undeclared ignore` (not read). */
  readonly undeclared?: UndeclaredReport;
}

/** Servers whose build is below the document's minimumServerVersion: drift no cmdlet fixes. */
export function serversBelowMinimum(report: DriftReport): readonly ServerVersion[] {
  return (report.servers ?? []).filter((s) => s.belowMinimum);
}

/** Objects not declared that count as findings: all of them with `--undeclared error`, none otherwise. */
export function undeclaredFindings(report: DriftReport): number {
  return report.undeclared?.error === true ? report.undeclared.objects.length : 0;
}

export function inSync(report: DriftReport): boolean {
  return report.items.length === 0 && report.followUps.length === 0 && serversBelowMinimum(report).length === 0 && undeclaredFindings(report) === 0;
}

/** Each object at its section; one section's location looked up once, however many mailboxes. */
function locateAll(objects: readonly UndeclaredFinding[], loaded: LoadedPolicy): UndeclaredItem[] {
  const seen = new Map<JsonPointer, SourceLocation>();
  return objects.map((o) => {
    let location = seen.get(o.pointer);
    if (location === undefined) {
      location = loaded.locate(o.pointer);
      seen.set(o.pointer, location);
    }
    return { ...o, location };
  });
}

/**
 * One drifted setting of a change, kept small: 100,000 drifted mailboxes make 200,000 of them and
 * a report holds them all. What the change and its drift already say is read from them when
 * asked (the fixing command is made then, the same each time), not copied into every item.
 */
class SettingDriftItem implements DriftItem {
  constructor(
    private readonly change: Change,
    private readonly drift: SettingDrift,
    readonly pointer: JsonPointer,
    readonly location: SourceLocation,
  ) {}

  get resource(): ResourceRef {
    return this.change.resource;
  }

  get subject(): string {
    return this.change.subject;
  }

  get setting(): string {
    return this.drift.key;
  }

  get desired(): JsonValue {
    return this.drift.desired;
  }

  get actual(): JsonValue {
    return this.drift.actual ?? null;
  }

  get objectMissing(): boolean {
    return this.drift.actual === undefined;
  }

  get cmdlet(): string {
    return this.change.request.cmdlet;
  }

  get fix(): string {
    return commandLine(this.change.request);
  }
}

export function driftReport(
  plan: Plan,
  loaded: LoadedPolicy,
  backend: string,
  servers?: readonly ServerVersion[],
  undeclared?: { readonly error: boolean; readonly objects: readonly UndeclaredFinding[] },
): DriftReport {
  const pointers = new PointerIndex(loaded.policy);
  // Many items share a declaration (every mailbox under `default`): each located once.
  const locations = new Map<JsonPointer, SourceLocation>();
  const locate = (pointer: JsonPointer): SourceLocation => {
    let location = locations.get(pointer);
    if (location === undefined) {
      location = loaded.locate(pointer);
      locations.set(pointer, location);
    }
    return location;
  };
  const minimum = loaded.policy.target.minimumServerVersion;
  const items: DriftItem[] = [];
  const followUps: FollowUp[] = [];
  const drifted = new Set<string>();
  for (const change of plan.changes) {
    if (change.drift.length === 0) {
      const pointer = pointers.of(change, undefined);
      followUps.push({ resource: change.resource, subject: change.subject, description: change.description, cmdlet: change.request.cmdlet, fix: commandLine(change.request), pointer, location: locate(pointer) });
      continue;
    }
    // A resource with only a follow-up (a restart after another resource's fix) has not drifted.
    drifted.add(resourceKey(change.resource));
    for (const d of change.drift) {
      const pointer = pointers.of(change, d);
      items.push(new SettingDriftItem(change, d, pointer, locate(pointer)));
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
    ...(undeclared === undefined ? {} : { undeclared: { error: undeclared.error, objects: locateAll(undeclared.objects, loaded) } }),
  };
}
