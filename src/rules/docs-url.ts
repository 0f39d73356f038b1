/**
 * Where the rule pages (docs/rules/<ID>.md) are published. SARIF `helpUri` must be an absolute
 * URI, so the repository's address is needed; this is the one place that names it.
 */
export const RULE_DOCS_BASE_URL = 'https://github.com/mailpolicy/mailpolicy/blob/main/docs/rules/';

export function ruleDocsUrl(id: string): string {
  return `${RULE_DOCS_BASE_URL}${id}.md`;
}

export const WAIVER_DOCS_URL = `${RULE_DOCS_BASE_URL}README.md#waivers`;

/** docs/pulumi.md's stacks section: one stack per organisation. */
export const STACKS_DOCS_URL = new URL('../pulumi.md#stacks', RULE_DOCS_BASE_URL).href;
