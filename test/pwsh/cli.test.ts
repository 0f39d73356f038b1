/**
 * The CLI as users run it against Exchange (issue 19): `mailpolicy plan|apply|drift --backend
 * powershell --pwsh <real pwsh>` as processes, the real host under real PowerShell, the stand-in
 * Exchange modules forwarding to an organisation seeded with `mailpolicy sim init`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliProcess, type CliProcessRun } from '../cli/cli-process';
import { tempDir } from '../simulator/helpers';
import { pwshEnv, REMOTING_PASSWORD, REMOTING_SEAM, remotingLog, TOKEN } from './harness';

const ROOT = resolve(__dirname, '../..');
/**
 * One of every Exchange Online section. Its scanner policy allows Basic SMTP (mandatory MP-EXO-006),
 * which `apply` refuses before connecting: waived here, as an admin would, so apply runs.
 */
const DOCUMENT = join(tempDir(), 'online.mailpolicy.yaml');
writeFileSync(
  DOCUMENT,
  `${readFileSync(join(ROOT, 'test/fixtures/drift/online.mailpolicy.yaml'), 'utf8')}waivers:\n  - rule: MP-EXO-006\n    scope: Scanner Policy\n    reason: The scanner sends with Basic SMTP until its firmware update.\n    expires: 2099-12-31\n`,
);

/** A real pwsh starts in ~1.5 s on a busy 2-core machine: a longer timeout than the fast tier's. */
const mailpolicy = (args: readonly string[], env: Readonly<Record<string, string>> = {}): CliProcessRun => runCliProcess(args, { env, cwd: ROOT, timeoutMs: 120_000 });

/** A new organisation, seeded as a user would: `mailpolicy sim init`. */
function simInit(mailboxes: number): string {
  const state = join(tempDir(), 'org.json');
  const run = mailpolicy(['sim', 'init', '--state', state, '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com', '--mailboxes', String(mailboxes)]);
  expect(run.status, run.stderr).toBe(0);
  return state;
}

function powershell(args: readonly string[], state: string, switches: Readonly<Record<string, string>> = {}): CliProcessRun {
  return mailpolicy([...args, '--backend', 'powershell', '--pwsh', inject('pwsh')], { ...pwshEnv(state, switches), MAILPOLICY_ACCESS_TOKEN: TOKEN });
}

describe('plan, apply, re-plan and drift through real PowerShell', () => {
  let state: string;
  beforeAll(() => {
    state = simInit(6);
  });

  it('plan reports the changes (exit 1) and changes nothing', () => {
    const before = readFileSync(state, 'utf8');
    const run = powershell(['plan', DOCUMENT], state);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain("New-AuthenticationPolicy -Name 'Block Basic Auth'");
    expect(run.stdout).toContain("Set-CASMailbox -Identity 'user000003@contoso.com' -PopEnabled:$false -ImapEnabled:$false -SmtpClientAuthenticationDisabled:$false");
    expect(readFileSync(state, 'utf8')).toBe(before);
  });

  it('apply makes them (exit 0)', () => {
    const run = powershell(['apply', DOCUMENT], state);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    const org = JSON.parse(readFileSync(state, 'utf8')) as { authenticationPolicies: { name: string }[]; mailboxes: unknown[][] };
    expect(org.authenticationPolicies.map((p) => p.name).sort()).toEqual(['Block Basic Auth', 'Scanner Policy']);
    // [identity, smtp, upn, pop, imap, smtpClientAuthenticationDisabled]
    expect(org.mailboxes[2]?.slice(3)).toEqual([false, false, false]);
    expect(org.mailboxes[3]?.slice(3)).toEqual([false, true, false]);
  });

  it('a second plan is clean (exit 0)', () => {
    const run = powershell(['plan', DOCUMENT], state);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  });

  it('drift finds the organisation in sync (exit 0), then reports a change made behind its back (exit 1)', () => {
    expect(powershell(['drift', DOCUMENT], state).status).toBe(0);
    const org = JSON.parse(readFileSync(state, 'utf8')) as { transportConfig: { allowLegacyTLSClients: boolean | null } };
    org.transportConfig.allowLegacyTLSClients = true;
    writeFileSync(state, JSON.stringify(org));
    const run = powershell(['drift', DOCUMENT], state);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stdout).toContain('allowLegacyTLSClients');
  });
});

describe('authentication policy assignment through real PowerShell (issue 14)', () => {
  it('Get-User reads the assigned policy as its DN, Set-User assigns it and takes StsRefreshTokensValidFrom as a DateTime; a second plan is clean', () => {
    const state = simInit(2);
    const document = join(tempDir(), 'assign.mailpolicy.yaml');
    writeFileSync(
      document,
      [
        'apiVersion: mailpolicy/v1',
        'kind: MailPolicy',
        'metadata: { name: assign }',
        'target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }',
        'authenticationPolicies:',
        '  - { name: Block Basic POP, allowBasicAuthPop: false, assignedTo: [user000002@contoso.com], stsRefreshTokensValidFromNow: true }',
        '',
      ].join('\n'),
    );
    const apply = powershell(['apply', document], state);
    expect(apply.status, `${apply.stdout}\n${apply.stderr}`).toBe(0);
    const org = JSON.parse(readFileSync(state, 'utf8')) as { userAuthenticationPolicies?: Record<string, string>; userStsRefreshTokensValidFrom?: Record<string, string> };
    expect(org.userAuthenticationPolicies).toEqual({ user000002: 'Block Basic POP' });
    expect(Date.parse(org.userStsRefreshTokensValidFrom?.user000002 ?? '')).toBeGreaterThan(Date.now() - 10 * 60_000);
    const again = powershell(['plan', document], state);
    expect(again.status, `${again.stdout}\n${again.stderr}`).toBe(0);
  });
});

describe('the CLI against Exchange Server through real PowerShell (on-premises, the host\'s remoting seam)', () => {
  it('on-premises: drift reports what the simulator backend reports, settings and services of each server', () => {
    const state = join(tempDir(), 'org.json');
    const init = mailpolicy(['sim', 'init', '--state', state, '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--servers', 'EX01,EX02', '--mailboxes', '3']);
    expect(init.status, init.stderr).toBe(0);
    const document = join(ROOT, 'test/fixtures/drift/onprem.mailpolicy.yaml');
    const viaPwsh = mailpolicy(['drift', document, '--backend', 'powershell', '--pwsh', inject('pwsh'), '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/'], { ...pwshEnv(state), ...REMOTING_SEAM });
    const viaSimulator = mailpolicy(['drift', document, '--state', state]);
    expect(viaPwsh.status, viaPwsh.stderr).toBe(1);
    expect(viaSimulator.status).toBe(1);
    const report = (run: CliProcessRun): string => run.stdout.split('\n').filter((line) => !line.startsWith('backend:')).join('\n');
    expect(report(viaPwsh)).toBe(report(viaSimulator));
    expect(viaPwsh.stdout).toContain('EX01');
  });

  it('--remoting-user with $MAILPOLICY_REMOTING_PASSWORD and --authentication: the session and each server\'s services connect as that account; the password leaks nowhere', () => {
    const state = join(tempDir(), 'org.json');
    expect(mailpolicy(['sim', 'init', '--state', state, '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--servers', 'EX01,EX02', '--mailboxes', '1']).status).toBe(0);
    const dir = tempDir();
    const document = join(ROOT, 'test/fixtures/drift/onprem.mailpolicy.yaml');
    const run = mailpolicy(
      ['drift', document, '--backend', 'powershell', '--pwsh', inject('pwsh'), '--connection-uri', 'http://ex01.woodgrove.com/PowerShell/', '--remoting-user', 'WOODGROVE\\svc-mailpolicy', '--authentication', 'Negotiate'],
      { ...pwshEnv(state, { REMOTING_LOG: join(dir, 'remoting.log'), BRIDGE_ENV: join(dir, 'env.json'), BRIDGE_LOG: join(dir, 'requests.log') }), ...REMOTING_SEAM, MAILPOLICY_REMOTING_PASSWORD: REMOTING_PASSWORD },
    );
    expect(run.status, run.stderr).toBe(1);
    const log = remotingLog(join(dir, 'remoting.log'));
    expect(log.map((e) => [e.cmdlet, e.computerName])).toEqual(expect.arrayContaining([['New-PSSession', null], ['Invoke-Command', 'EX01']]));
    for (const entry of log) expect([entry.credentialType, entry.userName, entry.authentication]).toEqual(['System.Management.Automation.PSCredential', 'WOODGROVE\\svc-mailpolicy', 'Negotiate']);
    expect(`${run.stdout}${run.stderr}`).not.toContain('R3m0t1ng');
    for (const file of ['remoting.log', 'env.json', 'requests.log']) expect(readFileSync(join(dir, file), 'utf8'), file).not.toContain('R3m0t1ng');
  });
});

describe('the CLI through real PowerShell, when Exchange misbehaves', () => {
  it('a cmdlet that never answers: exit 2 after --call-timeout, naming it; nothing written', () => {
    const state = simInit(3);
    const before = readFileSync(state, 'utf8');
    const run = powershell(['apply', DOCUMENT, '--call-timeout', '3'], state, { HANG: 'Get-TransportConfig' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('mailpolicy apply: Get-TransportConfig: no answer within 3 s');
    expect(run.ms).toBeLessThan(60_000);
    expect(readFileSync(state, 'utf8')).toBe(before);
  });

  it('the access token is in no argv, and not in the environment PowerShell and its modules see', () => {
    const state = simInit(1);
    const dir = tempDir();
    const run = powershell(['drift', DOCUMENT], state, { BRIDGE_ENV: join(dir, 'env.json'), BRIDGE_LOG: join(dir, 'requests.log') });
    expect(run.status, run.stderr).toBe(1);
    expect(`${run.stdout}${run.stderr}`).not.toContain('S3cr3t');
    expect(readFileSync(join(dir, 'requests.log'), 'utf8')).not.toContain('S3cr3t');
    expect(readFileSync(join(dir, 'env.json'), 'utf8')).not.toContain('S3cr3t');
  });
});
