/** A report for `$GITHUB_STEP_SUMMARY` or a pull-request comment. */
import { formatLocation } from '../../model/problem';
import { findingsTable } from '../../report/findings';
import { markdownTable } from '../../report/table';
import { controlLabel, crosswalkOf, FRAMEWORKS } from '../../rules/crosswalk';
import { versionedId } from '../../rules/ids';
import { WAIVER_STATUS_TEXT, countOf, summaryLine, type CheckReport } from './check-report';

export function renderMarkdown(report: CheckReport): string {
  const c = countOf(report);
  const status = c.invalid ? '❌ could not check every document' : c.violation ? '❌ mandatory violations' : '✅ no mandatory violations';
  const out: string[] = ['## mailpolicy check', '', `**${status}**: ${summaryLine(report)}.`, ''];

  const findings = report.files.flatMap((file) => (file.valid ? file.findings : []));
  if (findings.length) {
    out.push(findingsTable(findings));
    // The baselines' controls behind the rules found, for compliance readers.
    const rules = [...new Map(findings.map((f) => [f.rule.id, f.rule])).values()].filter((r) => crosswalkOf(r.id).controls.length > 0);
    if (rules.length) {
      out.push('### Controls', '');
      out.push(
        markdownTable({
          headers: ['Rule', 'Control', 'Framework', 'Title', 'Relationship'],
          rows: rules.flatMap((r) =>
            crosswalkOf(r.id).controls.map((c) => [versionedId(r), { text: controlLabel(c), url: c.source.url }, FRAMEWORKS[c.framework].name, c.title, c.relationship === 'implements' ? 'implements' : 'relates to']),
          ),
        }),
      );
    }
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
