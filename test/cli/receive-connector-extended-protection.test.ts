/**
 * servers[].smtpClientSubmission.extendedProtectionPolicy (Set-ReceiveConnector
 * -ExtendedProtectionPolicy None|Allow|Require, Exchange Server only): a setting added to an
 * existing kind to count what one costs now that the section is generated from the catalog
 * (issue 13). Through the built CLI as a process against the simulator: validate refuses a value
 * the reference does not list (FILE:LINE:COL) and the key on Exchange Online, plan sends only the
 * drifted parameter to a fresh `sim init` organisation (Client Frontend starts at None, the
 * reference's default), apply writes it, plan and drift are then in sync, drift finds a change
 * made behind mailpolicy's back, and export writes it back.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

function document(value: string, target = '{ platform: exchangeServer, organization: woodgrove.com }'): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(
    file,
    ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: epa }', `target: ${target}`, 'servers:', '  - name: EX01', '    smtpClientSubmission:', `      extendedProtectionPolicy: ${value}`, ''].join('\n'),
  );
  return file;
}

interface JsonPlan {
  readonly resources: readonly { readonly changes: readonly { cmdlet: string; parameters: Record<string, unknown>; drift: unknown[] }[] }[];
}

describe('smtpClientSubmission.extendedProtectionPolicy (Set-ReceiveConnector)', () => {
  it('validate: a value Exchange does not take is an error naming FILE:LINE:COL, exit 1; Allow is valid', () => {
    const bad = document('Always');
    const run = mailpolicy(['validate', bad]);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${path.basename(bad).replace('.', '\\.')}:8:\\d+:.*extendedProtectionPolicy`));
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /);
    const good = mailpolicy(['validate', document('Allow')]);
    expect(good.status, good.stdout + good.stderr).toBe(0);
  });

  it('plan, apply, plan again, drift behind its back, export: Client Frontend starts at None; Require is one Set-ReceiveConnector', () => {
    const org = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' });
    const file = document('Require');
    const state = ['--backend', 'simulator', '--state', org];

    const plan = mailpolicy(['plan', file, ...state, '--format', 'json']);
    expect(plan.status, plan.stderr).toBe(1);
    const sets = (JSON.parse(plan.stdout) as JsonPlan).resources.flatMap((r) => r.changes).filter((c) => c.cmdlet.startsWith('Set-'));
    expect(sets.map(({ cmdlet, parameters, drift }) => ({ cmdlet, parameters, drift }))).toEqual([
      { cmdlet: 'Set-ReceiveConnector', parameters: { Identity: 'Client Frontend EX01', ExtendedProtectionPolicy: 'Require' }, drift: [{ key: 'extendedProtectionPolicy', desired: 'Require', actual: 'None' }] },
    ]);

    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status, apply.stdout + apply.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    expect(saved.receiveConnectors?.[0]?.settings.ExtendedProtectionPolicy).toBe('Require');
    expect(mailpolicy(['plan', file, ...state]).status).toBe(0);
    const inSync = mailpolicy(['drift', file, ...state]);
    expect(inSync.status, inSync.stdout + inSync.stderr).toBe(0);

    const behind = mailpolicy(['sim', 'invoke', '--state', org, 'Set-ReceiveConnector', 'Identity=Client Frontend EX01', 'ExtendedProtectionPolicy=Allow']);
    expect(behind.status, behind.stdout + behind.stderr).toBe(0);
    const drifted = mailpolicy(['drift', file, ...state]);
    expect(drifted.status, drifted.stdout + drifted.stderr).toBe(1);
    expect(drifted.stdout).toMatch(/extendedProtectionPolicy/);

    const exported = path.join(tempDir(), 'export.yaml');
    const exportRun = mailpolicy(['export', ...state, '--output', exported]);
    expect(exportRun.status, exportRun.stderr).toBe(0);
    expect(fs.readFileSync(exported, 'utf8')).toMatch(/extendedProtectionPolicy: Allow/);
  });
});
