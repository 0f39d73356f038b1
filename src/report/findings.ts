/**
 * Rule findings located in their document (FILE:LINE:COL), as `mailpolicy check` reports them
 * and `plan` and `apply` show them before their changes: one line format, one markdown table,
 * so check, plan and apply can never disagree. (The rules themselves run in src/cli/rule-options.ts.)
 */
import { formatLocation } from '../model/problem';
import type { LoadedPolicy, SourceLocation } from '../model/types';
import type { CheckResult, WaiverReport } from '../rules/check';
import type { Finding, Outcome } from '../rules/types';
import { ruleDocsUrl } from '../rules/docs-url';
import { versionedId } from '../rules/ids';
import { pointer } from '../rules/pointer';
import { markdownTable } from './table';

export interface LocatedFinding extends Finding {
  readonly location: SourceLocation;
}

export interface LocatedWaiver extends WaiverReport {
  readonly location: SourceLocation;
}

/** One document's rule results, every finding and waiver located. */
export interface CheckedFile {
  readonly file: string;
  readonly valid: true;
  readonly asOf: string;
  /** Ordered by position in the file. */
  readonly findings: readonly LocatedFinding[];
  readonly waivers: readonly LocatedWaiver[];
}

export function locateResult(loaded: LoadedPolicy, result: CheckResult): CheckedFile {
  const findings = result.findings
    .map((f, order) => ({ f: { ...f, location: loaded.locate(f.pointer) }, order }))
    .sort((a, b) => a.f.location.line - b.f.location.line || a.f.location.column - b.f.location.column || a.order - b.order)
    .map(({ f }) => f);
  const waivers = result.waivers.map((w) => ({ ...w, location: loaded.locate(pointer('waivers', w.index)) }));
  return { file: loaded.file, valid: true, asOf: result.asOf, findings, waivers };
}

/** How each outcome is named in human output. */
export const OUTCOME_WORD: Readonly<Record<Outcome, string>> = { violation: 'mandatory', advisory: 'advisory', waived: 'waived' };

export type OutcomeCounts = Record<Outcome, number>;

export function outcomeCounts(findings: readonly Finding[]): OutcomeCounts {
  const counts: OutcomeCounts = { violation: 0, advisory: 0, waived: 0 };
  for (const f of findings) counts[f.outcome]++;
  return counts;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `1 mandatory violation, 2 advisories, 0 waived` */
export function countsText(c: OutcomeCounts): string {
  return `${plural(c.violation, 'mandatory violation')}, ${plural(c.advisory, 'advisory', 'advisories')}, ${c.waived} waived`;
}

/** `FILE:LINE:COL: mandatory MP-SRV-002v1: message` */
export function findingLine(f: LocatedFinding): string {
  return `${formatLocation(f.location)}: ${OUTCOME_WORD[f.outcome]} ${versionedId(f.rule)}: ${f.message}`;
}

const ICON: Readonly<Record<Outcome, string>> = { violation: '❌', advisory: '⚠️', waived: '☑️' };

export function findingsTable(findings: readonly LocatedFinding[]): string {
  return markdownTable({
    headers: ['', 'Location', 'Rule', 'Outcome', 'Message'],
    rows: findings.map((f) => [ICON[f.outcome], formatLocation(f.location), { text: versionedId(f.rule), url: ruleDocsUrl(f.rule.id) }, OUTCOME_WORD[f.outcome], f.message]),
  });
}

// ---- the rules section at the top of a plan (text, markdown, JSON) ----

/** What a plan says under its findings when a mandatory violation is not waived. */
export const REFUSAL_NOTE = '`mailpolicy apply` and `pulumi up` (policy pack) refuse to run until every mandatory violation is fixed or waived.';

function rulesHeading(rules: CheckedFile): string {
  return rules.findings.length === 0 ? `Rules as of ${rules.asOf}: no findings.` : `Rules as of ${rules.asOf}: ${countsText(outcomeCounts(rules.findings))}`;
}

/** true when a mandatory violation is not waived: `apply` and `pulumi up` refuse to run. */
export function refuses(rules: CheckedFile): boolean {
  return rules.findings.some((f) => f.outcome === 'violation');
}

/** Lines for a text report: the heading, one line per finding, the refusal note. */
export function rulesSectionText(rules: CheckedFile): string[] {
  if (rules.findings.length === 0) return [rulesHeading(rules)];
  return [rulesHeading(rules), ...rules.findings.map((f) => `  ${findingLine(f)}`), ...(refuses(rules) ? [`  ${REFUSAL_NOTE}`] : []), ''];
}

/** Lines for a markdown report: the heading, the findings table, the refusal note. */
export function rulesSectionMarkdown(rules: CheckedFile): string[] {
  const lines = [`**${rulesHeading(rules)}**`];
  if (rules.findings.length > 0) lines.push('', ...findingsTable(rules.findings).trimEnd().split('\n'));
  if (refuses(rules)) lines.push('', REFUSAL_NOTE);
  return lines;
}

/** The same for programs: bare rule IDs plus versions, 1-based positions. */
export function rulesDocument(rules: CheckedFile): Record<string, unknown> {
  return {
    asOf: rules.asOf,
    summary: outcomeCounts(rules.findings),
    findings: rules.findings.map((f) => ({
      ruleId: f.rule.id,
      rule: versionedId(f.rule),
      enforcement: f.enforcement,
      outcome: f.outcome,
      message: f.message,
      pointer: f.pointer,
      ...(f.scope !== undefined ? { scope: f.scope } : {}),
      location: { file: f.location.file, line: f.location.line, column: f.location.column },
    })),
  };
}
