/**
 * drift and export with `--backend powershell`, through the built CLI, the real runner and the
 * stand-in pwsh (a real child process speaking the host protocol over the simulator): what a
 * pipeline runs, minus Exchange itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess, type CliProcessRun } from '../cli/cli-process';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { TOKEN } from '../exchange/stand-in';
import { tempDir, writeOrg } from '../simulator/helpers';
import { applyDocument, changeInExchange } from './helpers';

const ONLINE = path.resolve(__dirname, '../fixtures/drift/online.mailpolicy.yaml');

/** The CLI through the PowerShell backend and the stand-in pwsh serving `state`. */
function mailpolicy(args: readonly string[], state: string, extraEnv: Record<string, string> = {}): CliProcessRun {
  return runCliProcess([...args, '--backend', 'powershell', '--pwsh', STAND_IN_PWSH], { env: { ...standInEnv(state), MAILPOLICY_ACCESS_TOKEN: TOKEN, ...extraEnv } });
}

describe('drift and export through the PowerShell backend (runner + stand-in pwsh)', () => {
  it('drift: in sync after apply, then a changed setting; the access token never appears', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    await applyDocument(ONLINE, state);
    const clean = mailpolicy(['drift', ONLINE], state);
    expect(clean.stderr).toBe('');
    expect(clean.status).toBe(0);
    expect(clean.stdout.split('\n')[0]).toMatch(/^backend: powershell \(Exchange Online worldwide, organization: contoso\.onmicrosoft\.com, pwsh: .*stand-in-pwsh\)$/);

    await changeInExchange(state, 'Set-TransportConfig', { allowLegacyTLSClients: true });
    const drifted = mailpolicy(['drift', ONLINE, '--format', 'json'], state);
    expect(drifted.status).toBe(1);
    const report = JSON.parse(drifted.stdout) as { drift: { setting: string; actual: unknown }[] };
    expect(report.drift.map((d) => [d.setting, d.actual])).toEqual([['allowLegacyTLSClients', true]]);
    for (const out of [clean.stdout, clean.stderr, drifted.stdout, drifted.stderr]) expect(out).not.toContain(TOKEN);
  });

  it('drift: a failed read is exit 2 with Exchange’s message, never drift', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    const message = 'Insufficient privileges to complete the operation.';
    const failed = mailpolicy(['drift', ONLINE, '--format', 'json'], state, {
      MAILPOLICY_STANDIN_FAULTS: JSON.stringify([{ kind: 'permanent', cmdlet: 'Get-AuthenticationPolicy', times: 100, message }]),
    });
    expect(failed.status).toBe(2);
    expect(failed.stdout).toBe('');
    expect(failed.stderr).toContain(`Get-AuthenticationPolicy: ${message}`);
    expect(failed.stderr).not.toContain(TOKEN);
  });

  it('export, then drift of the export: in sync', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 50 }, (s) => {
      for (const row of s.mailboxes.slice(0, 5)) row[3] = false;
    });
    const file = path.join(tempDir(), 'exported.mailpolicy.yaml');
    const exported = mailpolicy(['export', '--organization', 'contoso.onmicrosoft.com', '--output', file], state);
    expect(exported.status).toBe(0);
    expect(exported.stderr.split('\n')[0]).toMatch(/^backend: powershell \(Exchange Online worldwide/);
    expect(fs.readFileSync(file, 'utf8')).toContain('- user000005@contoso.com');
    expect(mailpolicy(['drift', file], state).status).toBe(0);
  });

  it('export of an Exchange Server organisation without --server: its servers are listed through the host, then drift of the export is in sync', () => {
    const state = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX02', 'EX01'], mailboxes: 10 });
    const onPrem = ['--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/'];
    const dir = tempDir();
    const file = path.join(dir, 'exported.mailpolicy.yaml');
    const log = path.join(dir, 'stand-in.log');
    const exported = mailpolicy(['export', ...onPrem, '--output', file], state, { MAILPOLICY_STANDIN_LOG: log });
    expect(exported.stderr).toBe(`backend: powershell (Exchange Server http://ex01.woodgrove.com/PowerShell/, organization: woodgrove.com, pwsh: ${STAND_IN_PWSH})\nexported woodgrove.com: 10 mailbox(es) as default + 0 exception(s) to ${file}\n`);
    expect(exported.status).toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toContain('"cmdlet":"Get-ExchangeServer"');
    const text = fs.readFileSync(file, 'utf8');
    expect([...text.matchAll(/^ {2}- name: (\S+)$/gm)].map((m) => m[1])).toEqual(['EX01', 'EX02']);
    // drift takes the platform and organisation from the document.
    const drift = mailpolicy(['drift', file, '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/'], state);
    expect(drift.stdout).toContain('In sync');
    expect(drift.status).toBe(0);

    const message = 'Active Directory operation failed on DC01.woodgrove.com.';
    const failed = mailpolicy(['export', ...onPrem, '--output', path.join(dir, 'failed.yaml')], state, {
      MAILPOLICY_STANDIN_FAULTS: JSON.stringify([{ kind: 'permanent', cmdlet: 'Get-ExchangeServer', times: 100, message }]),
    });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toContain(`Get-ExchangeServer: ${message}`);
    expect(fs.existsSync(path.join(dir, 'failed.yaml'))).toBe(false);
  });
});
