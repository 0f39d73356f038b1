/**
 * JUnit XML for CI test-report views: one testsuite per file, one testcase per rule; mandatory
 * violations are failures, advisories and waived findings are printed in the testcase's output,
 * and the document's waivers are testsuite properties.
 * A document that could not be checked is a testsuite with one erroring testcase.
 */
import { formatLocation, formatProblem } from '../../model/problem';
import { escapeControls } from '../../text/escape';
import { ALL_RULE_METADATA } from '../../rules/rule-set';
import { versionedId } from '../../rules/ids';
import { OUTCOME_WORD, type LocatedFinding } from '../../report/findings';
import { WAIVER_STATUS_TEXT, waiverLabel, type CheckReport } from './check-report';

/** Text and attribute escaping; characters XML 1.0 cannot carry are dropped. */
export function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- removing exactly the characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const at = (f: LocatedFinding) => formatLocation(f.location);

export function renderJunit(report: CheckReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const file of report.files) {
    if (!file.valid) {
      tests++;
      errors++;
      const text = file.problems.map(formatProblem).join('\n');
      suites.push(
        `  <testsuite name="${xml(escapeControls(file.file))}" tests="1" failures="0" errors="1">\n` +
          `    <testcase classname="${xml(escapeControls(file.file))}" name="valid document">\n      <error message="invalid document" type="invalid">${xml(text)}</error>\n    </testcase>\n  </testsuite>`,
      );
      continue;
    }
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const rule of ALL_RULE_METADATA) {
      const found = file.findings.filter((f) => f.rule.id === rule.id);
      const violations = found.filter((f) => f.outcome === 'violation');
      const others = found.filter((f) => f.outcome !== 'violation');
      const name = `${versionedId(rule)} ${rule.title}`;
      let body = '';
      if (violations.length) {
        suiteFailures++;
        const text = violations.map((f) => `${at(f)}: ${escapeControls(f.message)}`).join('\n');
        body += `\n      <failure message="${xml(`${violations.length} mandatory violation(s)`)}" type="mandatory">${xml(text)}</failure>`;
      }
      if (others.length) body += `\n      <system-out>${xml(others.map((f) => `${at(f)}: ${OUTCOME_WORD[f.outcome]}: ${escapeControls(f.message)}`).join('\n'))}</system-out>`;
      cases.push(`    <testcase classname="${xml(escapeControls(file.file))}" name="${xml(name)}">${body ? `${body}\n    ` : ''}</testcase>`);
    }
    tests += cases.length;
    failures += suiteFailures;
    // The document's waivers, so CI test views show what was accepted and until when.
    const properties = file.waivers.length
      ? `    <properties>\n${file.waivers
          .map((w) => `      <property name="waiver" value="${xml(escapeControls(`${waiverLabel(w)}: ${WAIVER_STATUS_TEXT[w.status]}, ${w.applied} finding(s); reason: ${w.waiver.reason}`))}"/>`)
          .join('\n')}\n    </properties>\n`
      : '';
    suites.push(`  <testsuite name="${xml(escapeControls(file.file))}" tests="${cases.length}" failures="${suiteFailures}" errors="0">\n${properties}${cases.join('\n')}\n  </testsuite>`);
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="mailpolicy check" tests="${tests}" failures="${failures}" errors="${errors}">\n${suites.join('\n')}\n</testsuites>\n`
  );
}
