/**
 * Plain text for terminals and CI logs: one `FILE:LINE:COL: level RULE: message` line per
 * finding. Documents that could not be checked are not repeated here: the command prints their
 * problems to stderr, like `validate`.
 */
import { formatLocation } from '../../model/problem';
import { joinLines } from '../../text/escape';
import { findingLine, plural } from '../../report/findings';
import { controlsSummary } from '../../rules/crosswalk';
import { WAIVER_STATUS_TEXT, summaryLine, waiverLabel, type CheckReport } from './check-report';

export function renderText(report: CheckReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (!file.valid) continue;
    for (const f of file.findings) {
      lines.push(findingLine(f));
      // Indented, so tools that read `FILE:LINE:COL:` lines see one line per finding as before.
      const controls = controlsSummary(f.rule.id);
      if (controls) lines.push(`    controls: ${controls}`);
    }
    if (file.waivers.length) {
      lines.push(`${file.file}: waivers:`);
      for (const w of file.waivers) {
        const effect = w.status === 'applied' ? `applied to ${plural(w.applied, 'finding')}` : WAIVER_STATUS_TEXT[w.status];
        lines.push(`  ${formatLocation(w.location)}: ${waiverLabel(w)}: ${effect} (reason: ${w.waiver.reason})`);
      }
    }
  }
  lines.push(summaryLine(report));
  return joinLines(lines);
}
