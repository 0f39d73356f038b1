/** A report for `$GITHUB_STEP_SUMMARY` or a pull-request comment. */
import { formatLocation } from '../../model/problem';
import { findingsTable } from '../../report/findings';
import { markdownTable } from '../../report/table';
import { WAIVER_STATUS_TEXT, countOf, summaryLine, type CheckReport } from './check-report';

export function renderMarkdown(report: CheckReport): string {
  const c = countOf(report);
  const status = c.invalid ? '❌ could not check every document' : c.violation ? '❌ mandatory violations' : '✅ no mandatory violations';
  const out: string[] = ['## mailpolicy check', '', `**${status}**: ${summaryLine(report)}.`, ''];

  const findings = report.files.flatMap((file) => (file.valid ? file.findings : []));
  if (findings.length) {
    out.push(findingsTable(findings));
  }

  const waivers = report.files.flatMap((file) => (file.valid ? file.waivers : []));
  if (waivers.length) {
    out.push('### Waivers', '');
    out.push(
      markdownTable({
        headers: ['Location', 'Rule', 'Scope', 'Expires', 'Status', 'Findings', 'Reason'],
        rows: waivers.map((w) => [
          formatLocation(w.location),
          w.waiver.rule,
          w.waiver.scope ?? '(whole document)',
          w.waiver.expires,
          WAIVER_STATUS_TEXT[w.status],
          String(w.applied),
          w.waiver.reason,
        ]),
      }),
    );
  }

  const problems = report.files.flatMap((file) => (file.valid ? [] : file.problems));
  if (problems.length) {
    out.push('### Invalid documents', '');
    out.push(markdownTable({ headers: ['Location', 'Problem'], rows: problems.map((p) => [formatLocation(p), p.message]) }));
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
