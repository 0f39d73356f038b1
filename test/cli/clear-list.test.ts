/**
 * Clearing a connection-settings or bindings list: Set-PopSettings / Set-ImapSettings take `$null`
 * as the blank value (the reference's examples and descriptions never send an empty array), so
 * `externalConnectionSettings: []` must travel as null. Through the built CLI as a process and
 * the PowerShell backend (the real runner, the stand-in pwsh logging what it received), and
 * against the simulator, which accepts `$null` and reads back an empty list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import type { SimulatorState } from '../../src/simulator/state';
import { TOKEN } from '../exchange/stand-in';
import { tempDir, writeOrg } from '../simulator/helpers';

function organisation(): string {
  return writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com' }, (s) => {
    const pop3 = s.servers?.[0]?.pop3;
    if (pop3) pop3.settings.ExternalConnectionSettings = ['mail.woodgrove.com:995:SSL'];
  });
}

function documentClearing(): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(
    file,
    [
      'apiVersion: mailpolicy/v1',
      'kind: MailPolicy',
      'metadata: { name: clear }',
      'target: { platform: exchangeServer, organization: woodgrove.com }',
      'servers:',
      '  - { name: EX01, pop3: { settings: { externalConnectionSettings: [] } } }',
      '',
    ].join('\n'),
  );
  return file;
}

const settingsOf = (org: string) => (JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState).servers?.[0]?.pop3.settings;

describe('clearing a connection-settings list sends $null', () => {
  it('the PowerShell host receives ExternalConnectionSettings null, not an empty array', () => {
    const org = organisation();
    const log = path.join(tempDir(), 'stand-in.log');
    const env = { ...standInEnv(org, { switches: { LOG: log } }), MAILPOLICY_ACCESS_TOKEN: TOKEN };
    const run = runCliProcess(['apply', documentClearing(), '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/', '--backend', 'powershell', '--pwsh', STAND_IN_PWSH], { env });
    expect(run.status, run.stderr).toBe(0);
    const sets = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('request '))
      .map((l) => JSON.parse(l.slice('request '.length)) as { cmdlet: string; parameters: Record<string, unknown> })
      .filter((r) => r.cmdlet === 'Set-PopSettings');
    expect(sets.map((r) => r.parameters)).toEqual([{ Server: 'EX01', ExternalConnectionSettings: null }]);
  });

  it('the simulator accepts $null and reads back an empty list: no drift afterwards', () => {
    const org = organisation();
    const doc = documentClearing();
    const applied = runCliProcess(['apply', doc, '--state', org]);
    expect(applied.status, applied.stderr).toBe(0);
    expect(settingsOf(org)?.ExternalConnectionSettings).toEqual([]);
    const drift = runCliProcess(['drift', doc, '--state', org]);
    expect(drift.status, drift.stdout).toBe(0);
  });
});
