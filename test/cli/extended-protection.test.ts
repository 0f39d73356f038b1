/**
 * extendedProtectionPolicy on POP3/IMAP4 settings (Set-PopSettings / Set-ImapSettings
 * -ExtendedProtectionPolicy None|Allow|Require, Exchange Server only): the setting added to show
 * what a new setting of an existing kind costs (issue 13). Through the built CLI as a process
 * against the simulator: validate refuses a value the reference does not list, plan sends only
 * the drifted parameter, apply writes it, drift is then in sync, and export writes it back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

function document(value: string): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: mailpolicy/v1',
      'kind: MailPolicy',
      'metadata: { name: epa }',
      'target: { platform: exchangeServer, organization: woodgrove.com }',
      'servers:',
      `  - { name: EX01, pop3: { settings: { extendedProtectionPolicy: ${value} } }, imap4: { settings: { extendedProtectionPolicy: ${value} } } }`,
      '',
    ].join('\n'),
  );
  return file;
}

describe('extendedProtectionPolicy', () => {
  it('a value Exchange does not take is a validation error naming FILE:LINE:COL', () => {
    const file = document('Always');
    const run = mailpolicy(['validate', file]);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${path.basename(file)}:6:\\d+:.*extendedProtectionPolicy`));
  });

  it('plan, apply, drift and export: Exchange starts at None; Require is written with one Set per protocol and reads back', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    const file = document('Require');
    const state = ['--backend', 'simulator', '--state', org];

    const plan = mailpolicy(['plan', file, ...state, '--format', 'json']);
    expect(plan.status, plan.stderr).toBe(1);
    const resources = (JSON.parse(plan.stdout) as { resources: { changes: { cmdlet: string; parameters: Record<string, unknown>; drift: unknown[] }[] }[] }).resources;
    const sets = resources.flatMap((r) => r.changes).filter((c) => c.cmdlet.startsWith('Set-'));
    expect(sets.map((c) => c.drift)).toEqual([[{ key: 'extendedProtectionPolicy', desired: 'Require', actual: 'None' }], [{ key: 'extendedProtectionPolicy', desired: 'Require', actual: 'None' }]]);
    expect(sets.map(({ cmdlet, parameters }) => ({ cmdlet, parameters }))).toEqual([
      { cmdlet: 'Set-PopSettings', parameters: { Server: 'EX01', ExtendedProtectionPolicy: 'Require' } },
      { cmdlet: 'Set-ImapSettings', parameters: { Server: 'EX01', ExtendedProtectionPolicy: 'Require' } },
    ]);

    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status, apply.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    expect(saved.servers?.[0]?.pop3.settings.ExtendedProtectionPolicy).toBe('Require');
    expect(saved.servers?.[0]?.imap4.settings.ExtendedProtectionPolicy).toBe('Require');

    const drift = mailpolicy(['drift', file, ...state]);
    expect(drift.status, drift.stdout + drift.stderr).toBe(0);

    const exported = path.join(tempDir(), 'export.yaml');
    const exportRun = mailpolicy(['export', ...state, '--output', exported]);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    expect(fs.readFileSync(exported, 'utf8')).toMatch(/extendedProtectionPolicy: Require/);
  });
});
