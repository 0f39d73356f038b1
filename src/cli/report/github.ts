/**
 * GitHub Actions workflow commands: each finding becomes an annotation on the offending line of
 * the pull request (`::error` mandatory, `::warning` advisory, `::notice` waived).
 */
import { escapeControls } from '../../text/escape';
import { versionedId } from '../../rules/ids';
import type { Outcome } from '../../rules';
import { WAIVER_STATUS_TEXT, summaryLine, waiverLabel, type CheckReport } from './check-report';
import type { SourceLocation } from '../../model/types';

const COMMAND: Readonly<Record<Outcome, string>> = { violation: 'error', advisory: 'warning', waived: 'notice' };

/** Escaping of the runner's toolkit (`escapeData` / `escapeProperty`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(command: string, at: SourceLocation, title: string, message: string): string {
  // Line 0: the problem is about the whole file (it could not be read).
  const position = at.line > 0 ? `,line=${at.line},col=${at.column}` : '';
  // The toolkit's escaping keeps a value inside its annotation; escapeControls keeps it from hiding or faking text in the log.
  return `::${command} file=${escapeProperty(escapeControls(at.file))}${position},title=${escapeProperty(escapeControls(title))}::${escapeData(escapeControls(message))}`;
}

export function renderGithub(report: CheckReport): string {
  const lines: string[] = [];
  for (const file of report.files) {
    if (!file.valid) {
      for (const p of file.problems) lines.push(annotation('error', p, 'mailpolicy: invalid document', p.message));
      continue;
    }
    for (const f of file.findings) {
      const prefix = f.outcome === 'waived' ? 'waived: ' : '';
      lines.push(annotation(COMMAND[f.outcome], f.location, `${versionedId(f.rule)} ${f.rule.title}`, `${prefix}${f.message}`));
    }
    for (const w of file.waivers) {
      lines.push(annotation('notice', w.location, `waiver ${w.waiver.rule}: ${WAIVER_STATUS_TEXT[w.status]}`, `${waiverLabel(w)}; applied to ${w.applied}; reason: ${w.waiver.reason}`));
    }
  }
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}
