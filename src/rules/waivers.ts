/**
 * Waivers: accepted exceptions from the document's `waivers:` list. Everything about them fails
 * closed: an expired, malformed, non-waivable or unknown-rule waiver waives nothing and is
 * itself a mandatory finding.
 */
import type { Waiver } from '../model/types';
import { isAfter, isIsoDate } from './dates';
import { parseRuleRef, versionedId, type RuleRef } from './ids';
import { pointer } from './pointer';
import type { RuleContext, RuleFinding, RuleMetadata } from './types';
import { waiverExpired, waiverMalformed, waiverNotAllowed, waiverUnknownRule } from './waiver-rules';

export type WaiverStatus =
  /** Valid and matched at least one finding. */
  | 'applied'
  /** Valid but matched nothing (MP-WVR-005). */
  | 'unused'
  | 'expired'
  /** Malformed, unknown rule or non-waivable rule. */
  | 'rejected';

/** A waiver that passed validation and may waive findings. */
export interface ActiveWaiver {
  readonly index: number;
  readonly waiver: Waiver;
  readonly ref: RuleRef;
}

export interface WaiverProblem {
  readonly rule: RuleMetadata;
  readonly finding: RuleFinding;
  readonly status: 'expired' | 'rejected';
}

export interface WaiverValidation {
  readonly active: readonly ActiveWaiver[];
  /** Per waiver index, when it was not accepted. */
  readonly problems: ReadonlyMap<number, WaiverProblem>;
}

/** Validates every waiver against the known rules and the date. */
export function validateWaivers(
  waivers: readonly Waiver[],
  ctx: RuleContext,
  lookup: (id: string) => RuleMetadata | undefined,
): WaiverValidation {
  const active: ActiveWaiver[] = [];
  const problems = new Map<number, WaiverProblem>();
  waivers.forEach((waiver, index) => {
    const at = (key: string) => pointer('waivers', index, key);
    const reject = (rule: RuleMetadata, key: string, message: string, status: WaiverProblem['status'] = 'rejected') =>
      problems.set(index, { rule, status, finding: { pointer: at(key), message } });

    if (!isIsoDate(waiver.expires)) return reject(waiverMalformed, 'expires', `waiver for ${waiver.rule}: expires "${waiver.expires}" is not a calendar date YYYY-MM-DD, so the waiver is ignored`);
    if (waiver.reason.trim() === '') return reject(waiverMalformed, 'reason', `waiver for ${waiver.rule} has an empty reason, so it is ignored`);
    if (waiver.scope !== undefined && waiver.scope.trim() === '') return reject(waiverMalformed, 'scope', `waiver for ${waiver.rule} has an empty scope, so it is ignored`);
    const ref = parseRuleRef(waiver.rule);
    const rule = ref && lookup(ref.id);
    if (!ref || !rule) return reject(waiverUnknownRule, 'rule', `waiver names unknown rule "${waiver.rule}"`);
    if (ref.version !== undefined && ref.version !== rule.version) {
      return reject(waiverUnknownRule, 'rule', `waiver names ${waiver.rule} but the rule is now ${versionedId(rule)}: review the rule again and update the waiver`);
    }
    if (!rule.waivable) return reject(waiverNotAllowed, 'rule', `${rule.id} (${rule.title}) cannot be waived`);
    if (isAfter(ctx.asOf, waiver.expires)) {
      return reject(waiverExpired, 'expires', `waiver for ${rule.id} expired on ${waiver.expires} (as of ${ctx.asOf}); its findings count again`, 'expired');
    }
    active.push({ index, waiver, ref });
  });
  return { active, problems };
}

/** The first active waiver covering a finding of `rule` with the given scope. */
export function findWaiver(active: readonly ActiveWaiver[], rule: RuleMetadata, scope: string | undefined): ActiveWaiver | undefined {
  return active.find(
    (w) =>
      w.ref.id === rule.id &&
      (w.waiver.scope === undefined || (scope !== undefined && w.waiver.scope.trim().toLowerCase() === scope.toLowerCase())),
  );
}
