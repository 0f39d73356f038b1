/**
 * The runner against the real host under real PowerShell (issue 19): powershell/mailpolicy-host.ps1
 * runs in pwsh, the stand-in ExchangeOnlineManagement module (parameters generated from
 * Microsoft's reference) binds what it sends and forwards each call to the simulator. Hosts are
 * shared where a test does not end its process.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openBackend } from '../../src/backends/open-backend';
import { buildRequest } from '../../src/exchange/request';
import { readCasMailboxes } from '../../src/exchange/reader';
import { readCertificates } from '../../src/reconcile/kinds/exchange-certificate-read';
import { readProtocolService } from '../../src/reconcile/kinds/protocol-service-read';
import { readProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { readReceiveConnector } from '../../src/reconcile/kinds/receive-connector-read';
import type { PowerShellBackend } from '../../src/exchange/powershell-backend';
import { RUNNER_ERROR } from '../../src/exchange/runner';
import type { CmdletRequest } from '../../src/exchange/types';
import type { Cloud } from '../../src/model/types';
import type { SimulatorState } from '../../src/simulator/state';
import { rejection, tempDir, writeOrg } from '../simulator/helpers';
import { closeAfterEach } from '../support/close-after-each';
import { createHash } from 'node:crypto';
import { openStandIn } from '../exchange/stand-in';
import { bridgeLog, CERTIFICATE_PASSWORD, openReal, REMOTING_PASSWORD, REMOTING_SEAM, remotingLog, TOKEN } from './harness';

const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

const track = closeAfterEach();

/** The organisation as the simulator holds it now. */
async function simState(state: string): Promise<SimulatorState> {
  const sim = openBackend({ kind: 'simulator', statePath: state });
  try {
    return await (sim as unknown as { state(): Promise<SimulatorState> }).state();
  } finally {
    await sim.close();
  }
}

describe('connecting under real PowerShell', () => {
  // Transcribed from Connect-ExchangeOnline's reference, not read from the clouds table: a new cloud is a type error here.
  const environments = {
    worldwide: 'O365Default',
    gcc: 'O365Default',
    gccHigh: 'O365USGovGCCHigh',
    dod: 'O365USGovDoD',
    china21Vianet: 'O365China',
  } satisfies Record<Cloud, string>;
  const clouds = Object.entries(environments) as [Cloud, string][];

  it.each(clouds)('%s: Connect-ExchangeOnline -ExchangeEnvironmentName %s binds and the cloud reads back', async (cloud, environment) => {
    const state = writeOrg({ platform: 'exchangeOnline', cloud, mailboxes: 1 });
    const log = join(tempDir(), 'bridge.log');
    const b = track(openReal({ state, connection: { cloud }, switches: { BRIDGE_LOG: log } }));
    expect(await b.connection()).toEqual({ platform: 'exchangeOnline', cloud, organization: 'contoso.onmicrosoft.com' });
    const connect = bridgeLog(log).find((r) => r.cmdlet === 'Connect-ExchangeOnline');
    expect(connect?.parameters).toMatchObject({ Organization: 'contoso.onmicrosoft.com', ExchangeEnvironmentName: environment, ShowBanner: false, SkipLoadingFormatData: true });
    expect(Object.keys(connect?.parameters ?? {}).sort()).toEqual(['CommandName', 'ExchangeEnvironmentName', 'Organization', 'ShowBanner', 'SkipLoadingFormatData']);
    expect(connect?.parameters.CommandName).toEqual(expect.arrayContaining(['Get-TransportConfig', 'Set-CASMailbox', 'Get-AcceptedDomain']));
  });

  it('signs in with a certificate: the password reaches Connect-ExchangeOnline as a SecureString and nowhere else', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const log = join(tempDir(), 'bridge.log');
    const lines: string[] = [];
    const b = track(
      openReal({
        state,
        switches: { BRIDGE_LOG: log },
        connection: { appId: '36ee4c6c-0812-40a2-b820-b22ebd02bce3', certificateFilePath: '/secrets/app.pfx', certificatePassword: CERTIFICATE_PASSWORD },
        log: (line) => lines.push(line),
      }),
    );
    expect(await b.invoke(buildRequest('Get-TransportConfig'))).toMatchObject({ SmtpClientAuthenticationDisabled: true });
    // [securestring] on the generated -CertificatePassword: a plain string would not have bound.
    const connect = bridgeLog(log).find((r) => r.cmdlet === 'Connect-ExchangeOnline');
    expect(connect?.parameters).toMatchObject({ AppId: '36ee4c6c-0812-40a2-b820-b22ebd02bce3', CertificateFilePath: '/secrets/app.pfx' });
    expect(readFileSync(log, 'utf8')).not.toContain('p@ss');
    expect(lines.join('\n')).not.toContain('p@ss');
  });

  it('signs in with a managed identity (a switch)', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const log = join(tempDir(), 'bridge.log');
    const b = track(openReal({ state, switches: { BRIDGE_LOG: log }, connection: { managedIdentity: true } }));
    expect(await b.connection()).toMatchObject({ platform: 'exchangeOnline', cloud: 'worldwide' });
    expect(bridgeLog(log).find((r) => r.cmdlet === 'Connect-ExchangeOnline')?.parameters).toMatchObject({ ManagedIdentity: true });
  });

  it('signs in with an access token that appears in no argv, environment or log', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const dir = tempDir();
    const lines: string[] = [];
    const b = track(openReal({ state, switches: { BRIDGE_LOG: join(dir, 'bridge.log'), BRIDGE_ENV: join(dir, 'bridge.env') }, log: (line) => lines.push(line) }));
    await b.invoke(buildRequest('Get-TransportConfig'));
    const pid = b.processId();
    expect(pid).toBeTypeOf('number');
    for (const file of ['cmdline', 'environ']) expect(readFileSync(`/proc/${String(pid)}/${file}`, 'latin1'), file).not.toContain('S3cr3t');
    // The bridge's environment is the one pwsh passed on; its log, every request it received.
    expect(readFileSync(join(dir, 'bridge.env'), 'utf8')).not.toContain('S3cr3t');
    expect(readFileSync(join(dir, 'bridge.log'), 'utf8')).not.toContain('S3cr3t');
    expect(lines.join('\n')).not.toContain('S3cr3t');
    expect(TOKEN).toContain('S3cr3t');
  });

  it('a tenant of another organisation fails to connect with Exchange\'s sign-in error', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const b = track(openReal({ state, connection: { organization: 'fabrikam.onmicrosoft.com' } }));
    const e = await rejection(b.invoke(buildRequest('Get-TransportConfig')));
    expect(e.message).toContain("AADSTS90002: Tenant 'fabrikam.onmicrosoft.com' not found");
    expect(b.stats().connects).toBe(0);
  });

  it('without the ExchangeOnlineManagement module, says how to install it', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const b = track(openReal({ state, modules: null }));
    const e = await rejection(b.invoke(buildRequest('Get-TransportConfig')));
    expect(e.info.type).toBe(RUNNER_ERROR.moduleNotFound);
    expect(e.message).toContain('Install-Module ExchangeOnlineManagement');
    // The host reports its $PSVersionTable.PSVersion, so the hint names a module version it can load.
    expect(e.message).toMatch(/\(PowerShell 7\.\d+\.\d+[^)]*\): (run .*\((3\.10 or later|3\.5 to 3\.9\.x)|this PowerShell cannot load)/);
  });
});

describe('one host, many calls (10,500 mailboxes)', () => {
  const MAILBOXES = 10_500;
  let state: string;
  let b: PowerShellBackend;
  const marker = join(tempDir(), 'ran');

  beforeAll(() => {
    state = writeOrg({ platform: 'exchangeOnline', mailboxes: MAILBOXES });
    b = openReal({ state, retry: FAST_RETRY });
  });
  afterAll(async () => {
    await b.close();
  });

  it('reads every mailbox in one call', async () => {
    const started = Date.now();
    const mailboxes = await readCasMailboxes(b);
    expect(mailboxes).toHaveLength(MAILBOXES);
    expect(mailboxes[0]).toMatchObject({ identity: 'user000001', popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: null });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('writes a batch of 500, each item announced and run on its own', async () => {
    const requests = Array.from({ length: 500 }, (_, i) => buildRequest('Set-CASMailbox', { identity: `user${String(i + 1).padStart(6, '0')}`, popEnabled: false }));
    const results = await b.invokeBatch(requests);
    expect(results.filter((r) => r.ok)).toHaveLength(500);
    const s = await simState(state);
    expect(s.mailboxes.slice(0, 500).every((row) => row[3] === false)).toBe(true);
    expect(s.mailboxes[500]?.[3]).toBe(true);
  });

  it('keeps Exchange\'s warnings ("no settings modified")', async () => {
    const [result] = await b.invokeBatch([buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false })]);
    expect(result?.warnings).toEqual(["The command completed successfully but no settings of 'user000001' have been modified."]);
  });

  it('sends $null where Microsoft documents it: Set-CASMailbox -SmtpClientAuthenticationDisabled $null', async () => {
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000002', smtpClientAuthenticationDisabled: false }));
    expect((await simState(state)).mailboxes[1]?.[5]).toBe(false);
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000002', smtpClientAuthenticationDisabled: null }));
    expect((await simState(state)).mailboxes[1]?.[5]).toBeNull();
  });

  it('binds the authentication-policy switches by splatting ($false included)', async () => {
    await b.invoke(buildRequest('New-AuthenticationPolicy', { name: 'Switches', allowBasicAuthPop: true, allowBasicAuthImap: false, allowBasicAuthSmtp: true }));
    await b.invoke(buildRequest('Set-AuthenticationPolicy', { identity: 'Switches', allowBasicAuthPop: false }));
    // The switches as bound; the read also returns the identity forms (DistinguishedName, Guid) the catalog reads.
    expect(await b.invoke(buildRequest('Get-AuthenticationPolicy', { identity: 'Switches' }))).toMatchObject({ Name: 'Switches', AllowBasicAuthPop: false, AllowBasicAuthImap: false, AllowBasicAuthSmtp: true });
  });

  it('hostile strings arrive verbatim and run nothing', async () => {
    const hostile = [
      `quotes ' " \u2018 \u2019 \u201a \u201b \u201c \u201d \u201e and dashes \u2013 \u2014 \u2015`,
      `$(New-Item -ItemType File -Path '${marker}') \`$(whoami) ; Remove-Item -Recurse / ; & calc | Out-Null`,
      '@{a=1}; $env:PATH; ${function:Get-Item}; `n`r`0',
      'line one\nline two\r\nline three\ttab\u0000nul',
      `ten kilobytes ${'x'.repeat(10_240)}`,
    ];
    for (const name of hostile) {
      await b.invoke(buildRequest('New-AuthenticationPolicy', { name, allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false }));
      expect(await b.invoke(buildRequest('Get-AuthenticationPolicy', { identity: name })), name.slice(0, 40)).toMatchObject({ Name: name });
    }
    expect((await simState(state)).authenticationPolicies?.map((p) => p.name)).toEqual(expect.arrayContaining(hostile));
    expect(() => readFileSync(marker)).toThrow();
  });

  it('a value Exchange\'s parameter type refuses fails in PowerShell\'s binder, not in Exchange', async () => {
    const bad: CmdletRequest = { cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000003', PopEnabled: 'no' } };
    const e = await rejection(b.invoke(bad));
    expect(e.info.type).toBe('System.Management.Automation.ParameterBindingArgumentTransformationException');
    expect(e.message).toContain('Boolean parameters accept only Boolean values and numbers');
    const enumValue: CmdletRequest = { cmdlet: 'Get-EXOCasMailbox', parameters: { PropertySets: ['Minimum', 'Everything'] } };
    const e2 = await rejection(b.invoke(enumValue));
    expect(e2.info.type).toBe('System.Management.Automation.ParameterBindingValidationException');
    expect(e2.message).toContain('Everything');
  });

  // Raised through Write-ErrorMessage as `<code>|<type>|<text>` in a WriteErrorException (the
  // stand-in module does as the real one: timmcmic/DLConversionV2 #129/#130); the host passes the
  // embedded type and the bare text, so the runner classifies by the type, not by the text.
  it.each([
    ['nobody@contoso.com'],
    ['timed out (429) server busy@contoso.com'],
  ])('a not-found error fails once, with Exchange Online\'s own type and text: %s', async (identity) => {
    const before = b.stats().roundTrips;
    const e = await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity, popEnabled: false })));
    expect(b.stats().roundTrips - before).toBe(1);
    expect(e.info.transient).toBe(false);
    expect(e.info.type).toBe('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
    expect(e.info.message).toMatch(new RegExp(`^The operation couldn't be performed because object '${identity.replace(/[()]/g, '\\$&')}' couldn't be found`));
    expect(e.info.fullyQualifiedErrorId).toMatch(/^\[Server=[^,]+,RequestId=[0-9a-f-]{36},TimeStamp=.+ GMT\],Write-ErrorMessage$/);
  });

  it('served every call from one process and one connect', () => {
    expect(b.stats()).toMatchObject({ processSpawns: 1, connects: 1 });
  });
});

describe('faults under real PowerShell', () => {
  it('"Micro delay applied" (Exchange Online throttling by design) is kept as a warning, the write done: real host and Node stand-in alike', async () => {
    const faults = JSON.stringify([{ kind: 'microDelay', cmdlet: 'Set-CASMailbox', call: 2 }]);
    const outcomes = [];
    for (const open of [(state: string) => openReal({ state, switches: { FAULTS: faults } }), (state: string) => openStandIn({ state, switches: { FAULTS: faults } })]) {
      const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 3 });
      const b = track(open(state));
      const results = await b.invokeBatch(['user000001', 'user000002', 'user000003'].map((identity) => buildRequest('Set-CASMailbox', { identity, popEnabled: false })));
      expect((await simState(state)).mailboxes.map((row) => row[3])).toEqual([false, false, false]);
      // A warning is not an error: nothing is retried.
      expect(b.stats().roundTrips).toBe(1);
      outcomes.push(results);
    }
    const [real, node] = outcomes;
    // The text Microsoft shows (support.microsoft.com/kb/2881759) up to "Enforced"; the rest is unverified.
    expect(real?.map((r) => r.warnings)).toEqual([[], [expect.stringMatching(/^Micro delay applied\. Actual delayed: \d+ msecs, Enforced/)], []]);
    expect(node).toEqual(real);
  });

  it('throttling is retried, an expired token reconnects, a permanent fault fails once: one process', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    const faults = [
      { kind: 'throttle', cmdlet: 'Get-TransportConfig', times: 2 },
      { kind: 'transient', cmdlet: 'Set-CASMailbox', call: 2, times: 1 },
      { kind: 'tokenExpired', cmdlet: 'Get-OrganizationConfig', times: 1 },
      { kind: 'permanent', cmdlet: 'Get-CASMailboxPlan', times: 1, message: 'The operation failed (injected fault).' },
    ];
    const b = track(openReal({ state, retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    expect(await b.invoke(buildRequest('Get-TransportConfig'))).toMatchObject({ SmtpClientAuthenticationDisabled: true });
    expect(b.stats().calls['Get-TransportConfig']).toBe(1);
    expect(b.stats().roundTrips).toBe(3);
    // In a batch only the item that failed transiently goes again.
    const batch = await b.invokeBatch(['user000001', 'user000002', 'user000003'].map((identity) => buildRequest('Set-CASMailbox', { identity, imapEnabled: false })));
    expect(batch.every((r) => r.ok)).toBe(true);
    expect(b.stats().roundTrips).toBe(5);
    expect(await b.invoke(buildRequest('Get-OrganizationConfig'))).toEqual({ DefaultAuthenticationPolicy: null });
    expect(b.stats()).toMatchObject({ processSpawns: 1, connects: 2 });
    const before = b.stats().roundTrips;
    const e = await rejection(b.invoke(buildRequest('Get-CASMailboxPlan')));
    expect(e.message).toBe('Get-CASMailboxPlan: The operation failed (injected fault).');
    expect(e.info.type).toBe('Microsoft.Exchange.Configuration.Tasks.TaskException');
    expect(b.stats().roundTrips - before).toBe(1);
  });

  it('an HTTP 429 through the real host is waited out for its Retry-After, then retried and counted as throttled', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const message = 'The remote server returned an error: (429) Too Many Requests. Retry-After: 2';
    const faults = [{ kind: 'throttle', cmdlet: 'Get-TransportConfig', times: 1, message }];
    const b = track(openReal({ state, retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    await b.connection();
    const started = Date.now();
    expect(await b.invoke(buildRequest('Get-TransportConfig'))).toMatchObject({ SmtpClientAuthenticationDisabled: true });
    // FAST_RETRY backs off in milliseconds: the wait is the header's 2 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(b.stats()).toMatchObject({ throttled: 1, processSpawns: 1 });
  });

  it('a cmdlet that never answers: the host is killed at the call timeout, naming it; the next call starts a new host', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    const b = track(openReal({ state, callTimeoutMs: 4000, switches: { HANG: 'Set-CASMailbox', ONCE: tempDir() } }));
    await b.connection();
    const started = Date.now();
    const [item0, item1] = await Promise.allSettled([
      b.invokeBatch([buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false }), buildRequest('Set-CASMailbox', { identity: 'user000002', popEnabled: false })]),
      b.invoke(buildRequest('Get-TransportConfig')),
    ]);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(item0.status).toBe('rejected');
    const reason = (item0 as PromiseRejectedResult).reason as Error & { info: { type: string } };
    expect(reason.info.type).toBe(RUNNER_ERROR.timeout);
    expect(reason.message).toContain('Set-CASMailbox: no answer within 4 s');
    expect(reason.message).toContain('item 1 of 2 of a batch');
    expect(item1.status).toBe('fulfilled');
    expect(b.stats().processSpawns).toBe(2);
  });

  it('a crash mid-batch of writes fails without a blind retry; a crashed read is retried on a new host', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    const once = tempDir();
    const b = track(openReal({ state, switches: { CRASH: 'Set-CASMailbox', ONCE: once } }));
    const e = await rejection(b.invokeBatch([buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false }), buildRequest('Set-CASMailbox', { identity: 'user000002', popEnabled: false })]));
    expect(e.info.type).toBe(RUNNER_ERROR.exited);
    expect(e.message).toContain('Set-CASMailbox');
    expect(b.stats().calls['Set-CASMailbox']).toBe(2);
    const read = track(openReal({ state, switches: { CRASH: 'Get-EXOCasMailbox', ONCE: tempDir() } }));
    expect(await readCasMailboxes(read)).toHaveLength(5);
    expect(read.stats().processSpawns).toBe(2);
  });
});

describe('a host that behaves like a real module', () => {
  it('console noise from the module (Write-Host, [Console]::WriteLine, pipeline output of Connect) never reaches the protocol', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 30 });
    const lines: string[] = [];
    const b = track(openReal({ state, switches: { NOISE: '1' }, log: (line) => lines.push(line) }));
    expect(await readCasMailboxes(b)).toHaveLength(30);
    const results = await b.invokeBatch(['user000001', 'user000002'].map((identity) => buildRequest('Set-CASMailbox', { identity, popEnabled: false })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(lines.join('\n')).not.toContain('not part of the protocol');
  });

  it('a cmdlet that prompts fails fast under -NonInteractive instead of hanging; ConfirmImpact High does not ask', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 }, (s) => {
      s.authenticationPolicies = [
        { name: 'Old', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false },
        { name: 'Older', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false },
      ];
    });
    const b = track(openReal({ state, callTimeoutMs: 60_000, switches: { PROMPT: 'Set-CASMailbox' } }));
    await b.connection();
    let started = Date.now();
    const e = await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false })));
    expect(e.info.message).toBe('PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.');
    expect(Date.now() - started).toBeLessThan(10_000);
    // Remove-AuthenticationPolicy is ConfirmImpact High (the stand-in calls ShouldProcess): the
    // host's $ConfirmPreference = 'None' means it neither asks nor waits, -Confirm:$false or not.
    started = Date.now();
    await b.invoke({ cmdlet: 'Remove-AuthenticationPolicy', parameters: { Identity: 'Old' } });
    await b.invoke(buildRequest('Remove-AuthenticationPolicy', { identity: 'Older', confirm: false }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await simState(state)).authenticationPolicies).toEqual([]);
    expect(b.stats().processSpawns).toBe(1);
  });

  it('runs under the PowerShell the tier found', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const lines: string[] = [];
    const b = track(openReal({ state, log: (line) => lines.push(line) }));
    await b.connection();
    expect(lines.join('\n')).toContain(`started ${inject('pwsh')} -NoLogo -NoProfile -NonInteractive -File`);
  });
});

describe('Exchange Server (on-premises) under real PowerShell, through the host\'s remoting seam', () => {
  it('on-premises: connects through New-PSSession and Import-PSSession, reads servers, POP/IMAP settings and services (Invoke-Command) as the simulator holds them', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'], mailboxes: 4 });
    const b = track(openReal({ state, connection: { platform: 'exchangeServer' }, env: REMOTING_SEAM }));
    const sim = track(openBackend({ kind: 'simulator', statePath: state }));
    expect(await b.connection()).toEqual({ platform: 'exchangeServer', organization: 'Contoso' });
    expect(await b.invoke(buildRequest('Get-ExchangeServer'))).toEqual([
      // With each server's build, ToString()ed by the host (issue 12, item 7).
      { Name: 'EX01', ServerRole: 'Mailbox', AdminDisplayVersion: 'Version 15.2 (Build 2562.17)' },
      { Name: 'EX02', ServerRole: 'Mailbox', AdminDisplayVersion: 'Version 15.2 (Build 2562.17)' },
    ]);
    expect(await readProtocolSettings(b, 'EX02', 'imap4')).toEqual(await readProtocolSettings(sim, 'EX02', 'imap4'));
    expect(await readProtocolService(b, 'EX01', 'pop3')).toEqual(await readProtocolService(sim, 'EX01', 'pop3'));
    expect(await readCasMailboxes(b)).toEqual(await readCasMailboxes(sim));
    expect(b.stats()).toMatchObject({ processSpawns: 1, connects: 1 });
  });

  it('on-premises: changes settings and starts services on the named server; errors arrive as RemoteException with the type in Reason', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'], mailboxes: 2 });
    const b = track(openReal({ state, connection: { platform: 'exchangeServer' }, env: REMOTING_SEAM }));
    await b.invoke(buildRequest('Set-PopSettings', { server: 'EX02', loginType: 'PlainTextAuthentication', authenticatedConnectionTimeout: '00:20:00' }));
    await b.invoke(buildRequest('Start-Service', { name: ['MSExchangePOP3', 'MSExchangePOP3BE'] }, 'EX02'));
    // Set-Service -Name takes one string (Set-Service.md): one call per service.
    await b.invoke(buildRequest('Set-Service', { name: 'MSExchangePOP3', startupType: 'Automatic' }, 'EX02'));
    const s = await simState(state);
    const ex02 = s.servers?.find((server) => server.name === 'EX02');
    expect([ex02?.pop3.settings.LoginType, ex02?.pop3.settings.AuthenticatedConnectionTimeout]).toEqual(['PlainTextAuthentication', '00:20:00']);
    expect([ex02?.pop3.frontEnd.status, ex02?.pop3.backEnd.status]).toEqual(['Running', 'Running']);
    expect([ex02?.pop3.frontEnd.startupType, ex02?.pop3.backEnd.startupType]).toEqual(['Automatic', 'Manual']);
    expect(s.servers?.find((server) => server.name === 'EX01')?.pop3.frontEnd.status).toBe('Stopped');
    const e = await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: 'nobody', popEnabled: false })));
    expect(e.info.type).toBe('ManagementObjectNotFoundException');
    expect(e.info.message).toBe("The operation couldn't be performed because object 'nobody' couldn't be found on 'DC01.contoso.com'.");
    const service = await rejection(b.invoke(buildRequest('Get-Service', { name: ['MSExchangeNope'] }, 'EX01')));
    expect(service.info.type).toBe('ServiceCommandException');
    expect(service.info.message).toBe("Cannot find any service with service name 'MSExchangeNope'.");
  });

  it('on-premises certificates: Get-ExchangeCertificate reads back as the simulator holds it; Enable-ExchangeCertificate binds -Services (a [Flags] list) and -Force, and SMTP without -Force is refused', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01'], mailboxes: 1 }, (s) => {
      s.servers?.[0]?.certificates?.push({ thumbprint: 'C'.repeat(40), subject: 'CN=mail.contoso.com', issuer: 'CN=Contoso CA', certificateDomains: ['mail.contoso.com'], notAfter: '2027-06-01T00:00:00.000Z', services: [] });
    });
    const b = track(openReal({ state, connection: { platform: 'exchangeServer' }, env: REMOTING_SEAM }));
    const sim = track(openBackend({ kind: 'simulator', statePath: state }));
    expect(await readCertificates(b, 'EX01')).toEqual(await readCertificates(sim, 'EX01'));
    const smtp = await rejection(b.invoke(buildRequest('Enable-ExchangeCertificate', { thumbprint: 'C'.repeat(40), services: ['POP', 'SMTP'], server: 'EX01' })));
    expect(smtp.info.type).toBe('HostException');
    await b.invoke(buildRequest('Enable-ExchangeCertificate', { thumbprint: 'C'.repeat(40), services: ['POP', 'SMTP'], server: 'EX01', force: true }));
    expect((await simState(state)).servers?.[0]?.certificates?.[1]?.services).toEqual(['POP', 'SMTP']);
    expect((await readCertificates(b, 'EX01')).certificates[1]).toEqual({ thumbprint: 'C'.repeat(40), services: ['POP', 'SMTP'], subject: 'CN=mail.contoso.com', issuer: 'CN=Contoso CA', certificateDomains: ['mail.contoso.com'], notAfter: '2027-06-01T00:00:00.000Z' });
  });

  it('on-premises: Set-ReceiveConnector binds AuthMechanism (a flags enum) as a list of its names and the Client Frontend connector reads back as the simulator holds it', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'] });
    const b = track(openReal({ state, connection: { platform: 'exchangeServer' }, env: REMOTING_SEAM }));
    const sim = track(openBackend({ kind: 'simulator', statePath: state }));
    await b.invoke(
      buildRequest('Set-ReceiveConnector', { identity: 'Client Frontend EX02', fqdn: 'mail.contoso.com', authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'], requireTLS: true, bindings: ['0.0.0.0:587'], tlsCertificateName: '<I>CN=Contoso CA<S>CN=mail.contoso.com' }),
    );
    const read = await readReceiveConnector(b, 'EX02', 'Client Frontend EX02');
    expect(read.settings).toEqual({ fqdn: 'mail.contoso.com', tlsCertificateName: '<I>CN=Contoso CA<S>CN=mail.contoso.com', authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'], requireTLS: true, bindings: ['0.0.0.0:587'], advertiseClientSettings: false, extendedProtectionPolicy: 'None' });
    expect(read).toEqual(await readReceiveConnector(sim, 'EX02', 'Client Frontend EX02'));
    const refused = await rejection(b.invoke(buildRequest('Set-ReceiveConnector', { identity: 'Client Frontend EX01', authMechanism: ['None', 'Tls'] })));
    expect(refused.info.message).toMatch(/None can only be used by itself/);
  });

  it('on-premises with a remoting credential: New-PSSession and Invoke-Command get the same PSCredential and mechanism; the password is in no argv, environment or log', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'], mailboxes: 1 });
    const dir = tempDir();
    const logFile = join(dir, 'remoting.log');
    const lines: string[] = [];
    const b = track(
      openReal({
        state,
        connection: { platform: 'exchangeServer', remotingUser: 'WOODGROVE\\svc-mailpolicy', remotingPassword: REMOTING_PASSWORD, authentication: 'Negotiate' },
        switches: { REMOTING_LOG: logFile, BRIDGE_LOG: join(dir, 'bridge.log'), BRIDGE_ENV: join(dir, 'bridge.env') },
        env: REMOTING_SEAM,
        log: (line) => lines.push(line),
      }),
    );
    await b.invoke(buildRequest('Set-Service', { name: 'MSExchangeIMAP4', startupType: 'Automatic' }, 'EX02'));
    const sha = createHash('sha256').update(REMOTING_PASSWORD, 'utf8').digest('hex');
    const expected = { credentialType: 'System.Management.Automation.PSCredential', userName: 'WOODGROVE\\svc-mailpolicy', passwordSha256: sha, authentication: 'Negotiate' };
    expect(remotingLog(logFile)).toEqual([
      { cmdlet: 'New-PSSession', computerName: null, ...expected },
      { cmdlet: 'Invoke-Command', computerName: 'EX02', ...expected },
    ]);
    expect((await simState(state)).servers?.find((s) => s.name === 'EX02')?.imap4.frontEnd.startupType).toBe('Automatic');
    const pid = b.processId();
    expect(pid).toBeTypeOf('number');
    for (const file of ['cmdline', 'environ']) expect(readFileSync(`/proc/${String(pid)}/${file}`, 'latin1'), file).not.toContain('R3m0t1ng');
    for (const file of ['bridge.env', 'bridge.log', 'remoting.log']) expect(readFileSync(join(dir, file), 'utf8'), file).not.toContain('R3m0t1ng');
    expect(lines.join('\n')).not.toContain('R3m0t1ng');
  });

  it('on-premises without a credential: the current user, Kerberos, for the session and the services alike', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01'], mailboxes: 1 });
    const logFile = join(tempDir(), 'remoting.log');
    const b = track(openReal({ state, connection: { platform: 'exchangeServer' }, switches: { REMOTING_LOG: logFile }, env: REMOTING_SEAM }));
    await readProtocolService(b, 'EX01', 'pop3');
    const none = { credentialType: null, userName: null, passwordSha256: null, authentication: 'Kerberos' };
    expect(remotingLog(logFile)).toEqual([
      { cmdlet: 'New-PSSession', computerName: null, ...none },
      { cmdlet: 'Invoke-Command', computerName: 'EX01', ...none },
    ]);
  });

  it('on-premises: without a WSMan client (no seam), connecting fails with the clear message, decided by capability', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01'] });
    const b = track(openReal({ state, connection: { platform: 'exchangeServer' } }));
    const e = await rejection(b.invoke(buildRequest('Get-ExchangeServer')));
    expect(e.info.type).toBe(RUNNER_ERROR.connectFailed);
    expect(e.message).toContain('needs a WSMan client, which this PowerShell does not have (This parameter set requires WSMan, and no supported WSMan client library was found.');
    expect(e.message).toContain('Run mailpolicy on Windows (or on the Exchange server)');
  });
});
