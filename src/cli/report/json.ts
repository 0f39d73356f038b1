/** Machine-readable report: stable field names, bare rule IDs plus versions, 1-based positions. */
import { jsonText } from '../../text/escape';
import { versionedId } from '../../rules/ids';
import { crosswalkOf, testName } from '../../rules/crosswalk';
import { countOf, type CheckReport } from './check-report';

export function renderJson(report: CheckReport): string {
  const out = {
    tool: report.tool,
    asOf: report.asOf,
    summary: countOf(report),
    files: report.files.map((file) =>
      file.valid
        ? {
            file: file.file,
            valid: true,
            findings: file.findings.map((f) => ({
              ruleId: f.rule.id,
              ruleVersion: f.rule.version,
              rule: versionedId(f.rule),
              title: f.rule.title,
              severity: f.rule.severity,
              enforcement: f.enforcement,
              outcome: f.outcome,
              message: f.message,
              pointer: f.pointer,
              ...(f.scope !== undefined ? { scope: f.scope } : {}),
              line: f.location.line,
              column: f.location.column,
              ...(f.waiverIndex !== undefined ? { waiver: f.waiverIndex } : {}),
              controls: crosswalkOf(f.rule.id).controls.map((c) => ({ framework: c.framework, id: c.id, title: c.title, relationship: c.relationship, ...(c.testUrl ? { test: testName(c) } : {}), source: c.source.url, verified: c.source.verified })),
            })),
            waivers: file.waivers.map((w) => ({
              index: w.index,
              ...w.waiver,
              status: w.status,
              applied: w.applied,
              line: w.location.line,
              column: w.location.column,
            })),
          }
        : { file: file.file, valid: false, problems: file.problems.map((p) => ({ line: p.line, column: p.column, message: p.message })) },
    ),
  };
  return jsonText(out);
}
