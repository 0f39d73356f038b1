/**
 * The contract of a policy rule. A rule is pure metadata plus one pure function over the
 * normalised model; the CLI (`mailpolicy check`) and the CrossGuard pack (policies/) both wrap
 * the same rule objects, so a rule is written once.
 */
import type { Cloud, JsonPointer, MailPolicy } from '../model/types';

export const SEVERITIES = ['high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The optional parts of a document a rule can read. Every document has a target (which rules
 * may read too); the policy pack sees one part per resource, so a rule that reads none of a
 * resource's parts has nothing to say about it.
 */
export type DocumentSection = keyof Omit<MailPolicy, 'apiVersion' | 'kind' | 'metadata' | 'target' | 'waivers'>;

/** mandatory: a finding fails the check (exit 1, Pulumi blocks the update); advisory: reported only. */
export type Enforcement = 'mandatory' | 'advisory';

export interface RuleContext {
  /** The day the check is about, YYYY-MM-DD: date-dependent rules and waiver expiry read it. */
  readonly asOf: string;
}

export interface Reference {
  readonly title: string;
  readonly url: string;
}

/** What a rule says about one offending node of the document. */
export interface RuleFinding {
  /** Where in the document (RFC 6901); `LoadedPolicy.locate` turns it into FILE:LINE:COL. */
  readonly pointer: JsonPointer;
  readonly message: string;
  /**
   * What the finding is about below the organisation: a mailbox identity, a server name or an
   * authentication policy name. A waiver with a `scope` applies only to findings with that scope.
   */
  readonly scope?: string;
}

/**
 * Everything about a rule except its check: what docs pages, SARIF rule metadata and the
 * pack's policy descriptions are generated from.
 */
export interface RuleMetadata {
  /** Stable ID, e.g. `MP-EXO-001`; waivers name it. */
  readonly id: string;
  /** Bumped when the rule's meaning changes; shown as `MP-EXO-001v1` (see versionedId). */
  readonly version: number;
  readonly title: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  /** Clouds where the enforcement differs from the default (Exchange Online documents only). */
  readonly enforcementByCloud?: Readonly<Partial<Record<Cloud, Enforcement>>>;
  /** false: a waiver naming this rule is itself an error. */
  readonly waivable: boolean;
  /** Why the finding matters (markdown). */
  readonly rationale: string;
  /** What to change (markdown). */
  readonly remediation: string;
  readonly references: readonly Reference[];
  /** What the `scope` of this rule's findings names, for waivers: absent = findings are organisation-wide. */
  readonly scope?: { readonly kind: string; readonly example: string };
  /** ISO dates the rule's behaviour or message changes on, documented so `--as-of` is predictable. */
  readonly dates?: readonly { readonly date: string; readonly meaning: string }[];
}

/** A rule of the rule set: metadata plus its check. */
export interface Rule extends RuleMetadata {
  /**
   * true: the rule needs several parts of the document at once (e.g. transportConfig and
   * casMailboxes), so the policy pack runs it over the whole stack, not one resource.
   */
  readonly crossResource: boolean;
  /**
   * The document sections `evaluate` reads: the pack runs the rule (and reports problems with its
   * configured waivers) only where one of them is present, so one bad waiver is not reported on
   * every resource of the stack.
   */
  readonly reads: readonly DocumentSection[];
  evaluate(policy: MailPolicy, ctx: RuleContext): readonly RuleFinding[];
}

/** violation: fails the check; advisory: reported only; waived: a valid waiver accepted it. */
export type Outcome = 'violation' | 'advisory' | 'waived';

/** One rule finding as `checkPolicy` reports it: with its enforcement and the waivers applied. */
export interface Finding {
  readonly rule: RuleMetadata;
  readonly pointer: JsonPointer;
  readonly message: string;
  readonly scope?: string;
  /** The rule's enforcement for this document (before waivers). */
  readonly enforcement: Enforcement;
  readonly outcome: Outcome;
  /** Index into `policy.waivers` of the waiver that waived it. */
  readonly waiverIndex?: number;
}
