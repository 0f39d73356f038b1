/**
 * Text from a document or from Exchange never reaches a human-readable output raw: the commands
 * the pipeline templates run print on CI agents that act on lines such as
 * `##vso[task.setvariable …]` and `::error::`, and terminals obey escape sequences and bidi
 * overrides. Every output below comes from the CLI as a real process; the hostile text is planted
 * where it still reaches output whatever the schema refuses: a YAML key that fails validation, a
 * waiver's free text, and values Exchange returns (the simulator's state).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState, type FaultSpec, type SimulatorState } from '../../src/simulator/state';
import { exampleFile, tempDir } from '../reconcile/simulated';
import { runCliProcess } from './cli-process';

const dir = tempDir('hostile');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const INJECTION = '\n##vso[task.setvariable variable=PULUMI_CONFIG_PASSPHRASE]x\n::error::y';
/** Every class the escaping covers: C0 (ESC, CR, TAB), DEL, C1, LRM, U+2028/2029, bidi override and isolate, Arabic letter mark. */
const INVISIBLE = '\u001b[31m\r\t\u007f\u0085\u200e\u2028\u2029\u202e\u2066\u061c';
const HOSTILE = `${INJECTION}${INVISIBLE}`;

// The writer's own newlines are the only control characters allowed.
// eslint-disable-next-line no-control-regex -- exactly what must not appear
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * No raw control character, no line an agent would act on, and the hostile text still shown:
 * escaped as `\n` (markdown cells show a newline as `<br>`, commands as PowerShell escapes).
 */
function expectSafe(output: string, what: string): void {
  expect(output, what).not.toMatch(UNSAFE);
  for (const line of output.split('\n')) {
    expect(line.startsWith('##vso['), `${what}: ${line}`).toBe(false);
    expect(line.startsWith('::error::y'), `${what}: ${line}`).toBe(false);
  }
  // Markdown escapes `[` and shows it in commands as PowerShell's `` `n`#`#vso ``: there, the text need only be there.
  expect(output, what).toMatch(what.includes('markdown') ? /vso\\?\[task\.setvariable/ : /\\n##vso\[task\.setvariable/);
}

/** A YAML double-quoted scalar holding exactly `text`: every character outside printable ASCII as an escape. */
function yamlQuoted(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function state(name: string, s: SimulatorState): string {
  return write(`${name}.state.json`, serialiseState(s));
}

const HEADER = `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: hostile }
target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }
`;

describe('document text', () => {
  const badKey = write('bad-key.mailpolicy.yaml', `${HEADER}${yamlQuoted(`k${HOSTILE}`)}: 1\n`);
  const waiver = write(
    'waiver.mailpolicy.yaml',
    // A reason is free text: the schema may refuse control characters in names and identities, not here.
    `${HEADER}transportConfig: { smtpClientAuthenticationDisabled: false }\nwaivers:\n  - rule: MP-EXO-003\n    reason: ${yamlQuoted(`r${HOSTILE}`)}\n    expires: 2099-01-01\n`,
  );

  it('validate: an unknown key is quoted escaped', () => {
    const r = runCliProcess(['validate', badKey]);
    expect(r.code).toBe(1);
    expectSafe(r.stderr, 'validate stderr');
  });

  it.each(['text', 'github', 'markdown', 'junit', 'sarif'])('check --format %s: problems and waiver text escaped', (format) => {
    const invalid = runCliProcess(['check', '--format', format, badKey]);
    expect(invalid.code).toBe(2);
    expectSafe(format === 'text' ? invalid.stderr : invalid.stdout + invalid.stderr, `check ${format}, invalid`);
    const waived = runCliProcess(['check', '--format', format, '--as-of', '2026-12-01', waiver]);
    expect(waived.code, waived.stderr).toBeLessThan(2);
    expectSafe(waived.stdout + waived.stderr, `check ${format}, waiver`);
  });

  it('plan and apply: an invalid document is reported escaped', () => {
    for (const command of ['plan', 'apply', 'drift']) {
      const r = runCliProcess([command, badKey, '--state', path.join(dir, 'none.json')]);
      expect(r.code).toBe(2);
      expectSafe(r.stderr, `${command} stderr`);
    }
  });
});

describe('Exchange text', () => {
  /** A tenant whose mailbox address and whose read-back values carry the hostile text. */
  function online(faults: FaultSpec[] = []): string {
    const s = newOrganisation({ platform: 'exchangeOnline', mailboxes: 2 });
    s.mailboxes.push(['evil', `evil${HOSTILE}@contoso.com`, 'evil@contoso.onmicrosoft.com', true, true, null]);
    s.faults = faults;
    return state(`online-${faults.length}`, s);
  }
  function onPrem(): string {
    const s = newOrganisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01', 'EX02'] });
    for (const server of s.servers ?? []) server.pop3.settings.X509CertificateName = `cert${HOSTILE}`;
    s.mailboxes.push(['evil', `evil${HOSTILE}@woodgrove.com`, 'evil@woodgrove.com', true, true, null]);
    return state('onprem', s);
  }
  const contoso = exampleFile('contoso-worldwide');
  const woodgrove = exampleFile('woodgrove-onprem');

  it.each(['text', 'markdown', 'sarif'])('plan and drift --format %s', (format) => {
    for (const [file, s] of [
      [contoso, online()],
      [woodgrove, onPrem()],
    ] as const) {
      for (const command of ['plan', 'drift']) {
        if (command === 'plan' && format === 'sarif') continue;
        const r = runCliProcess([command, file, '--state', s, '--format', format]);
        expect(r.code, r.stderr).toBe(1);
        expectSafe(r.stdout, `${command} ${format} ${path.basename(file)}`);
      }
    }
  });

  it('Exchange error messages in plan, apply, drift and export', () => {
    const fault = (cmdlet: string): FaultSpec => ({ kind: 'permanent', cmdlet, message: `object 'x${HOSTILE}' couldn't be found`, times: 100 });
    for (const [argv, cmdlet] of [
      [['plan', contoso], 'Get-TransportConfig'],
      [['drift', contoso], 'Get-TransportConfig'],
      // The example's mailbox exceptions name mailboxes this tenant lacks: not what this test is about.
      [['apply', contoso, '--allow-unmatched-exceptions'], 'Set-TransportConfig'],
      [['export'], 'Get-EXOCasMailbox'],
    ] as const) {
      const r = runCliProcess([...argv, '--state', online([fault(cmdlet)])]);
      expect(r.code, `${argv[0]}: ${r.stderr}`).toBe(2);
      expectSafe(r.stderr, `${argv[0]} stderr`);
    }
  });
});
