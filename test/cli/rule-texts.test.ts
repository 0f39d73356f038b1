/**
 * What the rules say, as `mailpolicy check` prints it (a real process): no more than Microsoft
 * says (issue 12, item 7). Dated texts are checked on both sides of their switch with --as-of.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-rule-texts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function doc(target: string, body: string): string {
  const file = path.join(tmp, `doc${++n}.mailpolicy.yaml`);
  fs.writeFileSync(file, `apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: t${n} }\ntarget: ${target}\n${body}`);
  return file;
}
const ONLINE = '{ platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }';
const SERVER = '{ platform: exchangeServer, organization: woodgrove.local }';

/** The messages of one rule's findings in `check`'s text output. */
function messages(file: string, asOf: string, id: string): string[] {
  const r = runCliProcess(['check', '--as-of', asOf, file]);
  expect(r.stderr).toBe('');
  const marker = ` ${id}v`;
  return r.stdout
    .split('\n')
    .filter((l) => l.includes(marker))
    .map((l) => l.slice(l.indexOf(': ', l.indexOf(marker)) + 2));
}

describe('MP-EXO-003: SMTP AUTH (the protocol) is not Basic authentication', () => {
  const file = doc(ONLINE, 'transportConfig: { smtpClientAuthenticationDisabled: false }\n');
  it('before the switch: says the protocol is on (OAuth included) and what Microsoft announced for Basic, no more', () => {
    const [m] = messages(file, '2026-12-06', 'MP-EXO-003');
    expect(m).toContain('SMTP AUTH client submission is enabled for the organisation');
    expect(m).toContain('OAuth');
    expect(m).toContain('at the end of December 2026');
    expect(m).toContain('off by default for existing tenants');
    expect(m).toContain('admins can turn it back on');
    expect(m).not.toContain('every mailbox');
    expect(m).not.toContain('must not be turned back on');
  });
  it('after the switch: Basic is off by default, can be re-enabled, removal date due in the second half of 2027', () => {
    const [m] = messages(file, '2027-01-01', 'MP-EXO-003');
    expect(m).toContain('off by default for existing tenants since the end of December 2026');
    expect(m).toContain('admins can turn it back on');
    expect(m).toContain('second half of 2027');
    expect(m).not.toContain('must not be turned back on');
  });
});

describe('MP-EXO-004: a mailbox exception does not beat security defaults or Conditional Access', () => {
  it('says that security defaults and Conditional Access policies blocking legacy authentication override it', () => {
    const file = doc(ONLINE, 'casMailboxes:\n  exceptions:\n    - { identities: [scanner@contoso.com], smtpClientAuthenticationDisabled: false }\n');
    const [m] = messages(file, '2026-12-06', 'MP-EXO-004');
    expect(m).toContain('SMTP AUTH is enabled for mailbox scanner@contoso.com by an exception');
    expect(m).toContain('security defaults');
    expect(m).toContain('Conditional Access');
  });
});

describe('MP-EXO-007: the message claims no more than the document manages', () => {
  it('a document that manages no mailboxes does not speak for every mailbox', () => {
    const file = doc(ONLINE, 'transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true }\n');
    const [m] = messages(file, '2027-01-01', 'MP-EXO-007');
    expect(m).toContain('allowLegacyTLSClients is true');
    expect(m).not.toContain('every mailbox');
    expect(m).toContain('manages no mailbox');
  });
  it('a document with mailbox settings says no mailbox setting of the document enables SMTP AUTH', () => {
    const file = doc(ONLINE, 'transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true }\ncasMailboxes: { default: { popEnabled: false, imapEnabled: false }, exceptions: [] }\n');
    const [m] = messages(file, '2026-06-01', 'MP-EXO-007');
    expect(m).not.toContain('every mailbox');
    expect(m).toContain('no mailbox setting in this document turns one back on');
  });
});

describe('MP-EXO-005 is an Exchange Online rule', () => {
  const cas = 'casMailboxes: { default: { popEnabled: false }, exceptions: [{ identities: [archiver@contoso.com], popEnabled: true }] }\n';
  it('fires on an Exchange Online document', () => {
    expect(messages(doc(ONLINE, cas), '2026-12-06', 'MP-EXO-005')).toEqual(['POP3 is enabled for mailbox archiver@contoso.com by an exception']);
  });
  it('says nothing about an Exchange Server document', () => {
    expect(messages(doc(SERVER, cas), '2026-12-06', 'MP-EXO-005')).toEqual([]);
  });
});

describe('Basic authentication for POP and IMAP: the shut-off began on 1 October 2022', () => {
  it('MP-EXO-006 says so in its rule page and its explanation, not that it ended in October 2022', () => {
    const page = fs.readFileSync('docs/rules/MP-EXO-006.md', 'utf8');
    expect(page).not.toContain('ended Basic authentication for POP and IMAP in October 2022');
    expect(page).toContain('began turning off Basic authentication for POP and IMAP on 1 October 2022');
    const file = doc(ONLINE, 'authenticationPolicies: [{ name: Allow POP Basic, allowBasicAuthPop: true }]\n');
    const r = runCliProcess(['check', '--as-of', '2026-12-06', '-f', 'sarif', file]);
    expect(r.stdout).toContain('MP-EXO-006');
    expect(r.stdout).not.toContain('ended Basic authentication');
    expect(r.stdout).toContain('began turning off Basic authentication for POP and IMAP on 1 October 2022');
  });
});
