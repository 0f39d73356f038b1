/** The policy rules: written once, run by `mailpolicy check` and the CrossGuard pack. */
export * from './types';
export { RULES, ALL_RULE_METADATA, RETIRED_RULES, ruleMetadata } from './rule-set';
export { checkPolicy, hasViolations, type CheckResult, type WaiverReport, type CheckOptions } from './check';
export { versionedId, parseRuleRef, packPolicyName } from './ids';
export { enforcementFor, strongestEnforcement } from './enforcement';
export { readsAnyOf } from './sections';
export { ruleDocsUrl, RULE_DOCS_BASE_URL } from './docs-url';
export { todayIso, isIsoDate, ruleContext } from './dates';
export type { WaiverStatus } from './waivers';
