/**
 * The providers through the real dynamic-provider plugin, over gRPC, against the simulator:
 * Configure, Check, Diff, Create, Read, Update and Delete as the engine calls them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/open-backend';
import { buildRequest } from '../../src/exchange/request';
import type { MailPolicy, Target } from '../../src/model/types';
import { newOrganisation, type NewOrganisationOptions } from '../../src/simulator/defaults';
import { saveState } from '../../src/simulator/store';
import type { SimulatorState } from '../../src/simulator/state';
import { UNKNOWN } from '../../providers/unknown';
import type { ResourceKind } from '../../providers/resource-types';
import { desiredResources } from '../../src/reconcile/resources';
import { EXAMPLE_STACKS, exampleFile, organisationFor } from '../reconcile/simulated';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { assertBuilt, ProviderPlugin } from './provider-plugin';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-providers-'));
let counter = 0;

/** A fresh simulated organisation in its own state file. */
async function organisation(options: NewOrganisationOptions, edit?: (s: SimulatorState) => void): Promise<string> {
  const statePath = path.join(dir, `org-${++counter}.json`);
  const state = newOrganisation(options);
  edit?.(state);
  await saveState(statePath, state);
  return statePath;
}

async function readState(statePath: string): Promise<SimulatorState> {
  return JSON.parse(await fs.promises.readFile(statePath, 'utf8')) as SimulatorState;
}

/** The organisation a document targets, with its servers and named mailboxes. */
async function organisationOf(policy: MailPolicy): Promise<string> {
  const statePath = path.join(dir, `org-${++counter}.json`);
  await saveState(statePath, organisationFor(policy, 5));
  return statePath;
}

const writes = async (statePath: string): Promise<Record<string, number>> => (await readState(statePath)).writes ?? {};

/** Makes every write cmdlet fail: a call that happens anyway shows up as an error. */
function forbidWrites(s: SimulatorState): void {
  s.faults = ['Set-TransportConfig', 'New-AuthenticationPolicy', 'Set-AuthenticationPolicy', 'Set-OrganizationConfig', 'Set-CASMailboxPlan', 'Set-CASMailbox', 'Set-PopSettings', 'Set-ImapSettings', 'Set-Service', 'Start-Service', 'Stop-Service', 'Restart-Service'].map((cmdlet) => ({
    kind: 'permanent' as const,
    cmdlet,
    times: 1_000_000,
    message: `unexpected write: ${cmdlet}`,
  }));
}

const worldwide: Target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' };
const onPrem: Target = { platform: 'exchangeServer', organization: 'woodgrove.com' };

/** One plugin process per state file, configured as `pulumi up` (or `pulumi destroy`) would. */
async function pluginFor(statePath: string, config: Record<string, string> = {}): Promise<ProviderPlugin> {
  const plugin = await ProviderPlugin.start();
  plugins.push(plugin);
  await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml', ...config });
  return plugin;
}
const RESTORE = { 'mailpolicy:restoreDefaultsOnDelete': 'true' };
const plugins: ProviderPlugin[] = [];

beforeAll(() => assertBuilt());
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('check and diff (no write; check verifies the target)', () => {
  let plugin: ProviderPlugin;
  beforeAll(async () => {
    plugin = await pluginFor(await organisation({ platform: 'exchangeOnline' }));
  });

  it('accepts every resource of every example stack, against its own organisation', async () => {
    for (const stack of EXAMPLE_STACKS) {
      const policy = loadPolicyFileOrThrow(exampleFile(stack)).policy;
      const own = await pluginFor(await organisationOf(policy));
      for (const r of desiredResources(policy)) {
        expect(await own.check(r.kind, {}, r.inputs as unknown as Record<string, unknown>), `${stack} ${r.name}`).toEqual({ inputs: expect.anything(), failures: [] });
      }
    }
  });

  it('fails the check of a valid resource whose target is not the connected organisation, before any write', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline', cloud: 'gccHigh' });
    const gccHigh = await pluginFor(statePath);
    await expect(gccHigh.check('TransportConfig', {}, { target: worldwide, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(
      /wrong organisation: the document targets the worldwide cloud, but contoso\.onmicrosoft\.com is in the gccHigh cloud/,
    );
    expect(await writes(statePath)).toEqual({});
  });

  it.each<[string, ResourceKind, Record<string, unknown>, { property: string; reason: RegExp }]>([
    ['a section on the wrong platform', 'TransportConfig', { target: onPrem, transportConfig: { allowLegacyTLSClients: false } }, { property: 'transportConfig', reason: /exchangeOnline/ }],
    ['a value outside its enum', 'PopSettings', { target: onPrem, server: 'EX01', settings: { loginType: 'Plain' } }, { property: 'settings.loginType', reason: /PlainTextLogin/ }],
    ['a malformed connection setting', 'PopSettings', { target: onPrem, server: 'EX01', settings: { externalConnectionSettings: ['mail.woodgrove.com:995:'] } }, { property: 'settings.externalConnectionSettings[0]', reason: /./ }],
    ['a misspelt key, with a suggestion', 'CasMailboxProtocol', { target: worldwide, casMailboxes: { default: { popEnable: false }, exceptions: [] } }, { property: 'casMailboxes.default.popEnable', reason: /popEnabled/ }],
    ['a missing cloud', 'TransportConfig', { target: { platform: 'exchangeOnline', organization: 'x.onmicrosoft.com' }, transportConfig: {} }, { property: 'target.cloud', reason: /cloud/ }],
  ])('reports %s as a check failure on the input property', async (_name, kind, news, expected) => {
    const result = await plugin.check(kind, {}, news);
    expect(result.failures).toContainEqual({ property: expected.property, reason: expect.stringMatching(expected.reason) });
  });

  it.each<[string, ResourceKind, Record<string, unknown>, { property: string; reason: string }[]]>([
    [
      'one failure per property: the connection-setting check replaces the schema pattern message, as in the loader',
      'PopSettings',
      { target: onPrem, server: 'EX01', settings: { externalConnectionSettings: ['mail.contoso.com:995:ssl'] } },
      [{ property: 'settings.externalConnectionSettings[0]', reason: 'settings.externalConnectionSettings[0]: "mail.contoso.com:995:ssl": write the encryption in capitals: "mail.contoso.com:995:SSL"' }],
    ],
    [
      'reasons name the input property, not the one-resource document',
      'PopSettings',
      { target: onPrem, server: 'EX01', settings: { loginType: 'Plain', loginTyp: 'SecureLogin' } },
      [
        { property: 'settings.loginTyp', reason: 'settings: unknown key "loginTyp" (did you mean "loginType"?)' },
        { property: 'settings.loginType', reason: 'settings.loginType: must be one of PlainTextLogin, PlainTextAuthentication, SecureLogin, got the string "Plain"' },
      ],
    ],
    [
      'a bad protocol on its own property; the service is still judged',
      'ProtocolService',
      { target: onPrem, server: 'EX01', protocol: 'pop', service: { state: 'Run' } },
      [
        { property: 'protocol', reason: 'protocol: must be one of pop3, imap4, got "pop" (did you mean "pop3"?)' },
        { property: 'service.state', reason: 'service.state: must be one of Running, Stopped, got the string "Run" (did you mean "Running"?)' },
      ],
    ],
    [
      'a repeated identity names the first one by its input property, without a line (inputs have none)',
      'CasMailboxProtocol',
      { target: worldwide, casMailboxes: { default: {}, exceptions: [{ identities: ['a@contoso.com', 'a@contoso.com'], popEnabled: true }] } },
      [{ property: 'casMailboxes.exceptions[0].identities[1]', reason: 'casMailboxes.exceptions[0].identities[1]: duplicate mailbox identity "a@contoso.com" (already at casMailboxes.exceptions[0].identities[0])' }],
    ],
    ['an empty server name', 'ImapSettings', { target: onPrem, server: '', settings: {} }, [{ property: 'server', reason: 'server: must not be empty' }]],
    [
      'legacy TLS for a US government cloud: refused at check, before any Exchange call',
      'TransportConfig',
      { target: { ...worldwide, cloud: 'gccHigh' }, transportConfig: { allowLegacyTLSClients: true } },
      [
        {
          property: 'transportConfig.allowLegacyTLSClients',
          reason: 'transportConfig.allowLegacyTLSClients: must not be true for target.cloud gccHigh: the legacy TLS endpoints do not exist in GCC, GCC High or DoD and legacy TLS is always off there',
        },
      ],
    ],
    [
      'a policy name with a bidirectional control, or longer than Exchange allows',
      'AuthenticationPolicy',
      { target: worldwide, policy: { name: `Block${'\u202e'}${'x'.repeat(64)}` } },
      [
        { property: 'policy.name', reason: `policy.name: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "Block\\u202e${'x'.repeat(51)}..."` },
        { property: 'policy.name', reason: 'policy.name: must be at most 64 characters, got 70' },
      ],
    ],
    [
      'services declared Running and Disabled: refused at check, not half-way through an update',
      'ProtocolService',
      { target: onPrem, server: 'EX01', protocol: 'pop3', service: { startupType: 'Disabled', state: 'Running' } },
      [{ property: 'service.state', reason: 'service.state: Running is impossible with startupType Disabled: Windows does not start a disabled service; use startupType Automatic (or Manual) to run it, or state Stopped' }],
    ],
  ])('%s', async (_name, kind, news, expected) => {
    expect((await plugin.check(kind, {}, news)).failures).toEqual(expected);
  });

  it('does not judge inputs still unknown during preview', async () => {
    const woodgrove = await pluginFor(await organisation({ platform: 'exchangeServer', organization: onPrem.organization }));
    const result = await woodgrove.check('ProtocolService', {}, { target: onPrem, server: 'EX01', protocol: 'pop3', service: {}, settingsChangeId: UNKNOWN });
    expect(result.failures).toEqual([]);
  });

  const olds = { target: worldwide, transportConfig: { allowLegacyTLSClients: false } };
  it.each([
    ['same inputs: no change', olds, 'none'],
    ['a changed setting: an update', { ...olds, transportConfig: { allowLegacyTLSClients: true } }, 'some'],
    ['an unknown value during preview: an update', { ...olds, transportConfig: { allowLegacyTLSClients: '04da6b54-80e4-46f7-96ec-b56ff0331ba9' } }, 'some'],
    ['restoreDefaultsOnDelete turned on: an update (what delete will do changed)', { ...olds, restoreDefaultsOnDelete: true }, 'some'],
    ['another organisation: an update, still no replacement', { ...olds, target: { ...worldwide, organization: 'fabrikam.onmicrosoft.com' } }, 'some'],
  ])('%s', async (_name, news, changes) => {
    const d = await plugin.diff('TransportConfig', 'id', olds, news);
    expect(d).toEqual({ changes, replaces: [], deleteBeforeReplace: false });
  });
});

describe('TransportConfig lifecycle', () => {
  it('create adopts (applies only drift), read shows drift, update repairs with one parameter, delete leaves the org', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath);
    const inputs = { target: worldwide, transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true } };

    const created = await plugin.create('TransportConfig', inputs);
    expect(created.id).toBe('contoso.onmicrosoft.com/TransportConfig');
    expect(created.outputs).toMatchObject(inputs);
    expect(await writes(statePath)).toEqual({ 'Set-TransportConfig': 1 });
    expect((await readState(statePath)).transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true });

    // In sync: read reports the stored inputs unchanged.
    const clean = await plugin.read('TransportConfig', created.id, created.outputs);
    expect(clean.inputs).toMatchObject(inputs);

    // Someone turns SMTP AUTH back on behind Pulumi's back.
    const sim = openBackend({ kind: 'simulator', statePath });
    await sim.invoke(buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false }));
    const drifted = await plugin.read('TransportConfig', created.id, created.outputs);
    expect(drifted.inputs?.transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false });
    expect((await plugin.diff('TransportConfig', created.id, drifted.outputs, inputs)).changes).toBe('some');

    const before = await writes(statePath);
    const updated = await plugin.update('TransportConfig', created.id, drifted.outputs, inputs);
    expect(updated).toMatchObject({ ...inputs, changesApplied: 1 });
    const after = await writes(statePath);
    expect(after['Set-TransportConfig']).toBe((before['Set-TransportConfig'] ?? 0) + 1);
    expect((await readState(statePath)).transportConfig?.smtpClientAuthenticationDisabled).toBe(true);

    await plugin.delete('TransportConfig', created.id, updated);
    expect(await writes(statePath)).toEqual(after);
    expect(plugin.stderr()).toContain('the organisation is left as it is');
  });

  it('create on an organisation already in sync makes no write at all', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' }, forbidWrites);
    const plugin = await pluginFor(statePath);
    const created = await plugin.create('TransportConfig', { target: worldwide, transportConfig: { smtpClientAuthenticationDisabled: true, allowLegacyTLSClients: false } });
    expect(created.outputs.changesApplied).toBe(0);
  });

  it('refuses legacy TLS in GCC High', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'contoso.onmicrosoft.com' });
    const plugin = await pluginFor(statePath);
    await expect(plugin.create('TransportConfig', { target: { ...worldwide, cloud: 'gccHigh' }, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(/refusing to enable legacy TLS.*gccHigh/);
    expect(await writes(statePath)).toEqual({});
  });

  it('refuses create, read, update and delete when the connected organisation is in another cloud than the inputs claim (GCC High, or GCC: the simulator knows its cloud)', async () => {
    for (const cloud of ['gccHigh', 'gcc'] as const) {
      const statePath = await organisation({ platform: 'exchangeOnline', cloud, organization: 'contoso.onmicrosoft.com' });
      const plugin = await pluginFor(statePath);
      const props = { target: worldwide, transportConfig: { smtpClientAuthenticationDisabled: false }, restoreDefaultsOnDelete: true };
      const message = `wrong organisation: the document targets the worldwide cloud, but contoso.onmicrosoft.com is in the ${cloud} cloud`;
      await expect(plugin.create('TransportConfig', props)).rejects.toThrow(message);
      await expect(plugin.read('TransportConfig', 'contoso.onmicrosoft.com/TransportConfig', props)).rejects.toThrow(message);
      await expect(plugin.update('TransportConfig', 'contoso.onmicrosoft.com/TransportConfig', props, props)).rejects.toThrow(message);
      await expect(plugin.delete('TransportConfig', 'contoso.onmicrosoft.com/TransportConfig', props)).rejects.toThrow(message);
      expect(await writes(statePath)).toEqual({});
    }
  });

  it('refuses to touch an organisation other than the one the document names; any accepted domain names it', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline', organization: 'fabrikam.onmicrosoft.com' }, (s) => {
      s.organization.acceptedDomains = ['fabrikam.onmicrosoft.com', 'fabrikam.com'];
    });
    const plugin = await pluginFor(statePath);
    await expect(plugin.create('TransportConfig', { target: worldwide, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(
      'wrong organisation: the document targets contoso.onmicrosoft.com, which is not an accepted domain of the connected organisation (accepted domains: fabrikam.onmicrosoft.com, fabrikam.com)',
    );
    expect(await writes(statePath)).toEqual({});
    const created = await plugin.create('TransportConfig', { target: { ...worldwide, organization: 'Fabrikam.com' }, transportConfig: { smtpClientAuthenticationDisabled: false } });
    expect(created.outputs.changesApplied).toBe(1);
  });

  it('the restoreDefaultsOnDelete input, as the last `up` stored it, decides delete: true puts Exchange defaults back, whatever the stack config says now', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const created = await (await pluginFor(statePath)).create('TransportConfig', { target: worldwide, transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false }, restoreDefaultsOnDelete: true });
    expect(created.outputs).toMatchObject({ restoreDefaultsOnDelete: true });
    // The engine configures a delete with the config stored at the last up; the input is what counts.
    const deleting = await pluginFor(statePath);
    await deleting.delete('TransportConfig', created.id, created.outputs);
    // SmtpClientAuthenticationDisabled's default depends on the tenant's age (Set-TransportConfig
    // reference): it has no default to restore, so it stays as it was and the log says so.
    expect((await readState(statePath)).transportConfig).toEqual({ allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: false });
    expect(deleting.stderr()).toContain('no known Exchange default for smtpClientAuthenticationDisabled: left as they are');
  });

  it('false, or absent (state of older versions), leaves the organisation as it is, whatever the stack config says', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath, RESTORE);
    for (const onDelete of [{ restoreDefaultsOnDelete: false }, {}]) {
      const created = await plugin.create('TransportConfig', { target: worldwide, transportConfig: { allowLegacyTLSClients: true }, ...onDelete });
      await plugin.delete('TransportConfig', created.id, created.outputs);
      expect((await readState(statePath)).transportConfig?.allowLegacyTLSClients).toBe(true);
    }
    expect(plugin.stderr()).toContain('the organisation is left as it is');
  });

  it('a change of restoreDefaultsOnDelete is a change (shown in the preview); absent and false are the same; read keeps it', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath);
    const base = { target: worldwide, transportConfig: { allowLegacyTLSClients: true } };
    expect((await plugin.diff('TransportConfig', 'x', base, { ...base, restoreDefaultsOnDelete: false })).changes).toBe('none');
    expect((await plugin.diff('TransportConfig', 'x', { ...base, restoreDefaultsOnDelete: false }, { ...base, restoreDefaultsOnDelete: true })).changes).toBe('some');
    expect((await plugin.diff('TransportConfig', 'x', { ...base, restoreDefaultsOnDelete: true }, { ...base, restoreDefaultsOnDelete: false })).changes).toBe('some');
    const created = await plugin.create('TransportConfig', { ...base, restoreDefaultsOnDelete: true });
    expect((await plugin.read('TransportConfig', created.id, created.outputs)).inputs).toMatchObject({ restoreDefaultsOnDelete: true });
    expect((await plugin.check('TransportConfig', {}, { ...base, restoreDefaultsOnDelete: 'yes' })).failures).toEqual([{ property: 'restoreDefaultsOnDelete', reason: 'restoreDefaultsOnDelete: must be true or false, got "yes"' }]);
  });

  it('a stack config restoreDefaultsOnDelete that is not a boolean fails the first check, naming the key', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath, { 'mailpolicy:restoreDefaultsOnDelete': 'yes' });
    await expect(plugin.check('TransportConfig', {}, { target: worldwide, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(/mailpolicy:restoreDefaultsOnDelete must be true or false, not yes/);
  });

  it('a callTimeoutSeconds that is not a whole number of seconds from 1 to 86400 fails the first call that needs Exchange, naming the key, before anything is read', async () => {
    for (const bad of ['0', '-5', '1.5', 'soon', '86401']) {
      const statePath = await organisation({ platform: 'exchangeOnline' });
      const plugin = await pluginFor(statePath, { 'mailpolicy:callTimeoutSeconds': bad });
      await expect(plugin.create('TransportConfig', { target: worldwide, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(
        `mailpolicy:callTimeoutSeconds must be a whole number of seconds from 1 to 86400, not ${bad}`,
      );
      expect(await writes(statePath)).toEqual({});
    }
  });

  it('a maxConcurrency that is not a whole number from 1 to 64 fails the first call that needs Exchange, naming the key, before anything is written', async () => {
    for (const bad of ['0', '65', '2.5', 'many']) {
      const statePath = await organisation({ platform: 'exchangeOnline' });
      const plugin = await pluginFor(statePath, { 'mailpolicy:maxConcurrency': bad });
      await expect(plugin.create('TransportConfig', { target: worldwide, transportConfig: { allowLegacyTLSClients: true } })).rejects.toThrow(`mailpolicy:maxConcurrency must be a whole number from 1 to 64, not ${bad}`);
      expect(await writes(statePath)).toEqual({});
    }
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath, { 'mailpolicy:maxConcurrency': '4' });
    await plugin.create('TransportConfig', { target: worldwide, transportConfig: { allowLegacyTLSClients: true } });
    expect(await writes(statePath)).toEqual({ 'Set-TransportConfig': 1 });
  });
});

describe('AuthenticationPolicy', () => {
  it('creates the policy and makes it the default; a policy removed in Exchange reads as gone', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath);
    const inputs = { target: worldwide, policy: { name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true } };
    const created = await plugin.create('AuthenticationPolicy', inputs);
    expect(await writes(statePath)).toEqual({ 'New-AuthenticationPolicy': 1, 'Set-OrganizationConfig': 1 });
    const state = await readState(statePath);
    expect(state.organizationConfig?.defaultAuthenticationPolicy).toBe('Block Basic Auth');

    // Someone makes another policy the default, then deletes ours.
    const sim = openBackend({ kind: 'simulator', statePath });
    await sim.invoke(buildRequest('New-AuthenticationPolicy', { name: 'Other' }));
    await sim.invoke(buildRequest('Set-OrganizationConfig', { defaultAuthenticationPolicy: 'Other' }));
    const notDefault = await plugin.read('AuthenticationPolicy', created.id, created.outputs);
    expect(notDefault.inputs?.policy).toEqual({ ...inputs.policy, default: false });
    await sim.invoke(buildRequest('Remove-AuthenticationPolicy', { identity: 'Block Basic Auth', confirm: false }));
    const gone = await plugin.read('AuthenticationPolicy', created.id, created.outputs);
    expect(gone.id).toBe('');
  });

  it('default: false takes the policy off as organisation default (Set-OrganizationConfig $null); read shows it as drift', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' }, (s) => {
      s.authenticationPolicies = [{ name: 'Legacy Protocols', allowBasicAuthPop: true, allowBasicAuthImap: true, allowBasicAuthSmtp: true }];
      s.organizationConfig = { defaultAuthenticationPolicy: 'Legacy Protocols' };
    });
    const plugin = await pluginFor(statePath);
    const inputs = { target: worldwide, policy: { name: 'Legacy Protocols', default: false } };
    const drifted = await plugin.read('AuthenticationPolicy', `contoso.onmicrosoft.com/AuthenticationPolicy/Legacy Protocols`, inputs);
    expect(drifted.inputs?.policy).toEqual({ name: 'Legacy Protocols', default: true });
    const created = await plugin.create('AuthenticationPolicy', inputs);
    expect(created.outputs.changesApplied).toBe(1);
    expect(await writes(statePath)).toEqual({ 'Set-OrganizationConfig': 1 });
    expect((await readState(statePath)).organizationConfig?.defaultAuthenticationPolicy).toBeNull();
    expect((await plugin.read('AuthenticationPolicy', created.id, created.outputs)).inputs?.policy).toEqual(inputs.policy);
  });
});


describe('POP3 settings and services on Exchange Server: the restart rule through settingsChangeId', () => {
  it('settings before services; a settings change restarts running services once, and only then', async () => {
    const statePath = await organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'] });
    const plugin = await pluginFor(statePath);
    const pop3 = async () => (await readState(statePath)).servers?.[0]?.pop3;

    const settingsInputs = { target: onPrem, server: 'EX01', settings: { protocolLogEnabled: true } };
    const settings = await plugin.create('PopSettings', settingsInputs);
    const firstChange = settings.outputs.settingsChangeId as string;
    expect(firstChange).not.toBe('none');
    expect(await writes(statePath)).toEqual({ 'Set-PopSettings': 1 });

    // Enabling POP3: both services Automatic, then started: the start applies the settings, no restart.
    const serviceInputs = { target: onPrem, server: 'EX01', protocol: 'pop3', service: { startupType: 'Automatic', state: 'Running' }, settingsChangeId: firstChange };
    const service = await plugin.create('ProtocolService', serviceInputs);
    expect(await writes(statePath)).toEqual({ 'Set-PopSettings': 1, 'Set-Service': 2, 'Start-Service': 1 });
    expect(await pop3()).toMatchObject({ frontEnd: { startupType: 'Automatic', status: 'Running', pendingSettings: [] }, backEnd: { startupType: 'Automatic', status: 'Running', pendingSettings: [] } });

    // A settings change while running: new change id, the change pending until the restart.
    const changedInputs = { ...settingsInputs, settings: { protocolLogEnabled: true, loginType: 'PlainTextAuthentication' } };
    expect((await plugin.diff('PopSettings', settings.id, settings.outputs, changedInputs)).changes).toBe('some');
    const settings2 = await plugin.update('PopSettings', settings.id, settings.outputs, changedInputs);
    expect(settings2.settingsChangeId).not.toBe(firstChange);
    expect((await pop3())?.frontEnd.pendingSettings).toEqual(['LoginType']);

    const serviceNews = { ...serviceInputs, settingsChangeId: settings2.settingsChangeId };
    expect((await plugin.diff('ProtocolService', service.id, service.outputs, serviceNews)).changes).toBe('some');
    const service2 = await plugin.update('ProtocolService', service.id, service.outputs, serviceNews);
    expect((await writes(statePath))['Restart-Service']).toBe(1);
    expect((await pop3())?.frontEnd.pendingSettings).toEqual([]);

    // Settings updated without any drift (the same values): the change id stays, so no restart follows.
    const settings3 = await plugin.update('PopSettings', settings.id, settings2, changedInputs);
    expect(settings3.settingsChangeId).toBe(settings2.settingsChangeId);
    expect((await plugin.diff('ProtocolService', service.id, service2, { ...serviceInputs, settingsChangeId: settings3.settingsChangeId })).changes).toBe('none');

    // Refresh after someone stops the back end: drift in the service inputs.
    const sim = openBackend({ kind: 'simulator', statePath });
    await sim.invoke(buildRequest('Stop-Service', { name: ['MSExchangePOP3BE'] }, 'EX01'));
    const read = await plugin.read('ProtocolService', service.id, service2);
    expect(read.inputs?.service).toEqual({ startupType: 'Automatic', state: 'Stopped' });
  });
});

describe('restoring POP3/IMAP4 settings on delete', () => {
  const running = (s: SimulatorState): void => {
    for (const end of ['frontEnd', 'backEnd'] as const) Object.assign((s.servers?.[0] as NonNullable<SimulatorState['servers']>[number]).imap4[end], { startupType: 'Automatic', status: 'Running' });
  };

  it('restarts the running services, so the restored settings are in effect', async () => {
    const statePath = await organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'] }, running);
    const plugin = await pluginFor(statePath);
    const imap4 = async () => (await readState(statePath)).servers?.[0]?.imap4;
    const created = await plugin.create('ImapSettings', { target: onPrem, server: 'EX01', settings: { loginType: 'PlainTextAuthentication' }, restoreDefaultsOnDelete: true });
    const sim = openBackend({ kind: 'simulator', statePath });
    await sim.invoke(buildRequest('Restart-Service', { name: ['MSExchangeIMAP4', 'MSExchangeIMAP4BE'] }, 'EX01'));
    expect((await imap4())?.frontEnd.pendingSettings).toEqual([]);

    await plugin.delete('ImapSettings', created.id, created.outputs);
    const after = await imap4();
    expect(after?.settings.LoginType).toBe('SecureLogin');
    expect(after?.frontEnd).toEqual({ startupType: 'Automatic', status: 'Running', pendingSettings: [] });
    expect(after?.backEnd).toEqual({ startupType: 'Automatic', status: 'Running', pendingSettings: [] });
    expect(await writes(statePath)).toEqual({ 'Set-ImapSettings': 2, 'Restart-Service': 2 });
  });

  it('starts no stopped service and restarts nothing when nothing was restored', async () => {
    const statePath = await organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'] });
    const plugin = await pluginFor(statePath);
    const created = await plugin.create('PopSettings', { target: onPrem, server: 'EX01', settings: { loginType: 'PlainTextAuthentication' }, restoreDefaultsOnDelete: true });
    await plugin.delete('PopSettings', created.id, created.outputs);
    const pop3 = (await readState(statePath)).servers?.[0]?.pop3;
    expect(pop3?.settings.LoginType).toBe('SecureLogin');
    expect(pop3?.frontEnd).toMatchObject({ startupType: 'Manual', status: 'Stopped' });
    expect(await writes(statePath)).toEqual({ 'Set-PopSettings': 2 });

    const again = await plugin.create('PopSettings', { target: onPrem, server: 'EX01', settings: { loginType: 'SecureLogin' }, restoreDefaultsOnDelete: true });
    await plugin.delete('PopSettings', again.id, again.outputs);
    expect(await writes(statePath)).toEqual({ 'Set-PopSettings': 2 });
  });
});

describe('CasMailboxProtocol (bulk) and CasMailboxPlan', () => {
  it('changes only the deviating mailboxes, each with only its drifted parameters', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline', mailboxes: 250 }, (s) => {
      // 50 mailboxes already comply.
      for (const row of s.mailboxes.slice(0, 50)) {
        row[3] = false;
        row[4] = false;
      }
    });
    const plugin = await pluginFor(statePath);
    const inputs = { target: worldwide, casMailboxes: { default: { popEnabled: false, imapEnabled: false }, exceptions: [{ identities: ['user000250@contoso.com'], imapEnabled: true }] } };
    const created = await plugin.create('CasMailboxProtocol', inputs);
    expect(created.outputs).toMatchObject({ mailboxCount: 250, changesApplied: 200 });
    expect(await writes(statePath)).toEqual({ 'Set-CASMailbox': 200 });
    const state = await readState(statePath);
    expect(state.mailboxes.filter((r) => r[3] || r[4]).map((r) => [r[1], r[3], r[4]])).toEqual([['user000250@contoso.com', false, true]]);

    const read = await plugin.read('CasMailboxProtocol', created.id, created.outputs);
    expect(read.inputs).toMatchObject(inputs);
  });

  describe('exceptions name mailboxes as Exchange -Identity does; pulumi up refuses an exception that names none', () => {
    const exceptions = (identity: string) => ({ target: worldwide, casMailboxes: { default: { smtpClientAuthenticationDisabled: true }, exceptions: [{ identities: [identity], smtpClientAuthenticationDisabled: false }] } });
    const smtpAuthDisabled = async (statePath: string) => (await readState(statePath)).mailboxes.map((r) => r[5]);

    it('a user principal name names the mailbox: it keeps SMTP AUTH', async () => {
      const statePath = await organisation({ platform: 'exchangeOnline', mailboxes: 3 });
      const plugin = await pluginFor(statePath);
      await plugin.create('CasMailboxProtocol', exceptions('USER000002@contoso.onmicrosoft.com'));
      expect(await smtpAuthDisabled(statePath)).toEqual([true, false, true]);
    });

    it('an identity that names no mailbox fails create and update before any write; mailpolicy:allowUnmatchedExceptions lets it through', async () => {
      const statePath = await organisation({ platform: 'exchangeOnline', mailboxes: 3 });
      const plugin = await pluginFor(statePath);
      const inputs = exceptions('ghost@contoso.com');
      const refusal = /casMailboxes\.exceptions\[0\]\.identities\[0\] "ghost@contoso\.com": no mailbox has this name, alias, email address, user principal name, GUID or distinguished name; nothing was changed \(set mailpolicy:allowUnmatchedExceptions to true to apply anyway\)/;
      await expect(plugin.create('CasMailboxProtocol', inputs)).rejects.toThrow(refusal);
      await expect(plugin.update('CasMailboxProtocol', 'contoso.onmicrosoft.com/CasMailboxProtocol', exceptions('user000001@contoso.com'), inputs)).rejects.toThrow(refusal);
      expect(await writes(statePath)).toEqual({});
      const allowing = await pluginFor(statePath, { 'mailpolicy:allowUnmatchedExceptions': 'true' });
      await allowing.create('CasMailboxProtocol', inputs);
      expect(await smtpAuthDisabled(statePath)).toEqual([true, true, true]);
      expect(allowing.stderr()).toContain('ghost@contoso.com');
    });

    it('two exceptions that name one mailbox with different values: an error naming both, nothing written', async () => {
      const statePath = await organisation({ platform: 'exchangeOnline', mailboxes: 3 });
      const plugin = await pluginFor(statePath);
      const inputs = { target: worldwide, casMailboxes: { exceptions: [{ identities: ['user000001'], popEnabled: true }, { identities: ['user000001@contoso.onmicrosoft.com'], popEnabled: false }] } };
      await expect(plugin.create('CasMailboxProtocol', inputs)).rejects.toThrow(
        'casMailboxes.exceptions[1].identities[0] "user000001@contoso.onmicrosoft.com" and casMailboxes.exceptions[0].identities[0] "user000001" name the same mailbox user000001@contoso.com with different popEnabled (false here, true there)',
      );
      expect(await writes(statePath)).toEqual({});
    });
  });

  it('matches a plan by name without its GUID suffix and reports the full identities', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plugin = await pluginFor(statePath);
    const created = await plugin.create('CasMailboxPlan', { target: worldwide, plan: { identity: 'ExchangeOnlineEnterprise', popEnabled: false } });
    expect(created.outputs.planIdentities).toEqual([expect.stringMatching(/^ExchangeOnlineEnterprise-[0-9a-f-]{36}$/)]);
    expect(await writes(statePath)).toEqual({ 'Set-CASMailboxPlan': 1 });
    await expect(plugin.create('CasMailboxPlan', { target: worldwide, plan: { identity: 'ExchangeOnlineKiosk', popEnabled: false } })).rejects.toThrow(/ExchangeOnlineKiosk does not exist/);
  });

  it('restores each plan to its own default on delete: IMAP stays off for ExchangeOnlineDeskless, comes back on for the others', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline' });
    const plan = async (name: string) => (await readState(statePath)).casMailboxPlans?.find((p) => p.identity.startsWith(`${name}-`));
    // A new tenant, as Set-CASMailboxPlan's reference states: ImapEnabled is $false only for ExchangeOnlineDeskless.
    expect(await plan('ExchangeOnlineDeskless')).toMatchObject({ popEnabled: true, imapEnabled: false });
    expect(await plan('ExchangeOnlineEnterprise')).toMatchObject({ popEnabled: true, imapEnabled: true });
    const plugin = await pluginFor(statePath);
    for (const identity of ['ExchangeOnlineDeskless', 'ExchangeOnlineEnterprise']) {
      const inputs = { target: worldwide, plan: { identity, popEnabled: false, imapEnabled: identity === 'ExchangeOnlineDeskless' }, restoreDefaultsOnDelete: true };
      const created = await plugin.create('CasMailboxPlan', inputs);
      await plugin.delete('CasMailboxPlan', created.id, created.outputs);
    }
    expect(await plan('ExchangeOnlineDeskless')).toMatchObject({ popEnabled: true, imapEnabled: false });
    expect(await plan('ExchangeOnlineEnterprise')).toMatchObject({ popEnabled: true, imapEnabled: true });
  });
});

describe('AuthenticationPolicy with assignedTo (issue 14): on premises, over gRPC', () => {
  const inputs = (assignedTo: string[]) => ({ target: onPrem, policy: { name: 'Block legacy POP and IMAP', blockLegacyAuthPop: true, blockLegacyAuthImap: true, assignedTo } });
  const assigned = async (statePath: string) => (await readState(statePath)).userAuthenticationPolicies ?? {};

  it('create makes the policy and assigns it; read shows a user losing it as an input change; delete with restore clears the listed users first', async () => {
    const statePath = await organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', mailboxes: 2 });
    const plugin = await pluginFor(statePath, RESTORE);
    const { id, outputs } = await plugin.create('AuthenticationPolicy', inputs(['user000001@woodgrove.com', 'USER000002']));
    expect(id).toBe('woodgrove.com/AuthenticationPolicy/Block legacy POP and IMAP');
    expect(outputs.changesApplied).toBe(3);
    expect(await assigned(statePath)).toEqual({ user000001: 'Block legacy POP and IMAP', user000002: 'Block legacy POP and IMAP' });
    expect((await plugin.read('AuthenticationPolicy', id, outputs)).inputs).toMatchObject(inputs(['user000001@woodgrove.com', 'USER000002']));

    // Behind Pulumi's back: one listed user loses the policy; refresh shows it gone from assignedTo.
    const sim = openBackend({ kind: 'simulator', statePath });
    await sim.invoke(buildRequest('Set-User', { identity: 'user000002', authenticationPolicy: null }));
    await sim.close();
    expect(((await plugin.read('AuthenticationPolicy', id, outputs)).inputs?.policy as { assignedTo: string[] }).assignedTo).toEqual(['user000001@woodgrove.com']);

    // Update repairs it; delete (restoreDefaultsOnDelete) clears the listed users, then removes the policy.
    await plugin.update('AuthenticationPolicy', id, outputs, { ...inputs(['user000001@woodgrove.com', 'USER000002']), restoreDefaultsOnDelete: true });
    expect(Object.keys(await assigned(statePath))).toEqual(['user000001', 'user000002']);
    await plugin.delete('AuthenticationPolicy', id, { ...outputs, restoreDefaultsOnDelete: true });
    expect(await assigned(statePath)).toEqual({});
    expect((await readState(statePath)).authenticationPolicies).toEqual([]);
  });

  it('an identity that names no user fails create before any write; check refuses an Exchange Online switch', async () => {
    const statePath = await organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', mailboxes: 1 });
    const plugin = await pluginFor(statePath);
    await expect(plugin.create('AuthenticationPolicy', inputs(['ghost@woodgrove.com']))).rejects.toThrow(/policy\.assignedTo\[0\] "ghost@woodgrove\.com".*nothing was changed/);
    expect(await writes(statePath)).toEqual({});
    const checked = await plugin.check('AuthenticationPolicy', {}, { target: onPrem, policy: { name: 'P', allowBasicAuthPop: false } });
    expect(checked.failures).toEqual([expect.objectContaining({ property: 'policy.allowBasicAuthPop' })]);
  });
});
