/**
 * The providers with the PowerShell backend, through the real dynamic-provider plugin and the
 * real runner, with the stand-in pwsh (a child process speaking the host protocol, served by the
 * simulator): credentials arrive only through configure(), from the stack config (the password
 * as a secret); one PowerShell session serves every resource of the organisation; no secret
 * reaches outputs, state or logs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrganisation } from '../../src/simulator/defaults';
import type { SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { tempDir } from '../reconcile/simulated';
import { standInEnv } from '../../bench/stand-in-pwsh';
import { assertBuilt, ProviderPlugin, ROOT } from './provider-plugin';

const PASSWORD = 'Pfx-P@ssw0rd-7f3a9c';
/** In the plugin's environment, as `pulumi up` with a passphrase-encrypted stack has it. */
const PASSPHRASE = 'stack-passphrase-3e9d1b';
const dir = tempDir('powershell');
const statePath = path.join(dir, 'org.json');
const logPath = path.join(dir, 'stand-in.log');
let plugin: ProviderPlugin | undefined;

const target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' };

beforeAll(async () => {
  assertBuilt();
  await saveState(statePath, newOrganisation({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com', mailboxes: 30 }));
  plugin = await ProviderPlugin.start(ROOT, { ...standInEnv(statePath, { switches: { LOG: logPath }, compiled: true }), PULUMI_CONFIG_PASSPHRASE: PASSPHRASE });
  await plugin.configure(
    {
      'mailpolicy:policyFile': 'stacks/contoso-worldwide.mailpolicy.yaml',
      'mailpolicy:backend': 'powershell',
      'mailpolicy:pwshPath': 'tools/stand-in-pwsh',
      'mailpolicy:appId': '00000000-1111-2222-3333-444444444444',
      'mailpolicy:certificateFile': 'certs/mailpolicy.pfx',
      'mailpolicy:certificatePassword': PASSWORD,
    },
    ['mailpolicy:certificatePassword'],
  );
});

afterAll(async () => {
  await plugin?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('PowerShell backend through the provider plugin', () => {
  it('reconciles several resources over one session, signed in with the configured credentials', async () => {
    const outputs = [
      await plugin!.create('TransportConfig', { target, transportConfig: { allowLegacyTLSClients: true } }),
      await plugin!.create('AuthenticationPolicy', { target, policy: { name: 'Block Basic Auth', allowBasicAuthSmtp: false, default: true } }),
      await plugin!.create('CasMailboxProtocol', { target, casMailboxes: { default: { popEnabled: false }, exceptions: [] } }),
    ];
    const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
    expect(state.writes).toEqual({ 'Set-TransportConfig': 1, 'New-AuthenticationPolicy': 1, 'Set-OrganizationConfig': 1, 'Set-CASMailbox': 30 });

    const log = fs.readFileSync(logPath, 'utf8').split('\n').filter(Boolean);
    // One pwsh process, one sign-in, for three resource kinds (three configure calls).
    expect(log.filter((l) => l.startsWith('argv '))).toHaveLength(1);
    const connects = log.filter((l) => l.includes('"Connect-ExchangeOnline"'));
    expect(connects).toHaveLength(1);
    // The credentials came from the stack config, the password from its secret value.
    expect(connects[0]).toContain('"AppId":"00000000-1111-2222-3333-444444444444"');
    expect(connects[0]).toContain(`"CertificatePassword":"${PASSWORD}"`);
    expect(connects[0]).toContain(`"CertificateFilePath":"${path.join(ROOT, 'certs/mailpolicy.pfx')}"`);
    expect(connects[0]).toContain('"ExchangeEnvironmentName":"O365Default"');

    // Never in outputs (which Pulumi stores in state) nor in anything the plugin printed.
    for (const o of outputs) expect(JSON.stringify(o)).not.toContain(PASSWORD);
    expect(plugin!.stderr()).not.toContain(PASSWORD);
    // Nor in the PowerShell child's environment, with the stack's passphrase.
    const childEnv = log.filter((l) => l.startsWith('env '));
    expect(childEnv).toHaveLength(1);
    expect(childEnv[0]).not.toContain('PULUMI_CONFIG_PASSPHRASE');
    for (const secret of [PASSWORD, PASSPHRASE]) expect(childEnv[0]).not.toContain(secret);
  });

  it('an Exchange error reaches the engine with Exchange\'s message and no secret', async () => {
    const error = await plugin!.create('CasMailboxPlan', { target, plan: { identity: 'ExchangeOnlineKiosk', popEnabled: false } }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toMatch(/ExchangeOnlineKiosk does not exist/);
    expect(error?.message).not.toContain(PASSWORD);
  });

  it('Exchange Server: remotingUser, remotingPassword (a secret) and authentication from the stack config reach New-PSSession as a credential, and the password nowhere else', async () => {
    const dir2 = tempDir('powershell-onprem');
    const onPremState = path.join(dir2, 'org.json');
    const log = path.join(dir2, 'stand-in.log');
    const remotingPassword = 'Rem0ting-P@ss-5c1e77';
    await saveState(onPremState, newOrganisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'], mailboxes: 1 }));
    const onPrem = await ProviderPlugin.start(ROOT, standInEnv(onPremState, { switches: { LOG: log }, compiled: true }));
    try {
      await onPrem.configure(
        {
          'mailpolicy:policyFile': 'unused.yaml',
          'mailpolicy:backend': 'powershell',
          'mailpolicy:pwshPath': 'tools/stand-in-pwsh',
          'mailpolicy:connectionUri': 'http://ex01.woodgrove.com/PowerShell/',
          'mailpolicy:authentication': 'Negotiate',
          'mailpolicy:remotingUser': 'WOODGROVE\\svc-mailpolicy',
          'mailpolicy:remotingPassword': remotingPassword,
        },
        ['mailpolicy:remotingPassword'],
      );
      const created = await onPrem.create('ProtocolService', {
        target: { platform: 'exchangeServer', organization: 'woodgrove.com' },
        server: 'EX01',
        protocol: 'pop3',
        service: { startupType: 'Automatic' },
        settingsChangeId: 'none',
      });
      const lines = fs.readFileSync(log, 'utf8').split('\n').filter(Boolean);
      const connect = lines.find((l) => l.includes('"New-PSSession"')) ?? '';
      expect(connect).toContain('"Authentication":"Negotiate"');
      expect(connect).toContain(`"Credential":{"UserName":"WOODGROVE\\\\svc-mailpolicy","Password":"${remotingPassword}"}`);
      // One Set-Service per service, each naming its server beside the parameters.
      expect(lines.filter((l) => l.includes('"Set-Service"') && l.includes('"computerName":"EX01"'))).toHaveLength(2);
      expect(JSON.stringify(created)).not.toContain(remotingPassword);
      expect(onPrem.stderr()).not.toContain(remotingPassword);
      for (const l of lines.filter((x) => x.startsWith('env ') || x.startsWith('argv '))) expect(l).not.toContain(remotingPassword);
    } finally {
      await onPrem.stop();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });

  it('a certificate password too short to redact is refused, naming the stack config key, before any process starts', async () => {
    const dir2 = tempDir('powershell-short');
    const log = path.join(dir2, 'stand-in.log');
    const short = await ProviderPlugin.start(ROOT, standInEnv(statePath, { switches: { LOG: log }, compiled: true }));
    try {
      await short.configure(
        { 'mailpolicy:policyFile': 'unused.yaml', 'mailpolicy:backend': 'powershell', 'mailpolicy:pwshPath': 'tools/stand-in-pwsh', 'mailpolicy:appId': 'app', 'mailpolicy:certificateFile': 'c.pfx', 'mailpolicy:certificatePassword': 'pw!' },
        ['mailpolicy:certificatePassword'],
      );
      await expect(short.create('TransportConfig', { target, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(/mailpolicy:certificatePassword is shorter than 8 characters/);
      expect(fs.existsSync(log)).toBe(false);
    } finally {
      await short.stop();
      fs.rmSync(dir2, { recursive: true, force: true });
    }
  });
});
