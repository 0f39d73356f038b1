/**
 * What `mailpolicy check` found in a set of files, with every finding located in its file:
 * the one input of every output format (text, json, sarif, github, markdown, junit).
 */
import type { Problem } from '../../model/problem';
import type { LoadedPolicy, SourceLocation } from '../../model/types';
import type { CheckResult, Finding, Outcome, WaiverReport } from '../../rules';
import { pointer } from '../../rules/pointer';

export interface LocatedFinding extends Finding {
  readonly location: SourceLocation;
}

export interface LocatedWaiver extends WaiverReport {
  readonly location: SourceLocation;
}

export interface CheckedFile {
  readonly file: string;
  readonly valid: true;
  /** Ordered by position in the file. */
  readonly findings: readonly LocatedFinding[];
  readonly waivers: readonly LocatedWaiver[];
}

/** A file that could not be checked: unreadable or not a valid document. */
export interface InvalidFile {
  readonly file: string;
  readonly valid: false;
  readonly problems: readonly Problem[];
}

export interface CheckReport {
  readonly tool: { readonly name: string; readonly version: string };
  readonly asOf: string;
  readonly files: readonly (CheckedFile | InvalidFile)[];
}

export function locateResult(loaded: LoadedPolicy, result: CheckResult): CheckedFile {
  const findings = result.findings
    .map((f, order) => ({ f: { ...f, location: loaded.locate(f.pointer) }, order }))
    .sort((a, b) => a.f.location.line - b.f.location.line || a.f.location.column - b.f.location.column || a.order - b.order)
    .map(({ f }) => f);
  const waivers = result.waivers.map((w) => ({ ...w, location: loaded.locate(pointer('waivers', w.index)) }));
  return { file: loaded.file, valid: true, findings, waivers };
}

export interface Counts {
  readonly files: number;
  readonly invalid: number;
  readonly violation: number;
  readonly advisory: number;
  readonly waived: number;
}

export function countOf(report: CheckReport): Counts {
  const counts = { files: report.files.length, invalid: 0, violation: 0, advisory: 0, waived: 0 };
  for (const file of report.files) {
    if (!file.valid) counts.invalid++;
    else for (const f of file.findings) counts[f.outcome]++;
  }
  return counts;
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One line that says how it went, shared by the human formats. */
export function summaryLine(report: CheckReport): string {
  const c = countOf(report);
  const parts = [plural(c.violation, 'mandatory violation'), plural(c.advisory, 'advisory', 'advisories'), `${c.waived} waived`];
  if (c.invalid) parts.unshift(plural(c.invalid, 'invalid document'));
  return `${plural(c.files, 'file')} checked as of ${report.asOf}: ${parts.join(', ')}`;
}

/** How each outcome is named in human output. */
export const OUTCOME_WORD: Readonly<Record<Outcome, string>> = { violation: 'mandatory', advisory: 'advisory', waived: 'waived' };

/** `MP-EXO-004 scope scanner@contoso.com, expires 2027-03-31` */
export function waiverLabel(w: WaiverReport): string {
  return `${w.waiver.rule}${w.waiver.scope ? ` scope ${w.waiver.scope}` : ''}, expires ${w.waiver.expires}`;
}

export const WAIVER_STATUS_TEXT: Readonly<Record<WaiverReport['status'], string>> = {
  applied: 'applied',
  unused: 'matches no finding',
  expired: 'expired',
  rejected: 'rejected',
};
