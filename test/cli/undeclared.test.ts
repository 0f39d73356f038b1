/**
 * Issue 14 item 5: `drift` lists what exists in Exchange but the document does not mention —
 * authentication policies (the organisation default marked), CAS mailbox plans, on-premises
 * servers, mailbox overrides outside the declared keys — in its own section, JSON field and
 * SARIF rules; information by default (exit status unchanged), findings with `--undeclared
 * error`; `export --undeclared FILE` writes only them. All through the CLI as a real process,
 * the extra objects made with `sim invoke` (or `sim init --servers`).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-undeclared-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function file(lines: readonly string[]): string {
  const p = path.join(tmp, `d${++n}.mailpolicy.yaml`);
  fs.writeFileSync(p, `${lines.join('\n')}\n`);
  return p;
}

function ok(argv: readonly string[]): string {
  const r = runCliProcess(argv);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

function online(): string {
  const state = path.join(tmp, `s${++n}.json`);
  ok(['sim', 'init', '--state', state, '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com', '--mailboxes', '4']);
  return state;
}

const invoke = (state: string, ...argv: string[]) => ok(['sim', 'invoke', '--state', state, ...argv]);

const HEAD = ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: contoso }', 'target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }'];

/** Declares Keep (not the default), ExchangeOnlineEnterprise, and the mailboxes' POP; everything else is left to Exchange. */
const ONLINE_DOC = [
  ...HEAD,
  'authenticationPolicies:',
  '  - { name: Keep, default: false }',
  'casMailboxPlans:',
  '  - { identity: ExchangeOnlineEnterprise }',
  'casMailboxes:',
  '  default: { popEnabled: true }',
  '  exceptions:',
  '    - { identities: [user000001@contoso.com], smtpClientAuthenticationDisabled: false }',
];

/** An organisation in sync with ONLINE_DOC, then changed behind its back. */
function drifted(): string {
  const state = online();
  invoke(state, 'New-AuthenticationPolicy', 'Name=Keep');
  invoke(state, 'Set-CASMailbox', 'Identity=user000001', 'SmtpClientAuthenticationDisabled=false');
  // Behind the document's back: a rogue policy made the default, a plan and a mailbox changed.
  invoke(state, 'New-AuthenticationPolicy', 'Name=Rogue', 'AllowBasicAuthPop=true');
  invoke(state, 'Set-OrganizationConfig', 'DefaultAuthenticationPolicy=Rogue');
  invoke(state, 'Set-CASMailboxPlan', 'Identity=ExchangeOnlineDeskless', 'ImapEnabled=true');
  invoke(state, 'Set-CASMailbox', 'Identity=user000002', 'SmtpClientAuthenticationDisabled=false', 'ImapEnabled=false');
  return state;
}

describe('drift: objects in Exchange the document does not mention', () => {
  const doc = file(ONLINE_DOC);
  const state = drifted();

  it('text: its own section, located at the section that would declare each; information only (exit 0)', () => {
    const r = runCliProcess(['drift', doc, '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('In sync: 3 resource(s) match');
    expect(r.stdout).toContain('5 object(s) in Exchange are not declared');
    expect(r.stdout).toContain(`Not declared (in Exchange, not in ${doc}; information, --undeclared error makes them findings):`);
    expect(r.stdout).toContain(`  AuthenticationPolicy\n    ${doc}:5:1: authentication policy Rogue (the organisation default): allowBasicAuthPop true, allowBasicAuthImap false, allowBasicAuthSmtp false`);
    expect(r.stdout).toMatch(new RegExp(`${doc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:1: CAS mailbox plan ExchangeOnlineDeskless-[0-9a-f-]{36}: popEnabled true, imapEnabled true`));
    // The other undeclared plans are listed too; the declared one is not.
    expect(r.stdout).toMatch(/CAS mailbox plan ExchangeOnline-[0-9a-f-]{36}:/);
    expect(r.stdout).not.toMatch(/CAS mailbox plan ExchangeOnlineEnterprise/);
    expect(r.stdout).toContain(`  MailboxOverride\n    ${doc}:11:3: mailbox user000002@contoso.com: imapEnabled false, smtpClientAuthenticationDisabled false`);
    // Declared: Keep, and user000001's SMTP AUTH (its exception).
    expect(r.stdout).not.toMatch(/authentication policy Keep|mailbox user000001/);
  });

  it('--undeclared error: the same objects are findings (exit 1)', () => {
    const r = runCliProcess(['drift', doc, '--state', state, '--undeclared', 'error']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Drift: 0 setting(s) in 0 of 3 resource(s) differ');
    expect(r.stdout).toContain('; 5 object(s) in Exchange not declared.');
    expect(r.stdout).toContain('findings, --undeclared error');
  });

  it('--undeclared ignore: not read, not listed; a mode not known is a usage error (exit 2)', () => {
    const r = runCliProcess(['drift', doc, '--state', state, '--undeclared', 'ignore', '-f', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).undeclared).toBeUndefined();
    const bad = runCliProcess(['drift', doc, '--state', state, '--undeclared', 'warn']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--undeclared');
  });

  it('json: its own field, every object with what Exchange has and where it would be declared', () => {
    const json = JSON.parse(ok(['drift', doc, '--state', state, '-f', 'json']));
    expect(json.inSync).toBe(true);
    expect(json.drift).toEqual([]);
    expect(json.undeclared.error).toBe(false);
    expect(json.undeclared.count).toBe(5);
    expect(json.undeclared.objects[0]).toEqual({
      kind: 'AuthenticationPolicy',
      what: 'AuthenticationPolicy',
      object: 'authentication policy',
      name: 'Rogue',
      settings: { allowBasicAuthPop: true, allowBasicAuthImap: false, allowBasicAuthSmtp: false },
      note: 'the organisation default',
      listedBy: 'Get-AuthenticationPolicy',
      pointer: '/authenticationPolicies',
      location: { file: doc, line: 5, column: 1 },
    });
    const mailbox = json.undeclared.objects.find((o: { what: string }) => o.what === 'MailboxOverride');
    expect(mailbox).toMatchObject({ kind: 'CasMailboxProtocol', name: 'user000002@contoso.com', pointer: '/casMailboxes/exceptions', settings: { imapEnabled: false, smtpClientAuthenticationDisabled: false } });
    const error = JSON.parse(runCliProcess(['drift', doc, '--state', state, '-f', 'json', '--undeclared', 'error']).stdout);
    expect(error.inSync).toBe(false);
    expect(error.undeclared.error).toBe(true);
  });

  it('sarif: results of their own rules, notes by default and warnings with --undeclared error', () => {
    const run = (extra: string[]) => JSON.parse(runCliProcess(['drift', doc, '--state', state, '-f', 'sarif', ...extra]).stdout).runs[0];
    const sarif = run([]);
    const rules = sarif.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(rules).toEqual(expect.arrayContaining(['undeclared/AuthenticationPolicy', 'undeclared/CasMailboxPlan', 'undeclared/ExchangeServer', 'undeclared/MailboxOverride']));
    const rogue = sarif.results.find((r: { message: { text: string } }) => r.message.text.startsWith('authentication policy Rogue'));
    expect(rogue).toMatchObject({ ruleId: 'undeclared/AuthenticationPolicy', level: 'note', partialFingerprints: { 'mailpolicy/v1': 'undeclared/AuthenticationPolicy/rogue' } });
    expect(rogue.message.text).toBe('authentication policy Rogue (the organisation default) is in Exchange but not in the document: allowBasicAuthPop true, allowBasicAuthImap false, allowBasicAuthSmtp false');
    expect(sarif.results.filter((r: { ruleId: string }) => r.ruleId === 'undeclared/CasMailboxPlan')).toHaveLength(3);
    expect(run(['--undeclared', 'error']).results.every((r: { level: string }) => r.level === 'warning')).toBe(true);
  });

  it('markdown: a "Not declared" table', () => {
    const md = ok(['drift', doc, '--state', state, '-f', 'markdown']);
    expect(md).toContain('### Not declared');
    expect(md).toContain('| Where | What | Object | Exchange has | Note |');
    expect(md).toContain(`| ${doc}:5:1 | AuthenticationPolicy | authentication policy Rogue | allowBasicAuthPop true, allowBasicAuthImap false, allowBasicAuthSmtp false | the organisation default |`);
  });

  it('--limit cuts each group in text', () => {
    const r = runCliProcess(['drift', doc, '--state', state, '--limit', '1']);
    expect(r.stdout.match(/CAS mailbox plan /g)).toHaveLength(1);
    expect(r.stdout).toContain('… and 2 more');
  });
});

describe('what is and is not reported', () => {
  it('a section the document does not have is not looked at: absent means unmanaged', () => {
    const state = drifted();
    const json = JSON.parse(ok(['drift', file([...HEAD, 'transportConfig: { smtpClientAuthenticationDisabled: true }']), '--state', state, '-f', 'json']));
    expect(json.undeclared).toEqual({ error: false, count: 0, objects: [] });
  });

  it('an empty section says "none": every policy is not declared', () => {
    const state = online();
    invoke(state, 'New-AuthenticationPolicy', 'Name=Extra');
    const r = runCliProcess(['drift', file([...HEAD, 'authenticationPolicies: []']), '--state', state, '--undeclared', 'error']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('authentication policy Extra: allowBasicAuthPop false');
  });

  it('a mailbox that differs from a key `default` declares is drift, reported once, not also "not declared"', () => {
    const state = online();
    invoke(state, 'Set-CASMailbox', 'Identity=user000003', 'PopEnabled=false');
    const json = JSON.parse(runCliProcess(['drift', file([...HEAD, 'casMailboxes:', '  default: { popEnabled: true }']), '--state', state, '-f', 'json']).stdout);
    expect(json.drift.map((d: { subject: string; setting: string }) => `${d.subject} ${d.setting}`)).toEqual(['user000003@contoso.com popEnabled']);
    expect(json.undeclared.objects).toEqual([]);
  });

  it('names with control characters are escaped in every human-readable format', () => {
    const state = online();
    invoke(state, 'New-AuthenticationPolicy', 'Name=Evil\u001b[31m\nX\u202e');
    const doc = file([...HEAD, 'authenticationPolicies: []']);
    for (const format of ['text', 'markdown', 'sarif', 'json']) {
      const out = ok(['drift', doc, '--state', state, '-f', format]);
      expect(out.includes('\u001b') || out.includes('\u202e')).toBe(false);
      expect(out).not.toContain('Evil\u001b');
      // Markdown also escapes its own syntax (`\\[`) and shows the newline as a break inside its cell.
      expect(out).toContain(format === 'markdown' ? 'Evil\\u001b\\[31m<br>X' : 'Evil\\u001b[31m\\nX\\u202e');
      expect(out).toContain('X\\u202e');
    }
  });
});

describe('Exchange Server: servers the document does not name', () => {
  const SERVER_DOC = ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: woodgrove }', 'target: { platform: exchangeServer, organization: woodgrove.com }', 'servers:', '  - name: EX01', '    pop3:', '      service: { startupType: Manual, state: Stopped }'];

  function servers(): string {
    const state = path.join(tmp, `s${++n}.json`);
    ok(['sim', 'init', '--state', state, '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--servers', 'EX01,EX02']);
    return state;
  }

  it('EX02 is listed (text and SARIF), exit 0; with --undeclared error exit 1', () => {
    const state = servers();
    const doc = file(SERVER_DOC);
    const r = runCliProcess(['drift', doc, '--state', state]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`  ExchangeServer\n    ${doc}:5:1: server EX02: serverRole Mailbox`);
    expect(r.stdout).not.toContain('server EX01:');
    const sarif = JSON.parse(ok(['drift', doc, '--state', state, '-f', 'sarif'])).runs[0];
    expect(sarif.results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['undeclared/ExchangeServer']);
    expect(runCliProcess(['drift', doc, '--state', state, '--undeclared', 'error']).code).toBe(1);
  });

  it('export --undeclared FILE writes only EX02, as it is; merged into FILE, drift has nothing undeclared', () => {
    const state = servers();
    const doc = file(SERVER_DOC);
    const out = path.join(tmp, 'undeclared.mailpolicy.yaml');
    const r = runCliProcess(['export', '--state', state, '--undeclared', doc, '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`exported woodgrove.com: 1 object(s) not declared in ${doc} to ${out}`);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('  - name: EX02');
    expect(text).not.toContain('EX01');
    // The exported entry, copied into the document, declares EX02: nothing is left undeclared, and it is in sync.
    const entry = text.slice(text.indexOf('  - name: EX02'));
    const merged = path.join(tmp, 'merged.mailpolicy.yaml');
    fs.writeFileSync(merged, `${SERVER_DOC.join('\n')}\n${entry}`);
    const after = runCliProcess(['drift', merged, '--state', state, '--undeclared', 'error']);
    expect(after.stdout).not.toContain('Not declared');
    expect(after.code).toBe(0);
  });
});

describe('Exchange Server: certificates of a server the plan read and of one it did not', () => {
  it('a server listing certificates and one listing none are both judged (the read for drift joins the plan\'s)', () => {
    const state = path.join(tmp, `s${++n}.json`);
    ok(['sim', 'init', '--state', state, '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--servers', 'EX01,EX02']);
    const declared = ok(['sim', 'certificate', 'add', '--state', state, '--server', 'EX01', '--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com']).trim();
    const doc = file([
      'apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: woodgrove }', 'target: { platform: exchangeServer, organization: woodgrove.com }',
      'servers:', '  - name: EX01', '    certificates:', `      - { thumbprint: ${declared}, services: [POP] }`, '  - name: EX02', '    certificates: []',
    ]);
    ok(['apply', doc, '--state', state, '--quiet']);
    const r = runCliProcess(['drift', doc, '--state', state, '-f', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const servers = (JSON.parse(r.stdout) as { undeclared: { objects: { object: string; name: string }[] } }).undeclared.objects.filter((o) => o.object === 'certificate').map((o) => o.name.split(' ')[0]);
    // Exchange setup's self-signed certificate (IMAP, POP, SMTP) on each server, listed by neither.
    expect(servers.sort()).toEqual(['EX01', 'EX02']);
  });
});

describe('users holding a policy no assignedTo lists', () => {
  it('listed only when the document lists assignments; a listed user in another form of its identity is not reported', () => {
    const state = online();
    invoke(state, 'New-AuthenticationPolicy', 'Name=Keep');
    invoke(state, 'Set-User', 'Identity=user000001', 'AuthenticationPolicy=Keep');
    // Behind the document's back: a stray assignment.
    invoke(state, 'Set-User', 'Identity=user000002', 'AuthenticationPolicy=Keep');
    const listing = file([...HEAD, 'authenticationPolicies:', '  - { name: Keep, assignedTo: [user000001] }']);
    const json = JSON.parse(ok(['drift', listing, '--state', state, '-f', 'json'])) as { undeclared: { objects: { object: string; name: string; settings: Record<string, unknown> }[] } };
    const users = json.undeclared.objects.filter((o) => o.object === 'user');
    expect(users.map((u) => [u.name, u.settings.authenticationPolicy])).toEqual([['user000002@contoso.onmicrosoft.com', 'Keep']]);
    expect(JSON.parse(ok(['drift', listing, '--state', state, '-f', 'sarif'])).runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('undeclared/PolicyAssignment');
    // No assignedTo anywhere: assignments are not managed, so none is "not declared".
    const unmanaged = file([...HEAD, 'authenticationPolicies:', '  - { name: Keep }']);
    const plain = JSON.parse(ok(['drift', unmanaged, '--state', state, '-f', 'json'])) as { undeclared: { objects: { object: string }[] } };
    expect(plain.undeclared.objects.filter((o) => o.object === 'user')).toEqual([]);
  });
});

describe('export --undeclared FILE reads only the organisation FILE names', () => {
  it('another organisation on the command line, or one on another platform, is exit 2 and nothing is written', () => {
    const state = online();
    const doc = file(ONLINE_DOC);
    const out = path.join(tmp, `never-${++n}.yaml`);
    const other = runCliProcess(['export', '--state', state, '--undeclared', doc, '--organization', 'fabrikam.onmicrosoft.com', '-o', out]);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('fabrikam.onmicrosoft.com');
    // An Exchange Server document against an Exchange Online organisation of the same name.
    const onPremDoc = file(['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: contoso }', 'target: { platform: exchangeServer, organization: contoso.onmicrosoft.com }', 'authenticationPolicies: []']);
    const platform = runCliProcess(['export', '--state', state, '--undeclared', onPremDoc, '-o', out]);
    expect(platform.code).toBe(2);
    expect(platform.stderr).toContain('exchangeServer');
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('Exchange Server: certificates enabled for POP, IMAP or SMTP that the server\'s list does not name', () => {
  it('a certificate enabled behind the document\'s back is listed with its client services; a server without `certificates` is not looked at', () => {
    const state = path.join(tmp, `s${++n}.json`);
    ok(['sim', 'init', '--state', state, '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--servers', 'EX01']);
    const declared = ok(['sim', 'certificate', 'add', '--state', state, '--server', 'EX01', '--subject', 'CN=mail.woodgrove.com', '--san', 'mail.woodgrove.com']).trim();
    const rogue = ok(['sim', 'certificate', 'add', '--state', state, '--server', 'EX01', '--subject', 'CN=test.woodgrove.com', '--san', 'test.woodgrove.com']).trim();
    const base = ['apiVersion: mailpolicy/v1', 'kind: MailPolicy', 'metadata: { name: woodgrove }', 'target: { platform: exchangeServer, organization: woodgrove.com }', 'servers:', '  - name: EX01'];
    const doc = file([...base, '    certificates:', `      - { thumbprint: ${declared}, services: [POP] }`]);
    ok(['apply', doc, '--state', state, '--quiet']);
    invoke(state, 'Enable-ExchangeCertificate', `Thumbprint=${rogue}`, 'Services=["IMAP"]', 'Server=EX01');
    const json = JSON.parse(ok(['drift', doc, '--state', state, '-f', 'json'])) as { undeclared: { objects: { object: string; name: string; settings: { services: string[] } }[] } };
    const certificates = json.undeclared.objects.filter((o) => o.object === 'certificate');
    // Exchange setup's self-signed certificate is enabled for IMAP, POP and SMTP too (IIS is not a client service).
    expect(certificates.map((o) => [o.name.split(' ')[1], o.settings.services])).toEqual(
      expect.arrayContaining([[rogue, ['IMAP']]]),
    );
    expect(certificates.find((o) => o.name === `EX01 ${declared}`)).toBeUndefined();
    const sarif = JSON.parse(ok(['drift', doc, '--state', state, '-f', 'sarif'])).runs[0];
    expect(sarif.results.map((x: { ruleId: string }) => x.ruleId)).toContain('undeclared/ExchangeCertificate');
    // No `certificates` on the server: unmanaged, not looked at.
    const unmanaged = file([...base, '    pop3:', '      service: { startupType: Manual, state: Stopped }']);
    const plain = JSON.parse(ok(['drift', unmanaged, '--state', state, '-f', 'json'])) as { undeclared: { objects: { object: string }[] } };
    expect(plain.undeclared.objects.filter((o) => o.object === 'certificate')).toEqual([]);
  });
});

describe('export --undeclared FILE (Exchange Online)', () => {
  it('writes the rogue policy (still marked the default), the plans and mailbox overrides FILE does not declare, and a document that loads', () => {
    const state = drifted();
    const doc = file(ONLINE_DOC);
    const r = runCliProcess(['export', '--state', state, '--undeclared', doc]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('authenticationPolicies:\n  - name: Rogue\n');
    expect(r.stdout).toContain('default: true');
    expect(r.stdout).not.toContain('name: Keep');
    expect(r.stdout).toContain('identity: ExchangeOnlineDeskless');
    expect(r.stdout).not.toContain('ExchangeOnlineEnterprise');
    expect(r.stdout).toMatch(/exceptions:\n {4}- identities:\n {8}- user000002@contoso\.com\n {6}imapEnabled: false\n {6}smtpClientAuthenticationDisabled: false/);
    expect(r.stdout).not.toContain('transportConfig');
    expect(r.stderr).toContain(`exported contoso.onmicrosoft.com: 5 object(s) not declared in ${doc}`);
  });

  it('without the option export is unchanged: the whole organisation', () => {
    const r = runCliProcess(['export', '--state', drifted()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: Keep');
    expect(r.stdout).toContain('ExchangeOnlineEnterprise');
  });

  it('a bad FILE is reported at FILE:LINE:COL before Exchange is read (exit 2, nothing written)', () => {
    const bad = file([...HEAD, 'authenticationPolicies: yes']);
    const r = runCliProcess(['export', '--state', online(), '--undeclared', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:5:`);
    expect(r.stdout).toBe('');
  });
});
