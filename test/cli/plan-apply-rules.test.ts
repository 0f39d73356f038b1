/**
 * `plan` shows the document's rule findings first, exactly as `check` reports them (waivers
 * honoured, same `--as-of`); `apply` refuses an unwaived mandatory violation before it connects
 * to Exchange, as the policy pack refuses `pulumi up`. The CLI as a real process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState, type SimulatorState } from '../../src/simulator/state';
import { exampleFile, tempDir } from '../reconcile/simulated';
import { runCliProcess } from './cli-process';

const dir = tempDir('plan-rules');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const WOODGROVE = fs.readFileSync(exampleFile('woodgrove-onprem'), 'utf8');
/** EX01's POP3 login type switched to clear text: MP-SRV-002, mandatory. */
const PLAIN = WOODGROVE.replace('loginType: SecureLogin', 'loginType: PlainTextLogin');
const PLAIN_LINE = PLAIN.split('\n').findIndex((l) => l.includes('PlainTextLogin')) + 1;
const WAIVER = (expires: string) => `\nwaivers:\n  - rule: MP-SRV-002\n    scope: EX01\n    reason: Legacy branch terminals; replacement ordered.\n    expires: ${expires}\n`;

function document(name: string, text: string): string {
  const file = path.join(dir, `${name}.mailpolicy.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

function organisation(name: string, edit?: (s: SimulatorState) => void): string {
  const s = newOrganisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01', 'EX02'], mailboxes: 3 });
  edit?.(s);
  const file = path.join(dir, `${name}.state.json`);
  fs.writeFileSync(file, serialiseState(s));
  return file;
}

const writes = (statePath: string): Record<string, number> => (JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState).writes ?? {};

describe('plan shows the rule findings at its top', () => {
  const file = document('plain', PLAIN);
  const state = organisation('plan');

  it('text: the findings, as check words them, before the first change', () => {
    const check = runCliProcess(['check', file]);
    const finding = check.stdout.split('\n').find((l) => l.includes('MP-SRV-002')) as string;
    expect(finding).toBe(`${file}:${PLAIN_LINE}:9: mandatory MP-SRV-002v1: EX01 POP3: loginType PlainTextLogin accepts passwords in clear text on unencrypted connections`);

    const r = runCliProcess(['plan', file, '--state', state]);
    expect(r.code, r.stderr).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`backend: simulator (state: ${state})`);
    const at = lines.indexOf(`  ${finding}`);
    expect(at).toBeGreaterThan(0);
    const heading = lines.findIndex((l) => l.startsWith('Rules as of '));
    // No advisory since issue 12 (item 7): MP-EXO-005, an Exchange Online rule, no longer reports this Exchange Server document.
    expect(lines[heading]).toMatch(/^Rules as of \d{4}-\d\d-\d\d: 1 mandatory violation, 0 advisories, 0 waived$/);
    // Right under the target line (only the unmatched-exception warning may come before it).
    expect(lines[heading - 1]).toMatch(/^Plan for /);
    expect(at).toBeGreaterThan(heading);
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('PopSettings ')));
    expect(r.stdout).toContain('refuse to run until every mandatory violation is fixed or waived');
  });

  it('markdown: a findings table before the changes; json: a rules field', () => {
    const md = runCliProcess(['plan', file, '--state', state, '--format', 'markdown']).stdout;
    expect(md.indexOf('MP-SRV-002v1')).toBeGreaterThan(0);
    expect(md.indexOf('MP-SRV-002v1')).toBeLessThan(md.indexOf('### PopSettings'));
    expect(md).toContain(`| ❌ | ${file.replace(/_/g, '\\_')}:${PLAIN_LINE}:9 |`);

    const json = JSON.parse(runCliProcess(['plan', file, '--state', state, '--format', 'json']).stdout) as { rules: { asOf: string; summary: unknown; findings: { ruleId: string; outcome: string; location: { line: number; column: number } }[] } };
    expect(json.rules.summary).toEqual({ violation: 1, advisory: 0, waived: 0 });
    expect(json.rules.findings.find((f) => f.ruleId === 'MP-SRV-002')).toMatchObject({ outcome: 'violation', location: { line: PLAIN_LINE, column: 9 } });
  });

  it('--as-of judges waivers the way check does: in force before expiry, a violation after', () => {
    const waived = document('waived', PLAIN + WAIVER('2027-01-31'));
    const before = JSON.parse(runCliProcess(['plan', waived, '--state', state, '--format', 'json', '--as-of', '2027-01-01']).stdout) as { rules: { asOf: string; findings: { ruleId: string; outcome: string }[] } };
    expect(before.rules.asOf).toBe('2027-01-01');
    expect(before.rules.findings.find((f) => f.ruleId === 'MP-SRV-002')?.outcome).toBe('waived');
    const after = JSON.parse(runCliProcess(['plan', waived, '--state', state, '--format', 'json', '--as-of', '2027-02-01']).stdout) as { rules: { findings: { ruleId: string; outcome: string }[] } };
    expect(after.rules.findings.map((f) => [f.ruleId, f.outcome])).toEqual(expect.arrayContaining([['MP-SRV-002', 'violation'], ['MP-WVR-001', 'violation']]));

    const bad = runCliProcess(['plan', waived, '--state', state, '--as-of', '2027-02-30']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--as-of "2027-02-30" is not a calendar date');
  });
});

describe('apply refuses unwaived mandatory violations before connecting', () => {
  it('exit 2, each rule and FILE:LINE:COL, Exchange never contacted, nothing written', () => {
    const file = document('refused', PLAIN);
    // Any call to Exchange would fail with this message: it must not appear.
    const state = organisation('refused', (s) => {
      s.faults = [{ kind: 'permanent', times: 1_000_000, message: 'Exchange was contacted' }];
    });
    const r = runCliProcess(['apply', file, '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain('Exchange was contacted');
    expect(r.stderr).not.toContain('backend:');
    expect(r.stderr).toContain('mailpolicy apply: refused, nothing was changed: 1 mandatory rule violation(s) not waived');
    expect(r.stderr).toContain(`  ${file}:${PLAIN_LINE}:9: mandatory MP-SRV-002v1: EX01 POP3: loginType PlainTextLogin`);
    expect(writes(state)).toEqual({});
  });

  it('a waived violation is applied, the findings shown first; an expired waiver is refused again', () => {
    const file = document('waived-apply', PLAIN + WAIVER('2027-01-31'));
    const state = organisation('waived-apply');
    const applied = runCliProcess(['apply', file, '--state', state, '--as-of', '2027-01-01', '--allow-unmatched-exceptions']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/\nRules as of 2027-01-01: 0 mandatory violations, 0 advisories, 1 waived\n( {2}.*\n)* {2}.*: waived MP-SRV-002v1: /);
    expect(writes(state)['Set-PopSettings']).toBe(2);

    const expired = runCliProcess(['apply', file, '--state', organisation('expired'), '--as-of', '2027-02-01']);
    expect(expired.code).toBe(2);
    expect(expired.stderr).toMatch(/MP-WVR-001v1: waiver for MP-SRV-002 expired on 2027-01-31/);
    expect(expired.stderr).toContain('MP-SRV-002v1');
  });
});
