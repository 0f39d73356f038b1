/**
 * Findings about the waivers themselves. They have rule metadata like every other rule, so
 * they get docs pages and SARIF rule entries, but the waiver engine (waivers.ts) produces them.
 * None can be waived: a waiver problem fails closed.
 */
import { WAIVER_DOCS_URL } from './docs-url';
import type { RuleMetadata } from './types';

const WAIVER_DOCS = { title: 'Waivers (docs/rules/README.md)', url: WAIVER_DOCS_URL };

const common = { version: 1, waivable: false, references: [WAIVER_DOCS] } as const;

export const waiverExpired: RuleMetadata = {
  ...common,
  id: 'MP-WVR-001',
  title: 'Waiver expired',
  severity: 'high',
  enforcement: 'mandatory',
  rationale:
    'A waiver is an accepted risk with an end date. After `expires` it no longer applies: the findings it covered are ' +
    'reported at their own enforcement again, and the stale waiver itself fails the check until someone renews or removes it.',
  remediation: 'Fix what the waiver covered and delete the waiver, or, after a new review, move `expires` forward.',
};

export const waiverNotAllowed: RuleMetadata = {
  ...common,
  id: 'MP-WVR-002',
  title: 'Waiver for a rule that cannot be waived',
  severity: 'high',
  enforcement: 'mandatory',
  rationale: 'Some rules describe states that are wrong by definition (for example legacy TLS in a US government cloud); no waiver can accept them.',
  remediation: 'Delete the waiver and fix the finding.',
};

export const waiverUnknownRule: RuleMetadata = {
  ...common,
  id: 'MP-WVR-003',
  title: 'Waiver for an unknown rule or rule version',
  severity: 'high',
  enforcement: 'mandatory',
  rationale:
    'A waiver naming a rule that does not exist (a typo, a removed rule) or an older version of a rule would silently waive ' +
    'nothing, or something no one reviewed. It fails closed.',
  remediation: 'Name an existing rule ID (`MP-EXO-004`), or its current versioned ID (`MP-EXO-004v1`) after reviewing the rule again.',
};

export const waiverMalformed: RuleMetadata = {
  ...common,
  id: 'MP-WVR-004',
  title: 'Malformed waiver',
  severity: 'high',
  enforcement: 'mandatory',
  rationale: 'A waiver without a real expiry date or without a reason is not an accepted risk. It is ignored and reported.',
  remediation: 'Give the waiver a non-empty `reason`, a real calendar date `expires: YYYY-MM-DD` and, if present, a non-empty `scope`.',
};

export const waiverUnused: RuleMetadata = {
  ...common,
  id: 'MP-WVR-005',
  title: 'Waiver matches no finding',
  severity: 'low',
  enforcement: 'advisory',
  rationale: 'A waiver that covers nothing is left over from a fixed finding, or its scope does not match; either way it should go.',
  remediation: 'Delete the waiver, or correct its `rule` or `scope`.',
};

export const WAIVER_RULES: readonly RuleMetadata[] = [waiverExpired, waiverNotAllowed, waiverUnknownRule, waiverMalformed, waiverUnused];
