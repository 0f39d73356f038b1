/**
 * Authentication policies on both platforms and their assignment to users (issue 14, item 3),
 * through the built CLI as a process against the simulator: validate refuses a switch of the
 * other platform (and one the declared minimum build lacks), plan lists Set-User -Identity …
 * -AuthenticationPolicy …, apply then plan shows no changes, drift finds an assignment changed
 * behind its back (sim invoke), export round-trips the assignment, an identity naming no user is
 * reported and stops apply, and stsRefreshTokensValidFromNow adds the token refresh in Exchange Online.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCliProcess as mailpolicy } from './cli-process';

function document(lines: readonly string[]): string {
  const file = path.join(tempDir(), 'doc.mailpolicy.yaml');
  fs.writeFileSync(file, ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: auth }', ...lines, ''].join('\n'));
  return file;
}

const ON_PREM = 'target: { platform: exchangeServer, organization: woodgrove.com }';
const ONLINE = 'target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }';

function onPremDoc(extra: readonly string[] = []): string {
  return document([
    ON_PREM,
    'authenticationPolicies:',
    '  - name: Block legacy POP and IMAP',
    '    blockLegacyAuthPop: true',
    '    blockLegacyAuthImap: true',
    '    assignedTo: [kiosk01@woodgrove.com, user000002@woodgrove.com]',
    ...extra,
  ]);
}

interface JsonPlan {
  resources: { changes: { cmdlet: string; parameters: Record<string, unknown> }[] }[];
  notes: string[];
}

const changesOf = (stdout: string) => (JSON.parse(stdout) as JsonPlan).resources.flatMap((r) => r.changes).map(({ cmdlet, parameters }) => ({ cmdlet, parameters }));

function onPremOrg(): string {
  return writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', mailboxes: 3 }, (s) => {
    s.mailboxes.push(['kiosk01', 'kiosk01@woodgrove.com', 'kiosk01@woodgrove.com', true, true, null]);
  });
}

describe('authentication policies and their assignment', () => {
  it('validate: a switch of the other platform is an error naming FILE:LINE:COL and the platform', () => {
    const onPrem = document([ON_PREM, 'authenticationPolicies:', '  - name: P', '    allowBasicAuthPop: false']);
    const run = mailpolicy(['validate', onPrem]);
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`${path.basename(onPrem)}:7:5: authenticationPolicies\\[0\\]\\.allowBasicAuthPop: valid only for platform exchangeOnline; this document's target\\.platform is exchangeServer`));

    const online = document([ONLINE, 'authenticationPolicies:', '  - name: P', '    blockLegacyAuthImap: true']);
    const cloud = mailpolicy(['validate', online]);
    expect(cloud.status).toBe(1);
    expect(cloud.stdout + cloud.stderr).toMatch(/:7:5: authenticationPolicies\[0\]\.blockLegacyAuthImap: valid only for platform exchangeServer/);
  });

  it('validate: a switch newer than target.minimumServerVersion, and a user under two policies, are errors', () => {
    const file = document([
      'target: { platform: exchangeServer, organization: woodgrove.com, minimumServerVersion: 15.2.1118.7 }',
      'authenticationPolicies:',
      '  - { name: A, blockLegacyAuthPop: true, blockModernAuthPop: true, assignedTo: [kiosk01@woodgrove.com] }',
      '  - { name: B, assignedTo: [KIOSK01@woodgrove.com] }',
    ]);
    const run = mailpolicy(['validate', file]);
    expect(run.status).toBe(1);
    const out = run.stdout + run.stderr;
    expect(out).toMatch(/:6:\d+: authenticationPolicies\[0\]\.blockModernAuthPop: needs Exchange Server 2019 CU13 \(build 15\.2\.1258\) or later; target\.minimumServerVersion 15\.2\.1118\.7 is older/);
    expect(out).not.toMatch(/blockLegacyAuthPop: needs/);
    expect(out).toMatch(/:7:\d+: authenticationPolicies\[1\]\.assignedTo\[0\]: user "KIOSK01@woodgrove\.com" is already assigned a policy at authenticationPolicies\[0\]\.assignedTo\[0\] \(line 6\)/);
  });

  it('on premises: plan lists Set-User -AuthenticationPolicy, apply then plan shows no changes, drift finds a change behind its back, export round-trips', () => {
    const org = onPremOrg();
    const file = onPremDoc();
    const state = ['--backend', 'simulator', '--state', org];

    const text = mailpolicy(['plan', file, ...state]);
    expect(text.status, text.stderr).toBe(1);
    expect(text.stdout).toContain("New-AuthenticationPolicy -Name 'Block legacy POP and IMAP' -BlockLegacyAuthPop:$true -BlockLegacyAuthImap:$true");
    // Identical writes to several users print once, with their identities.
    expect(text.stdout).toContain("Set-User -AuthenticationPolicy 'Block legacy POP and IMAP' × 2 objects");
    expect(text.stdout).toContain('-Identity: kiosk01@woodgrove.com, user000002@woodgrove.com');
    expect(text.stdout).toContain('only the users in assignedTo are managed; users listed under no policy keep what Exchange has for them');

    const plan = mailpolicy(['plan', file, ...state, '--format', 'json']);
    expect(changesOf(plan.stdout)).toEqual([
      { cmdlet: 'New-AuthenticationPolicy', parameters: { Name: 'Block legacy POP and IMAP', BlockLegacyAuthPop: true, BlockLegacyAuthImap: true } },
      { cmdlet: 'Set-User', parameters: { Identity: 'kiosk01@woodgrove.com', AuthenticationPolicy: 'Block legacy POP and IMAP' } },
      { cmdlet: 'Set-User', parameters: { Identity: 'user000002@woodgrove.com', AuthenticationPolicy: 'Block legacy POP and IMAP' } },
    ]);

    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status, apply.stdout + apply.stderr).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    expect(saved.userAuthenticationPolicies).toEqual({ kiosk01: 'Block legacy POP and IMAP', user000002: 'Block legacy POP and IMAP' });
    const show = mailpolicy(['sim', 'show', '--state', org]);
    expect(show.stdout).toContain('Block legacy POP and IMAP [BlockLegacyAuthPop $true, BlockLegacyAuthImap $true, BlockModernAuthPop $false, BlockModernAuthImap $false]');
    expect(show.stdout).toContain('users with an authentication policy assigned: 2');
    const again = mailpolicy(['plan', file, ...state]);
    expect(again.status, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/No changes/);

    // A user the document does not list is not managed: assigning it by hand is no drift.
    expect(mailpolicy(['sim', 'invoke', '--state', org, 'Set-User', 'Identity=user000001', 'AuthenticationPolicy=Block legacy POP and IMAP']).status).toBe(0);
    expect(mailpolicy(['drift', file, ...state]).status).toBe(0);

    // Behind its back: a listed user loses the policy.
    expect(mailpolicy(['sim', 'invoke', '--state', org, 'Set-User', 'Identity=kiosk01', 'AuthenticationPolicy=null']).status).toBe(0);
    const drift = mailpolicy(['drift', file, ...state]);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toMatch(new RegExp(`${path.basename(file)}:9:\\d+: kiosk01@woodgrove\\.com authenticationPolicy: desired Block legacy POP and IMAP, actual null`));
    expect(drift.stdout).toContain("fix: Set-User -Identity 'kiosk01@woodgrove.com' -AuthenticationPolicy 'Block legacy POP and IMAP'");
    expect(mailpolicy(['apply', file, ...state]).status).toBe(0);

    const exported = path.join(tempDir(), 'export.mailpolicy.yaml');
    const run = mailpolicy(['export', ...state, '--output', exported]);
    expect(run.status, run.stderr).toBe(0);
    const yaml = fs.readFileSync(exported, 'utf8');
    expect(yaml).toMatch(/- name: Block legacy POP and IMAP\n {4}blockLegacyAuthPop: true\n {4}blockLegacyAuthImap: true\n {4}blockModernAuthPop: false\n {4}blockModernAuthImap: false\n {4}assignedTo:\n/);
    expect(yaml).not.toMatch(/allowBasicAuth/);
    // The exported document is in sync with the organisation it came from.
    expect(mailpolicy(['drift', exported, ...state]).status).toBe(0);
  });

  it('an identity that names no user is reported, stops apply, and nothing is changed', () => {
    const org = onPremOrg();
    const file = document([ON_PREM, 'authenticationPolicies:', '  - name: P', '    blockLegacyAuthPop: true', '    assignedTo: [ghost@woodgrove.com]']);
    const state = ['--backend', 'simulator', '--state', org];
    const plan = mailpolicy(['plan', file, ...state]);
    expect(plan.stdout + plan.stderr).toMatch(new RegExp(`${path.basename(file)}:8:\\d+: authenticationPolicies\\[0\\]\\.assignedTo\\[0\\] "ghost@woodgrove\\.com"`));
    // Said as what it is: a user, not a mailbox exception, and the user keeps its policy (it gets no default).
    expect(plan.stdout).toContain('WARNING: 1 authentication policy assignedTo identity matches no user: the user meant keeps the authentication policy Exchange has for it.');
    expect(plan.stdout).toContain('"ghost@woodgrove.com": no user has this name, user principal name, distinguished name or GUID');
    expect(plan.stdout).not.toMatch(/mailbox/);
    const before = fs.readFileSync(org, 'utf8');
    const apply = mailpolicy(['apply', file, ...state]);
    expect(apply.status).toBe(2);
    expect(apply.stderr).toContain('refusing to apply: 1 authentication policy assignedTo identity(ies) match no user (listed above); nothing was changed.');
    expect(fs.readFileSync(org, 'utf8')).toBe(before);
  });

  it('Exchange Online: stsRefreshTokensValidFromNow adds Set-User -StsRefreshTokensValidFrom after each assignment, and nothing once assigned', () => {
    const org = writeOrg({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com', mailboxes: 2 });
    const file = document([ONLINE, 'authenticationPolicies:', '  - name: Block Basic', '    allowBasicAuthPop: false', '    assignedTo: [user000001@contoso.com]', '    stsRefreshTokensValidFromNow: true']);
    const state = ['--backend', 'simulator', '--state', org];
    const plan = mailpolicy(['plan', file, ...state, '--format', 'json']);
    const changes = changesOf(plan.stdout);
    expect(changes.map((c) => c.cmdlet)).toEqual(['New-AuthenticationPolicy', 'Set-User', 'Set-User']);
    expect(changes[2]?.parameters).toEqual({ Identity: 'user000001@contoso.com', StsRefreshTokensValidFrom: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) });
    const text = mailpolicy(['plan', file, ...state]);
    expect(text.stdout).toMatch(/STS refresh tokens valid from .* within about 30 minutes instead of up to 24 hours/);

    expect(mailpolicy(['apply', file, ...state]).status).toBe(0);
    const saved = JSON.parse(fs.readFileSync(org, 'utf8')) as SimulatorState;
    expect(Object.keys(saved.userStsRefreshTokensValidFrom ?? {})).toEqual(['user000001']);
    expect(mailpolicy(['plan', file, ...state]).status).toBe(0);

    // Without the option: the assignment only.
    const plain = document([ONLINE, 'authenticationPolicies:', '  - name: Other', '    assignedTo: [user000002@contoso.com]']);
    expect(changesOf(mailpolicy(['plan', plain, ...state, '--format', 'json']).stdout).map((c) => c.cmdlet)).toEqual(['New-AuthenticationPolicy', 'Set-User']);
  });

  it('the simulator refuses what Exchange refuses: an unknown policy, and a switch of the other platform', () => {
    const org = onPremOrg();
    const unknown = mailpolicy(['sim', 'invoke', '--state', org, 'Set-User', 'Identity=kiosk01', 'AuthenticationPolicy=Nope']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/Set-User: The operation couldn't be performed because object 'Nope' couldn't be found/);
    const wrong = mailpolicy(['sim', 'invoke', '--state', org, 'New-AuthenticationPolicy', 'Name=X', 'AllowBasicAuthPop=true']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/AllowBasicAuthPop/);
  });
});
