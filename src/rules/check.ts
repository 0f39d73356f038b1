/**
 * Runs the rule set over one document: rule findings, their enforcement for the document's
 * cloud, and the waivers. The CLI and the policy pack both call this.
 */
import type { MailPolicy, Waiver } from '../model/types';
import { enforcementFor } from './enforcement';
import { pointer } from './pointer';
import { RULES, ruleMetadata } from './rule-set';
import type { Finding, Outcome, Rule, RuleContext } from './types';
import { waiverUnused } from './waiver-rules';
import { findWaiver, validateWaivers, type WaiverStatus } from './waivers';

export interface WaiverReport {
  readonly index: number;
  readonly waiver: Waiver;
  readonly status: WaiverStatus;
  /** How many findings it waived. */
  readonly applied: number;
}

export interface CheckResult {
  readonly asOf: string;
  readonly findings: readonly Finding[];
  readonly waivers: readonly WaiverReport[];
}

export interface CheckOptions {
  /** The rules to run; the whole rule set by default (the pack runs subsets). */
  readonly rules?: readonly Rule[];
}

export function checkPolicy(policy: MailPolicy, ctx: RuleContext, options: CheckOptions = {}): CheckResult {
  const waivers = policy.waivers ?? [];
  const { active, problems } = validateWaivers(waivers, ctx, ruleMetadata);
  const applied = new Map<number, number>();
  const findings: Finding[] = [];

  for (const rule of options.rules ?? RULES) {
    const enforcement = enforcementFor(rule, policy);
    for (const f of rule.evaluate(policy, ctx)) {
      const waiver = rule.waivable ? findWaiver(active, rule, f.scope) : undefined;
      if (waiver) applied.set(waiver.index, (applied.get(waiver.index) ?? 0) + 1);
      const outcome: Outcome = waiver ? 'waived' : enforcement === 'mandatory' ? 'violation' : 'advisory';
      findings.push({ rule, ...f, enforcement, outcome, ...(waiver ? { waiverIndex: waiver.index } : {}) });
    }
  }

  const reports: WaiverReport[] = waivers.map((waiver, index) => {
    const problem = problems.get(index);
    if (problem) {
      findings.push({ rule: problem.rule, ...problem.finding, enforcement: 'mandatory', outcome: 'violation' });
      return { index, waiver, status: problem.status, applied: 0 };
    }
    const count = applied.get(index) ?? 0;
    // Only a run of the whole rule set can tell that a waiver covers nothing.
    if (count === 0 && options.rules === undefined) {
      findings.push({
        rule: waiverUnused,
        pointer: pointer('waivers', index, 'rule'),
        message: `waiver for ${waiver.rule}${waiver.scope ? ` (scope ${waiver.scope})` : ''} matches no finding`,
        enforcement: 'advisory',
        outcome: 'advisory',
      });
    }
    return { index, waiver, status: count > 0 ? 'applied' : 'unused', applied: count };
  });

  return { asOf: ctx.asOf, findings, waivers: reports };
}

/** true when the result fails the check (exit 1 / Pulumi blocks). */
export function hasViolations(result: CheckResult): boolean {
  return result.findings.some((f) => f.outcome === 'violation');
}
