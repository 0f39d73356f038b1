/**
 * Mailbox exceptions name mailboxes as Exchange's -Identity does (issue 11, item 5): by name,
 * alias, GUID, distinguished name, any email address or user principal name, case-insensitively.
 * An identity that still names no mailbox is a warning at the top of plan and drift (and a JSON
 * field); apply refuses to run with one unless told; two exceptions that name one mailbox with
 * different values are an error naming both. The CLI runs as a real process, on the simulator
 * and through the PowerShell backend (the real runner and the stand-in pwsh).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import type { Platform } from '../../src/model/types';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState, type MailboxRow, type SimulatorState } from '../../src/simulator/state';
import { runCliProcess } from '../cli/cli-process';
import { TOKEN } from '../exchange/stand-in';
import { tempDir } from './simulated';

const dir = tempDir('mailbox-exceptions');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SCANNER_GUID = 'e2f1a0b4-7c3d-4e5f-9a8b-0c1d2e3f4a5b';
/** A scanner whose Exchange identity is an object id, as Exchange Online prints it, and whose names all differ. */
const SCANNER: MailboxRow = [
  '5f0d2c1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f',
  'scanner@contoso.com',
  'scanner@contoso.onmicrosoft.com',
  true,
  true,
  null,
  { name: 'Copier Scanner', alias: 'scanner', guid: SCANNER_GUID, emailAddresses: ['copier@contoso.com'] },
];

let n = 0;
function organisation(platform: Platform, edit: (s: SimulatorState) => void = () => undefined): string {
  const state = newOrganisation({ platform, organization: platform === 'exchangeOnline' ? 'contoso.onmicrosoft.com' : 'contoso.com', mailboxes: 3 });
  state.mailboxes.push([...SCANNER] as MailboxRow);
  edit(state);
  const file = path.join(dir, `org-${++n}.json`);
  fs.writeFileSync(file, serialiseState(state));
  return file;
}

const TARGETS: Readonly<Record<Platform, string>> = {
  exchangeOnline: '{ platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }',
  exchangeServer: '{ platform: exchangeServer, organization: contoso.com }',
};

/** A document: the default turns POP3 off, the exceptions (YAML flow mappings) say otherwise. */
function documentWith(platform: Platform, exceptions: readonly string[]): string {
  const file = path.join(dir, `doc-${++n}.mailpolicy.yaml`);
  const lines = ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: contoso }', `target: ${TARGETS[platform]}`, 'casMailboxes:', '  default: { popEnabled: false }', '  exceptions:'];
  for (const e of exceptions) lines.push(`    - ${e}`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const sim = (state: string) => ['--backend', 'simulator', '--state', state];

interface PlanJson {
  unmatchedExceptions: { identity: string; pointer: string; reason: string; location: { file: string; line: number; column: number } }[];
  resources: { changes: { subject: string; parameters: Record<string, unknown> }[] }[];
}

/** What plan wants for the scanner: POP3 kept on means the exception named it. */
function scannerChange(stdout: string): Record<string, unknown> | undefined {
  const plan = JSON.parse(stdout) as PlanJson;
  return plan.resources.flatMap((r) => r.changes).find((c) => c.subject === 'scanner@contoso.com')?.parameters;
}

const readState = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as SimulatorState;

describe('an exception names its mailbox the way Exchange -Identity does', () => {
  it.each<[string, Platform, string]>([
    ['name', 'exchangeOnline', 'Copier Scanner'],
    ['name in another case', 'exchangeOnline', 'cOPIER sCANNER'],
    ['alias (Exchange resolves it)', 'exchangeOnline', 'Scanner'],
    ['user principal name (Exchange resolves it)', 'exchangeOnline', 'SCANNER@contoso.onmicrosoft.com'],
    ['GUID', 'exchangeOnline', SCANNER_GUID.toUpperCase()],
    ['a proxy email address', 'exchangeOnline', 'Copier@Contoso.com'],
    ['Exchange identity', 'exchangeOnline', '5f0d2c1e-8b7a-4c3d-9e2f-1a0b9c8d7e6f'],
    ['distinguished name (Exchange Server)', 'exchangeServer', 'cn=Copier Scanner,CN=Users,DC=contoso,DC=com'],
    ['alias (Exchange Server resolves it)', 'exchangeServer', 'scanner'],
  ])('%s', (_form, platform, identity) => {
    const file = documentWith(platform, [`{ identities: ["${identity}"], popEnabled: true }`]);
    const plan = runCliProcess(['plan', file, ...sim(organisation(platform)), '--format', 'json']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(1);
    expect((JSON.parse(plan.stdout) as PlanJson).unmatchedExceptions).toEqual([]);
    // Matched: the scanner keeps POP3 (no change for it), the others lose it.
    expect(scannerChange(plan.stdout)).toBeUndefined();
  });

  it('through the PowerShell backend too: the user principal name is resolved by (the stand-in for) Exchange over the real runner', () => {
    const file = documentWith('exchangeOnline', ['{ identities: [scanner@contoso.onmicrosoft.com], popEnabled: true }']);
    const state = organisation('exchangeOnline');
    const plan = runCliProcess(['plan', file, '--backend', 'powershell', '--pwsh', STAND_IN_PWSH, '--format', 'json'], { env: { ...standInEnv(state), MAILPOLICY_ACCESS_TOKEN: TOKEN } });
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(1);
    expect((JSON.parse(plan.stdout) as PlanJson).unmatchedExceptions).toEqual([]);
    expect(scannerChange(plan.stdout)).toBeUndefined();
  });
});

describe('an exception that names no mailbox', () => {
  const file = documentWith('exchangeOnline', ['{ identities: [scanner@contoso.com], popEnabled: true }', '{ identities: [ghost@contoso.com], popEnabled: true }']);
  const warning = 'WARNING: 1 mailbox exception identity matches no mailbox: the mailbox meant gets the default instead.';
  const item = `${file}:9:22: casMailboxes.exceptions[1].identities[0] "ghost@contoso.com": no mailbox has this name, alias, email address, user principal name, GUID or distinguished name`;

  it('plan: a warning at the top (text, markdown) and a field in JSON', () => {
    const state = organisation('exchangeOnline');
    const text = runCliProcess(['plan', file, ...sim(state)]);
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`backend: simulator (state: ${state})`);
    expect(lines[1]).toMatch(new RegExp(`^${warning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} apply and pulumi up refuse to run`));
    expect(lines[2]).toBe(`  ${item}`);
    expect(text.stdout.indexOf('ghost')).toBeLessThan(text.stdout.indexOf('Plan for'));
    const markdown = runCliProcess(['plan', file, ...sim(state), '--format', 'markdown']);
    expect(markdown.stdout.split('\n').slice(0, 4)).toEqual([`backend: simulator (state: ${state})`, '', expect.stringContaining(`> **⚠️ ${warning}`), `> - ${item}`]);
    const json = JSON.parse(runCliProcess(['plan', file, ...sim(state), '--format', 'json']).stdout) as PlanJson;
    expect(json.unmatchedExceptions).toEqual([
      {
        identity: 'ghost@contoso.com',
        pointer: '/casMailboxes/exceptions/1/identities/0',
        reason: 'none',
        message: 'no mailbox has this name, alias, email address, user principal name, GUID or distinguished name',
        location: { file, line: 9, column: 22 },
      },
    ]);
  });

  it('drift: the same warning at the top (text, markdown) and field (JSON), exit status unchanged', () => {
    const state = organisation('exchangeOnline');
    const text = runCliProcess(['drift', file, ...sim(state)]);
    expect(text.code).toBe(1);
    expect(text.stdout.split('\n').slice(1, 3)).toEqual([expect.stringContaining(warning), `  ${item}`]);
    const markdown = runCliProcess(['drift', file, ...sim(state), '--format', 'markdown']);
    expect(markdown.stdout.split('\n').slice(2, 4)).toEqual([expect.stringContaining(`> **⚠️ ${warning}`), `> - ${item}`]);
    const json = JSON.parse(runCliProcess(['drift', file, ...sim(state), '--format', 'json']).stdout) as PlanJson;
    expect(json.unmatchedExceptions.map((u) => [u.identity, u.location.line, u.location.column])).toEqual([['ghost@contoso.com', 9, 22]]);
  });

  it('apply refuses by default (exit 2, nothing written); --allow-unmatched-exceptions applies', () => {
    const state = organisation('exchangeOnline');
    const before = fs.readFileSync(state, 'utf8');
    const refused = runCliProcess(['apply', file, ...sim(state)]);
    expect(refused.code).toBe(2);
    expect(refused.stdout.split('\n')[1]).toContain(warning);
    expect(refused.stderr).toBe(
      'mailpolicy apply: refusing to apply: 1 mailbox exception identity(ies) match no mailbox (listed above); nothing was changed. Fix the document, or pass --allow-unmatched-exceptions.\n',
    );
    expect(fs.readFileSync(state, 'utf8')).toBe(before);
    const allowed = runCliProcess(['apply', file, ...sim(state), '--allow-unmatched-exceptions']);
    expect(allowed.stderr).toBe('');
    expect(allowed.code).toBe(0);
    expect(readState(state).writes?.['Set-CASMailbox']).toBe(3);
  });

  it('an identity more than one mailbox answers to is not guessed', () => {
    const state = organisation('exchangeOnline', (s) => {
      s.mailboxes.push(['front1', 'front1@contoso.com', 'front1@contoso.onmicrosoft.com', true, true, null, { name: 'Front Desk' }]);
      s.mailboxes.push(['front2', 'front2@contoso.com', 'front2@contoso.onmicrosoft.com', true, true, null, { name: 'Front Desk' }]);
    });
    const doc = documentWith('exchangeOnline', ['{ identities: [front desk], popEnabled: true }']);
    const json = JSON.parse(runCliProcess(['plan', doc, ...sim(state), '--format', 'json']).stdout) as PlanJson;
    expect(json.unmatchedExceptions.map((u) => [u.identity, u.reason])).toEqual([['front desk', 'ambiguous']]);
  });
});

describe('two exceptions that name one mailbox', () => {
  it('with different values: plan and drift exit 2 naming both at FILE:LINE:COL, nothing planned', () => {
    const state = organisation('exchangeOnline');
    const file = documentWith('exchangeOnline', ['{ identities: [Copier Scanner], popEnabled: true }', '{ identities: [scanner@contoso.onmicrosoft.com], popEnabled: false, imapEnabled: false }']);
    const expected =
      `${file}:9:22: casMailboxes.exceptions[1].identities[0] "scanner@contoso.onmicrosoft.com" and casMailboxes.exceptions[0].identities[0] "Copier Scanner" (${file}:8:22) ` +
      'name the same mailbox scanner@contoso.com with different popEnabled (false here, true there): exceptions that resolve to one mailbox must agree\n';
    for (const command of ['plan', 'drift', 'apply']) {
      const r = runCliProcess([command, file, ...sim(state)]);
      expect(r.code, command).toBe(2);
      expect(r.stdout, command).toBe('');
      expect(r.stderr, command).toBe(`backend: simulator (state: ${state})\n${expected}`);
    }
    expect(readState(state).writes ?? {}).toEqual({});
  });

  it('with the same values: one mailbox, one change', () => {
    const state = organisation('exchangeOnline');
    const file = documentWith('exchangeOnline', ['{ identities: [Copier Scanner], popEnabled: false, imapEnabled: false }', '{ identities: [scanner], popEnabled: false }']);
    const plan = runCliProcess(['plan', file, ...sim(state), '--format', 'json']);
    expect(plan.code).toBe(1);
    expect(scannerChange(plan.stdout)).toEqual({ Identity: 'scanner@contoso.com', PopEnabled: false, ImapEnabled: false });
  });
});
