import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { runCliProcess } from '../cli/cli-process';
import type { FaultSpec } from '../../src/simulator/state';
import { sarifSchemaErrors } from '../cli/sarif-schema';
import { tempDir, writeOrg } from '../simulator/helpers';
import { desiredResources } from '../../src/reconcile/resources';
import { runCli } from '../cli/run-cli';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { applyDocument, changeInExchange, lineOf } from './helpers';

const FIXTURES = path.resolve(__dirname, '../fixtures/drift');
const ONLINE = path.join(FIXTURES, 'online.mailpolicy.yaml');
const ONPREM = path.join(FIXTURES, 'onprem.mailpolicy.yaml');

interface JsonItem {
  resource: { kind: string; name: string };
  subject: string;
  setting: string;
  desired: unknown;
  actual: unknown;
  objectMissing: boolean;
  cmdlet: string;
  fix: string;
  pointer: string;
  location: { file: string; line: number; column: number };
}
interface JsonReport {
  backend: string;
  inSync: boolean;
  drift: JsonItem[];
  followUps: { description: string; cmdlet: string; pointer: string }[];
  notes: string[];
}

async function driftJson(file: string, state: string): Promise<{ code: number; report: JsonReport; stderr: string }> {
  const r = await runCli(['drift', file, '--backend', 'simulator', '--state', state, '--format', 'json']);
  return { code: r.code, report: JSON.parse(r.stdout) as JsonReport, stderr: r.stderr };
}

function onlineOrg(faults?: FaultSpec[]): string {
  return writeOrg({ platform: 'exchangeOnline', mailboxes: 5 }, (s) => {
    if (faults) s.faults = faults;
  });
}

describe('drift, Exchange Online', () => {
  let state: string;
  beforeEach(async () => {
    state = onlineOrg();
    expect(await applyDocument(ONLINE, state)).toBeGreaterThan(0);
  });

  it('finds no drift right after apply (exit 0), in every format', async () => {
    const text = await runCli(['drift', ONLINE, '--state', state]);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(`backend: simulator (state: ${state})`);
    expect(text.stdout).toContain('In sync: 5 resource(s) match');
    const { code, report } = await driftJson(ONLINE, state);
    expect([code, report.inSync, report.drift]).toEqual([0, true, []]);
    const md = await runCli(['drift', ONLINE, '--state', state, '--format', 'markdown']);
    expect([md.code, md.stdout.includes('## ✅ Drift check')]).toEqual([0, true]);
  });

  it('transport config: desired, actual, the fixing cmdlet and FILE:LINE:COL of the key', async () => {
    await changeInExchange(state, 'Set-TransportConfig', { allowLegacyTLSClients: true });
    const { code, report } = await driftJson(ONLINE, state);
    expect(code).toBe(1);
    expect(report.drift).toEqual([
      {
        resource: { kind: 'TransportConfig', name: 'transport-config' },
        subject: 'TransportConfig',
        setting: 'allowLegacyTLSClients',
        desired: false,
        actual: true,
        objectMissing: false,
        cmdlet: 'Set-TransportConfig',
        fix: 'Set-TransportConfig -AllowLegacyTLSClients:$false',
        pointer: '/transportConfig/allowLegacyTLSClients',
        location: { file: ONLINE, line: lineOf(ONLINE, 'allowLegacyTLSClients'), column: 3 },
      },
    ]);
    const text = await runCli(['drift', ONLINE, '--state', state]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`${ONLINE}:${lineOf(ONLINE, 'allowLegacyTLSClients')}:3: TransportConfig allowLegacyTLSClients: desired false, actual true`);
    expect(text.stdout).toContain('fix: Set-TransportConfig -AllowLegacyTLSClients:$false');
  });

  it('authentication policies: a flag, the organisation default and a deleted policy', async () => {
    await changeInExchange(state, 'Set-AuthenticationPolicy', { identity: 'Scanner Policy', allowBasicAuthPop: true });
    await changeInExchange(state, 'New-AuthenticationPolicy', { name: 'Other' });
    await changeInExchange(state, 'Set-OrganizationConfig', { defaultAuthenticationPolicy: 'Other' });
    const { code, report } = await driftJson(ONLINE, state);
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.subject, d.setting, d.desired, d.actual, d.cmdlet, d.pointer, d.location.line])).toEqual([
      ['OrganizationConfig', 'defaultAuthenticationPolicy', 'Block Basic Auth', 'Other', 'Set-OrganizationConfig', '/authenticationPolicies/0/default', lineOf(ONLINE, 'default: true')],
      ['Scanner Policy', 'allowBasicAuthPop', false, true, 'Set-AuthenticationPolicy', '/authenticationPolicies/1/allowBasicAuthPop', lineOf(ONLINE, 'allowBasicAuthPop', 'Scanner Policy')],
    ]);

    await changeInExchange(state, 'Remove-AuthenticationPolicy', { identity: 'Scanner Policy', confirm: false });
    const removed = await driftJson(ONLINE, state);
    const missing = removed.report.drift.filter((d) => d.subject === 'Scanner Policy');
    expect(missing.map((d) => [d.setting, d.objectMissing, d.cmdlet])).toEqual([
      ['allowBasicAuthPop', true, 'New-AuthenticationPolicy'],
      ['allowBasicAuthImap', true, 'New-AuthenticationPolicy'],
      ['allowBasicAuthSmtp', true, 'New-AuthenticationPolicy'],
    ]);
    const text = await runCli(['drift', ONLINE, '--state', state]);
    expect(text.stdout).toContain('Scanner Policy allowBasicAuthSmtp: desired true, actual (does not exist)');
  });

  it('CAS mailbox plans: the plan with its GUID suffix, located at the declaration without it', async () => {
    const plans = JSON.parse(fs.readFileSync(state, 'utf8')).casMailboxPlans as { identity: string }[];
    const enterprise = plans.find((p) => p.identity.startsWith('ExchangeOnlineEnterprise-'))?.identity as string;
    await changeInExchange(state, 'Set-CASMailboxPlan', { identity: enterprise, imapEnabled: true });
    const { code, report } = await driftJson(ONLINE, state);
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.subject, d.setting, d.desired, d.actual, d.pointer])).toEqual([[enterprise, 'imapEnabled', false, true, '/casMailboxPlans/0/imapEnabled']]);
    expect(report.drift[0]?.fix).toBe(`Set-CASMailboxPlan -Identity '${enterprise}' -ImapEnabled:$false`);
  });

  it('mailboxes: located at the default or at the exception that decides the setting', async () => {
    await changeInExchange(state, 'Set-CASMailbox', { identity: 'user000001@contoso.com', popEnabled: true });
    await changeInExchange(state, 'Set-CASMailbox', { identity: 'user000003@contoso.com', smtpClientAuthenticationDisabled: null });
    // The first exception names user000004 by alias, the second by address: each decides its own key.
    await changeInExchange(state, 'Set-CASMailbox', { identity: 'user000004', imapEnabled: false, smtpClientAuthenticationDisabled: true });
    const { code, report } = await driftJson(ONLINE, state);
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.subject, d.setting, d.desired, d.actual, d.pointer])).toEqual([
      ['user000001@contoso.com', 'popEnabled', false, true, '/casMailboxes/default/popEnabled'],
      ['user000003@contoso.com', 'smtpClientAuthenticationDisabled', false, null, '/casMailboxes/exceptions/0/smtpClientAuthenticationDisabled'],
      ['user000004@contoso.com', 'imapEnabled', true, false, '/casMailboxes/exceptions/1/imapEnabled'],
      ['user000004@contoso.com', 'smtpClientAuthenticationDisabled', false, true, '/casMailboxes/exceptions/0/smtpClientAuthenticationDisabled'],
    ]);
    expect(report.drift[0]?.location.line).toBe(lineOf(ONLINE, 'popEnabled', 'casMailboxes'));
    expect(report.drift[0]?.fix).toBe("Set-CASMailbox -Identity 'user000001@contoso.com' -PopEnabled:$false");
  });

  it('markdown and SARIF carry the same drift; SARIF validates against the 2.1.0 schema', async () => {
    await changeInExchange(state, 'Set-TransportConfig', { smtpClientAuthenticationDisabled: false });
    const md = await runCli(['drift', ONLINE, '--state', state, '--format', 'markdown']);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain('| Where | Object | Setting | Desired | Actual | Fix |');
    expect(md.stdout).toContain(`| ${ONLINE}:${lineOf(ONLINE, 'smtpClientAuthenticationDisabled: true')}:3 | TransportConfig | smtpClientAuthenticationDisabled | true | false |`);
    const sarif = await runCli(['drift', ONLINE, '--state', state, '--format', 'sarif']);
    expect(sarif.code).toBe(1);
    const log = JSON.parse(sarif.stdout);
    expect(sarifSchemaErrors(log)).toEqual([]);
    // The plans the document does not declare are SARIF notes of their own rule (issue 14 item 5), not drift.
    const drift = log.runs[0].results.filter((r: { ruleId: string }) => r.ruleId.startsWith('drift/'));
    expect(drift).toHaveLength(1);
    expect(log.runs[0].results.filter((r: { ruleId: string; level: string }) => r.ruleId === 'undeclared/CasMailboxPlan' && r.level === 'note')).toHaveLength(3);
    expect(drift[0]).toMatchObject({
      ruleId: 'drift/TransportConfig',
      locations: [{ physicalLocation: { region: { startLine: lineOf(ONLINE, 'smtpClientAuthenticationDisabled: true'), startColumn: 3 } } }],
    });
  });

  it('text and markdown cut long mailbox lists at --limit; JSON keeps every item', async () => {
    for (const n of [1, 2, 5]) await changeInExchange(state, 'Set-CASMailbox', { identity: `user00000${n}@contoso.com`, popEnabled: true });
    // --detail: one line per mailbox (by default the three are one grouped line, test/cli/grouped-reports.test.ts).
    const text = await runCli(['drift', ONLINE, '--state', state, '--limit', '2', '--detail']);
    expect(text.stdout.match(/popEnabled: desired false/g)).toHaveLength(2);
    expect(text.stdout).toContain('… and 1 more');
    const all = await runCli(['drift', ONLINE, '--state', state, '--limit', '0', '--detail']);
    expect(all.stdout.match(/popEnabled: desired false/g)).toHaveLength(3);
    expect((await driftJson(ONLINE, state)).report.drift).toHaveLength(3);
    expect((await runCli(['drift', ONLINE, '--state', state, '--limit', '-1'])).code).toBe(2);
  });
});

describe('drift, Exchange Server', () => {
  let state: string;
  beforeEach(async () => {
    state = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'], mailboxes: 3 });
    await applyDocument(ONPREM, state);
  });

  it('no drift after apply', async () => {
    const r = await runCli(['drift', ONPREM, '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('POP3 settings: the drifted parameter, then the restart that applies the fix', async () => {
    await changeInExchange(state, 'Set-PopSettings', { server: 'EX01', loginType: 'PlainTextLogin', authenticatedConnectionTimeout: '01:00:00' });
    const { code, report } = await driftJson(ONPREM, state);
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.subject, d.setting, d.desired, d.actual, d.pointer])).toEqual([
      ['EX01', 'loginType', 'SecureLogin', 'PlainTextLogin', '/servers/0/pop3/settings/loginType'],
      ['EX01', 'authenticatedConnectionTimeout', '00:30:00', '01:00:00', '/servers/0/pop3/settings/authenticatedConnectionTimeout'],
    ]);
    expect(report.drift[0]?.fix).toBe("Set-PopSettings -Server 'EX01' -LoginType 'SecureLogin' -AuthenticatedConnectionTimeout '00:30:00'");
    expect(report.followUps.map((f) => [f.cmdlet, f.pointer])).toEqual([['Restart-Service', '/servers/0/pop3/settings']]);
    const text = await runCli(['drift', ONPREM, '--state', state]);
    expect(text.stdout).toMatch(/Then:\n.*restart MSExchangePOP3, MSExchangePOP3BE/);
    // The service resource only restarts: it has not drifted.
    expect(text.stdout).toContain(`Drift: 2 setting(s) in 1 of ${desiredResources(loadPolicyFileOrThrow(ONPREM).policy).length} resource(s) differ from`);
  });

  it('services: state and startup type per Windows service', async () => {
    await changeInExchange(state, 'Stop-Service', { name: ['MSExchangePOP3BE'] }, 'EX01');
    await changeInExchange(state, 'Set-Service', { name: 'MSExchangeIMAP4', startupType: 'Manual' }, 'EX01');
    const { code, report } = await driftJson(ONPREM, state);
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.setting, d.desired, d.actual, d.cmdlet, d.pointer])).toEqual([
      ['MSExchangePOP3BE.state', 'Running', 'Stopped', 'Start-Service', '/servers/0/pop3/service/state'],
      ['MSExchangeIMAP4.startupType', 'Disabled', 'Manual', 'Set-Service', '/servers/0/imap4/service/startupType'],
    ]);
    expect(report.drift[0]?.location.line).toBe(lineOf(ONPREM, 'service: { startupType: Automatic'));
  });

  it('mailboxes on Exchange Server', async () => {
    await changeInExchange(state, 'Set-CASMailbox', { identity: 'user000002', popEnabled: true });
    const { code, report } = await driftJson(ONPREM, state);
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.subject, d.setting, d.pointer])).toEqual([['user000002@woodgrove.com', 'popEnabled', '/casMailboxes/default/popEnabled']]);
  });
});

describe('drift that cannot be checked: exit 2, never drift', () => {
  it('a failed read reports Exchange’s error on stderr and nothing on stdout', async () => {
    const message = "The operation couldn't be performed because object 'contoso.onmicrosoft.com\\\\Mailboxes' couldn't be found.";
    const state = onlineOrg([{ kind: 'permanent', cmdlet: 'Get-EXOCasMailbox', message }]);
    for (const format of ['text', 'json', 'sarif']) {
      const r = await runCli(['drift', ONLINE, '--state', state, '--format', format]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`backend: simulator (state: ${state})`);
      expect(r.stderr).toContain(`Get-EXOCasMailbox: ${message}`);
    }
  });

  it('a transient failure that is not retried away is an error too', async () => {
    const state = onlineOrg([{ kind: 'transient', cmdlet: 'Get-TransportConfig', times: 100 }]);
    const r = await runCli(['drift', ONLINE, '--state', state]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/mailpolicy drift: Get-TransportConfig: /);
  });

  it('another organisation than the document’s, a missing state file, an invalid document, no --state', async () => {
    const other = writeOrg({ platform: 'exchangeOnline', organization: 'fabrikam.onmicrosoft.com' });
    const wrongOrg = await runCli(['drift', ONLINE, '--state', other]);
    expect(wrongOrg.code).toBe(2);
    expect(wrongOrg.stderr).toContain('the document targets contoso.onmicrosoft.com');

    const missing = await runCli(['drift', ONLINE, '--state', path.join(tempDir(), 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');

    const bad = path.join(tempDir(), 'bad.mailpolicy.yaml');
    fs.writeFileSync(bad, fs.readFileSync(ONLINE, 'utf8').replace('allowLegacyTLSClients: false', 'allowLegacyTLSClients: maybe'));
    // Through the built binary, as a pipeline runs it.
    const invalid = runCliProcess(['drift', bad, '--state', onlineOrg()]);
    expect(invalid.status).toBe(2);
    expect(invalid.stdout).toBe('');
    expect(invalid.stderr).toMatch(new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${lineOf(bad, 'maybe')}:\\d+: `));

    const noState = await runCli(['drift', ONLINE]);
    expect(noState.code).toBe(2);
    expect(noState.stderr).toContain('--state PATH is required');
  });
});
