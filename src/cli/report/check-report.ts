/**
 * What `mailpolicy check` found in a set of files, with every finding located in its file:
 * the one input of every output format (text, json, sarif, github, markdown, junit).
 */
import type { Problem } from '../../model/problem';
import type { CheckedFile } from '../../report/findings';
import { countsText, outcomeCounts, plural } from '../../report/findings';
import type { WaiverReport } from '../../rules';

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

export interface Counts {
  readonly files: number;
  readonly invalid: number;
  readonly violation: number;
  readonly advisory: number;
  readonly waived: number;
}

export function countOf(report: CheckReport): Counts {
  const findings = report.files.flatMap((file) => (file.valid ? file.findings : []));
  return { files: report.files.length, invalid: report.files.filter((file) => !file.valid).length, ...outcomeCounts(findings) };
}

/** One line that says how it went, shared by the human formats. */
export function summaryLine(report: CheckReport): string {
  const c = countOf(report);
  const invalid = c.invalid ? `${plural(c.invalid, 'invalid document')}, ` : '';
  return `${plural(c.files, 'file')} checked as of ${report.asOf}: ${invalid}${countsText(c)}`;
}

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
