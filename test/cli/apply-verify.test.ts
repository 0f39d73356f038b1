/**
 * After writing, `apply` reads back what it wrote: a setting Exchange accepted but did not take
 * (the simulator's `ignoreWrite` fault: the cmdlet succeeds, nothing changes) is exit 2, naming
 * each setting at FILE:LINE:COL; settings written while their services are stopped are reported
 * as not yet in effect. The providers fail create/update the same way. CLI as a real process,
 * providers over gRPC.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrganisation, type NewOrganisationOptions } from '../../src/simulator/defaults';
import { serialiseState, type FaultSpec, type SimulatorState } from '../../src/simulator/state';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { TOKEN } from '../exchange/stand-in';
import { assertBuilt, ProviderPlugin } from '../providers/provider-plugin';
import { exampleFile, tempDir } from '../reconcile/simulated';
import { runCliProcess } from './cli-process';

const dir = tempDir('verify');
const plugins: ProviderPlugin[] = [];
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function organisation(options: NewOrganisationOptions, faults: FaultSpec[], edit?: (s: SimulatorState) => void): string {
  const s = newOrganisation(options);
  s.faults = faults;
  edit?.(s);
  const file = path.join(dir, `org-${++counter}.json`);
  fs.writeFileSync(file, serialiseState(s));
  return file;
}

const read = (statePath: string): SimulatorState => JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;

/** FILE:LINE:COL of `key` in the first line containing `needle` after the line containing `after`. */
function at(file: string, needle: string, key: string, after = ''): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  return `${file}:${index + 1}:${(lines[index] as string).indexOf(key) + 1}`;
}

const CONTOSO = exampleFile('contoso-worldwide');
const WOODGROVE = exampleFile('woodgrove-onprem');
const online = (faults: FaultSpec[]) =>
  organisation({ platform: 'exchangeOnline', mailboxes: 3 }, faults, (s) => {
    s.mailboxes.push(['scanner', 'scanner@contoso.com', 'scanner@contoso.onmicrosoft.com', true, true, null], ['helpdesk-archive', 'helpdesk-archive@contoso.com', 'helpdesk-archive@contoso.onmicrosoft.com', true, true, null]);
  });

describe('apply reads back what it wrote', () => {
  it('a setting Exchange accepted but did not take: exit 2, the setting at FILE:LINE:COL; the next apply converges', () => {
    const state = online([{ kind: 'ignoreWrite', cmdlet: 'Set-TransportConfig' }]);
    const r = runCliProcess(['apply', CONTOSO, '--state', state, '--as-of', '2026-12-01']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/Applied \d+ change\(s\)\.\n$/);
    expect(r.stderr).toContain('mailpolicy apply: the organisation did not converge: Exchange accepted the changes, but reading them back shows 1 setting(s) that did not take:');
    expect(r.stderr).toContain(`  ${at(CONTOSO, 'allowLegacyTLSClients: true', 'allowLegacyTLSClients')}: TransportConfig allowLegacyTLSClients: desired true, actual false\n`);
    // The other changes were taken, and are not named.
    expect(r.stderr).not.toMatch(/scanner|Block Basic Auth|smtpClientAuthenticationDisabled/);
    expect(read(state).transportConfig?.allowLegacyTLSClients).toBeNull();

    // Once Exchange takes writes again, the next apply writes the setting, reads it back, and says so.
    expect(runCliProcess(['sim', 'faults', '--state', state, '--clear']).code).toBe(0);
    const again = runCliProcess(['apply', CONTOSO, '--state', state, '--as-of', '2026-12-01']);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Applied 1 change(s).\nVerified: read back 1 resource(s); every applied setting is in place.\n');
  });

  it('through the PowerShell backend (runner + stand-in pwsh): the same verdict', () => {
    const state = online([]);
    const r = runCliProcess(['apply', CONTOSO, '--as-of', '2026-12-01', '--backend', 'powershell', '--pwsh', STAND_IN_PWSH], {
      env: {
        ...standInEnv(state),
        MAILPOLICY_ACCESS_TOKEN: TOKEN,
        MAILPOLICY_STANDIN_FAULTS: JSON.stringify([{ kind: 'ignoreWrite', cmdlet: 'Set-OrganizationConfig' }]),
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`  ${at(CONTOSO, 'default: true', 'default')}: OrganizationConfig defaultAuthenticationPolicy: desired Block Basic Auth, actual null\n`);
  });

  it('a mailbox in a batch whose change did not take is named where the document declares its setting', () => {
    // Set-CASMailbox calls 1–4 are the generated mailboxes and scanner, in state order; the fifth is helpdesk-archive.
    const state = online([{ kind: 'ignoreWrite', cmdlet: 'Set-CASMailbox', call: 5 }]);
    const r = runCliProcess(['apply', CONTOSO, '--state', state, '--as-of', '2026-12-01']);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    // The mailbox's popEnabled comes from casMailboxes.default: that is where the report points.
    expect(lines).toEqual([`  ${at(CONTOSO, 'popEnabled: false', 'popEnabled', 'casMailboxes:')}: helpdesk-archive@contoso.com popEnabled: desired false, actual true`]);
  });

  it('services: a start Exchange did not carry out is a setting that did not take', () => {
    const state = organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01', 'EX02'], mailboxes: 1 }, [{ kind: 'ignoreWrite', cmdlet: 'Start-Service', call: 2 }], (s) => {
      s.mailboxes.push(['branch-terminals', 'branch-terminals@woodgrove.com', 'branch-terminals@woodgrove.com', true, true, null]);
    });
    const r = runCliProcess(['apply', WOODGROVE, '--state', state]);
    expect(r.code).toBe(2);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('  '));
    const where = at(WOODGROVE, 'state: Running', 'state', '- name: EX02');
    // Start-Service call 2 is EX02's POP3 (EX01's is call 1): both its services stay stopped.
    expect(lines).toEqual([`  ${where}: EX02 MSExchangePOP3.state: desired Running, actual Stopped`, `  ${where}: EX02 MSExchangePOP3BE.state: desired Running, actual Stopped`]);
  });

  it('settings written while their services are stopped: applied, verified, and reported as not yet in effect', () => {
    const file = path.join(dir, 'settings-only.mailpolicy.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: mailpolicy/v1\nkind: MailPolicy\nmetadata: { name: settings-only }\ntarget: { platform: exchangeServer, organization: woodgrove.com }\nservers:\n  - name: EX01\n    imap4:\n      settings: { loginType: SecureLogin, protocolLogEnabled: true }\n',
    );
    const state = organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'] }, []);
    const r = runCliProcess(['apply', file, '--state', state]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Verified: read back 1 resource(s); every applied setting is in place.\nNot yet in effect: EX01 IMAP4: the new settings take effect when MSExchangeIMAP4 and MSExchangeIMAP4BE start (MSExchangeIMAP4 is Stopped, MSExchangeIMAP4BE is Stopped).\n',
    );
  });
});

describe('the providers read back what they wrote', () => {
  beforeAll(() => assertBuilt());

  it('create fails naming the setting Exchange did not take; update after the fault has passed converges', async () => {
    const statePath = organisation({ platform: 'exchangeOnline' }, [{ kind: 'ignoreWrite', cmdlet: 'Set-TransportConfig' }]);
    const plugin = await ProviderPlugin.start();
    plugins.push(plugin);
    await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });
    const inputs = { target: { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' }, transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false } };
    await expect(plugin.create('TransportConfig', inputs)).rejects.toThrow(
      /contoso\.onmicrosoft\.com\/TransportConfig: Exchange accepted the change but did not take 2 setting\(s\): TransportConfig allowLegacyTLSClients: desired true, Exchange has false; smtpClientAuthenticationDisabled: desired false, Exchange has true \(Set-TransportConfig accepted\)/,
    );
    expect(read(statePath).transportConfig).toEqual({ allowLegacyTLSClients: null, smtpClientAuthenticationDisabled: true });
    const outs = await plugin.update('TransportConfig', 'contoso.onmicrosoft.com/TransportConfig', {}, inputs);
    expect(outs).toMatchObject({ changesApplied: 1 });
    expect(read(statePath).transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false });
  });
});

describe('the ignoreWrite fault', () => {
  it('sim faults --add ignoreWrite; it never fires on (nor counts) a read', () => {
    const state = organisation({ platform: 'exchangeOnline' }, []);
    const added = runCliProcess(['sim', 'faults', '--state', state, '--add', 'ignoreWrite']);
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toBe('{"kind":"ignoreWrite"}\n');
    // Reads first (Get-TransportConfig): they do not use the fault up; the one write is ignored.
    const r = runCliProcess(['sim', 'invoke', 'Get-TransportConfig', '--state', state]);
    expect(r.code).toBe(0);
    expect(runCliProcess(['sim', 'invoke', 'Set-TransportConfig', 'SmtpClientAuthenticationDisabled=false', '--state', state]).code).toBe(0);
    expect(read(state).transportConfig?.smtpClientAuthenticationDisabled).toBe(true);
    expect(read(state).writes ?? {}).toEqual({});
  });
});
