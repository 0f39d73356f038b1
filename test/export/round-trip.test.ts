import { EXCHANGE_SE_RTM } from '../../src/model/exchange-version';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLOUDS } from '../../src/model/types';
import type { SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { tempDir, writeOrg } from '../simulator/helpers';
import { runCli } from '../cli/run-cli';
import { applyDocument, changeInExchange } from '../drift/helpers';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { organisationFor, saveOrganisation } from '../reconcile/simulated';

const STACKS = path.resolve(__dirname, '../../stacks');
const EXAMPLES = fs.readdirSync(STACKS).filter((f) => f.endsWith('.mailpolicy.yaml'));

/** export → the document loads, drift against the same organisation is in sync, and a second export is identical. */
async function roundTrip(state: string, extra: string[] = []): Promise<{ file: string; text: string; stderr: string }> {
  const file = path.join(tempDir('mailpolicy-export-'), 'exported.mailpolicy.yaml');
  const exported = await runCli(['export', '--backend', 'simulator', '--state', state, '--output', file, ...extra]);
  expect(exported.stderr.split('\n')[0]).toBe(`backend: simulator (state: ${state})`);
  expect(exported.code).toBe(0);
  const text = fs.readFileSync(file, 'utf8');
  expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+mailpolicy\.schema\.json$/);
  // The modeline points at the real schema file, relative to the document.
  const ref = (text.split('\n')[0] as string).replace(/^.*\$schema=/, '');
  expect(fs.existsSync(path.resolve(path.dirname(file), ref))).toBe(true);
  loadPolicyFileOrThrow(file);
  const drift = await runCli(['drift', file, '--state', state]);
  expect(drift.stdout).toContain('In sync');
  expect(drift.code).toBe(0);
  const second = path.join(path.dirname(file), 'again.mailpolicy.yaml');
  expect((await runCli(['export', '--state', state, '--output', second, ...extra])).code).toBe(0);
  expect(fs.readFileSync(second, 'utf8')).toBe(text);
  return { file, text, stderr: exported.stderr };
}

describe('export round trip: every example stack', () => {
  for (const example of EXAMPLES) {
    it(example, async () => {
      const stack = path.join(STACKS, example);
      const { policy } = loadPolicyFileOrThrow(stack);
      const servers = (policy.servers ?? []).map((s) => s.name);
      const state = await saveOrganisation(tempDir('mailpolicy-export-'), 'org', organisationFor(policy, 40));
      await applyDocument(stack, state);
      // The example itself is in sync after apply, and so is its export.
      expect((await runCli(['drift', stack, '--state', state])).code).toBe(0);
      // No --server: an Exchange Server export finds the organisation's servers itself.
      const { policy: exported } = loadPolicyFileOrThrow((await roundTrip(state)).file);
      // Exchange Server: the export states what the servers run (the simulator's default, Exchange Server SE RTM; issue 12, item 7).
      expect(exported.target).toEqual(policy.target.platform === 'exchangeServer' ? { ...policy.target, minimumServerVersion: EXCHANGE_SE_RTM } : policy.target);
      expect(exported.servers?.map((s) => s.name)).toEqual(policy.servers ? [...servers].sort() : undefined);
      if (policy.casMailboxes?.default) expect(exported.casMailboxes?.default).toMatchObject(policy.casMailboxes.default);
    });
  }
});

describe('export round trip: simulated organisations of each platform and cloud', () => {
  for (const cloud of CLOUDS) {
    it(`Exchange Online ${cloud} from \`mailpolicy sim init\`, with deviating mailboxes`, async () => {
      const state = path.join(tempDir('mailpolicy-export-'), 'org.json');
      expect((await runCli(['sim', 'init', '--platform', 'exchangeOnline', '--cloud', cloud, '--mailboxes', '300', '--state', state])).code).toBe(0);
      await editState(state, (s) => {
        s.mailboxes.forEach((row, i) => {
          if (i % 10 === 0) row[3] = false;
          if (i % 25 === 0) row[4] = false;
          if (i % 40 === 0) row[5] = i % 80 === 0 ? true : false;
        });
      });
      await changeInExchange(state, 'New-AuthenticationPolicy', { name: 'Block Basic Auth', allowBasicAuthSmtp: false });
      await changeInExchange(state, 'Set-OrganizationConfig', { defaultAuthenticationPolicy: 'Block Basic Auth' });
      const { text } = await roundTrip(state);
      const { policy } = loadPolicyFileOrThrow(writeTemp(text));
      expect(policy.target.cloud).toBe(cloud);
      expect(policy.authenticationPolicies).toEqual([{ name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true }]);
      expect(policy.casMailboxes?.default).toEqual({ popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: null });
      // 30 POP off, 12 IMAP off, 8 with their own SMTP AUTH value: grouped, never one exception per mailbox.
      const exceptions = policy.casMailboxes?.exceptions ?? [];
      expect(exceptions.length).toBeLessThanOrEqual(11);
      expect(exceptions.flatMap((e) => e.identities).length).toBe(new Set(exceptions.flatMap((e) => e.identities)).size);
      expect(policy.casMailboxPlans?.map((p) => p.identity)).toEqual(['ExchangeOnline', 'ExchangeOnlineDeskless', 'ExchangeOnlineEnterprise', 'ExchangeOnlineEssentials']);
    });
  }

  it('Exchange Server from `mailpolicy sim init` with two servers, one service half running: every server found without --server', async () => {
    const state = path.join(tempDir('mailpolicy-export-'), 'org.json');
    // Listed out of order: the export names servers sorted, whatever order Exchange lists them in.
    const init = ['sim', 'init', '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--servers', 'EX02,EX01', '--mailboxes', '50', '--state', state];
    expect((await runCli(init)).code).toBe(0);
    await changeInExchange(state, 'Set-PopSettings', { server: 'EX02', externalConnectionSettings: ['mail.woodgrove.com:995:SSL'], loginType: 'PlainTextLogin' });
    await changeInExchange(state, 'Start-Service', { name: ['MSExchangeIMAP4'] }, 'EX01');
    const { text, stderr } = await roundTrip(state);
    expect(stderr).toContain('warning: EX01 IMAP4: MSExchangeIMAP4 is Running, MSExchangeIMAP4BE Stopped: state left unmanaged');
    const { policy } = loadPolicyFileOrThrow(writeTemp(text));
    expect(policy.servers?.map((s) => s.name)).toEqual(['EX01', 'EX02']);
    expect(policy.servers?.[1]?.pop3?.settings).toMatchObject({ externalConnectionSettings: ['mail.woodgrove.com:995:SSL'], loginType: 'PlainTextLogin' });
    expect(policy.servers?.[0]?.imap4?.service).toEqual({ startupType: 'Manual' });
    expect(policy).not.toHaveProperty('transportConfig');
    expect(policy.casMailboxes?.default).toEqual({ popEnabled: true, imapEnabled: true });
  });
});

describe('export: usage, errors and progress', () => {
  it('writes to stdout without --output; progress only when asked (stderr is not a terminal here)', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 10 });
    const quiet = await runCli(['export', '--state', state]);
    expect(quiet.code).toBe(0);
    expect(quiet.stdout.startsWith('# yaml-language-server: $schema=')).toBe(true);
    expect(quiet.stderr.trimEnd().split('\n')).toEqual([`backend: simulator (state: ${state})`, 'exported contoso.onmicrosoft.com: 10 mailbox(es) as default + 0 exception(s)']);
    const loud = await runCli(['export', '--state', state, '--progress']);
    expect(loud.stderr).toContain('export: read 10 mailbox(es)');
    expect(loud.stdout).toBe(quiet.stdout);
  });

  it('a failed read: exit 2 with Exchange’s error, and no file written', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 3 }, (s) => {
      s.faults = [{ kind: 'permanent', cmdlet: 'Get-CASMailboxPlan', message: 'Access denied: the caller lacks the role View-Only Configuration' }];
    });
    const out = path.join(tempDir(), 'out.yaml');
    const r = await runCli(['export', '--state', state, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Get-CASMailboxPlan: Access denied: the caller lacks the role View-Only Configuration');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
  });

  it('Exchange Server: a failed server listing is exit 2 with Exchange’s error, never an export without servers', async () => {
    const state = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', mailboxes: 3 }, (s) => {
      s.faults = [{ kind: 'permanent', cmdlet: 'Get-ExchangeServer', message: 'Active Directory operation failed on DC01.woodgrove.com.' }];
    });
    const out = path.join(tempDir(), 'out.yaml');
    const r = await runCli(['export', '--state', state, '--output', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Get-ExchangeServer: Active Directory operation failed on DC01.woodgrove.com.');
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
    // Named servers need no listing: the same organisation exports with --server.
    expect((await runCli(['export', '--state', state, '--server', 'EX01', '--output', out])).code).toBe(0);
    const none = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: [] });
    const empty = await runCli(['export', '--state', none]);
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toContain('Get-ExchangeServer lists no Mailbox server');
  });

  it('refuses to write a document that would not load: an organisation name that is not a DNS domain, a file over the size limit', async () => {
    const dir = tempDir('mailpolicy-export-');
    const named = writeOrg({ platform: 'exchangeServer', organization: 'Woodgrove Bank' });
    const r = await runCli(['export', '--state', named, '--server', 'EX01', '--output', path.join(dir, 'a.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('target.organization: must be a DNS domain name');
    // 70,000 mailboxes split evenly: 35,000 identities in one exception, over the loader's 1 MiB.
    const big = writeOrg({ platform: 'exchangeOnline', mailboxes: 70_000 }, (s) => s.mailboxes.forEach((row, i) => (row[3] = i % 2 === 1)));
    const large = await runCli(['export', '--state', big, '--output', path.join(dir, 'b.yaml')]);
    expect(large.code).toBe(2);
    expect(large.stderr).toContain('the mailbox exceptions name 35000 mailbox(es)');
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('--server narrows an Exchange Server export; Exchange Online refuses it', async () => {
    const onprem = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01', 'EX02', 'EX03'] });
    const all = await runCli(['export', '--state', onprem]);
    expect(all.code).toBe(0);
    expect(loadPolicyFileOrThrow(writeTemp(all.stdout)).policy.servers?.map((s) => s.name)).toEqual(['EX01', 'EX02', 'EX03']);
    const narrowed = await runCli(['export', '--state', onprem, '--server', 'EX03', '--server', 'EX01']);
    expect(narrowed.code).toBe(0);
    expect(loadPolicyFileOrThrow(writeTemp(narrowed.stdout)).policy.servers?.map((s) => s.name)).toEqual(['EX03', 'EX01']);
    const unknown = await runCli(['export', '--state', onprem, '--server', 'EX99']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('EX99');
    const online = writeOrg({ platform: 'exchangeOnline' });
    expect((await runCli(['export', '--state', online, '--server', 'EX01'])).code).toBe(2);
  });
});

async function editState(statePath: string, edit: (s: SimulatorState) => void): Promise<void> {
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
  edit(state);
  await saveState(statePath, state);
}

function writeTemp(text: string): string {
  const file = path.join(tempDir('mailpolicy-export-'), 'doc.mailpolicy.yaml');
  fs.writeFileSync(file, text);
  return file;
}
