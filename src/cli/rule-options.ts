/**
 * `--as-of`, shared by every command that runs the policy rules (check, plan, apply), so they
 * judge a document on the same day the same way: date-dependent rules and waiver expiry.
 */
import type { LoadedPolicy } from '../model/types';
import type { CheckedFile } from '../report/findings';
import type { Finding } from '../rules/types';
import type { RuleContext } from '../rules/types';
import type { OptionSpecs } from './args/spec';
import { UsageError } from './exit-codes';

export const AS_OF_OPTION = {
  asOf: { value: 'date', description: 'run the rules as of this day, YYYY-MM-DD (default: today, UTC); date-dependent rules and waiver expiry use it' },
} as const satisfies OptionSpecs;

/** The whole rule set over one loaded document, waivers honoured: what `check`, `plan` and `apply` all run (`alsoFound`: what check found across documents). */
export async function checkDocument(loaded: LoadedPolicy, ctx: RuleContext, alsoFound: readonly Finding[] = []): Promise<CheckedFile> {
  const [{ checkPolicy }, { locateResult }] = await Promise.all([import('../rules/check'), import('../report/findings')]);
  const result = checkPolicy(loaded.policy, ctx);
  return locateResult(loaded, { ...result, findings: [...result.findings, ...alsoFound] });
}

/** The rules' context for `--as-of` (a usage error unless it is a calendar day). The rules load only when asked for. */
export async function ruleContextOf(asOf: string | undefined): Promise<RuleContext> {
  const { ruleContext } = await import('../rules/dates');
  return ruleContext(asOf, (message) => new UsageError(`--as-of ${message}`));
}
