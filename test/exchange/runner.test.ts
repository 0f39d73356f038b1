import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import { readCasMailboxes } from '../../src/exchange/reader';
import { readProtocolService } from '../../src/reconcile/kinds/protocol-service-read';
import { readProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { readTransportConfig } from '../../src/reconcile/kinds/transport-config-read';
import { openBackend } from '../../src/backends/open-backend';
import type { ExchangeBackend, JsonValue } from '../../src/exchange/types';
import { hostConfig } from '../../src/exchange/host-config';
import type { PowerShellBackend } from '../../src/exchange/powershell-backend';
import { RUNNER_ERROR, type RunnerTuning } from '../../src/exchange/runner';
import { rejection, tempDir, writeOrg } from '../simulator/helpers';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { onceDir, openStandIn, TOKEN } from './stand-in';

const open: ExchangeBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

function track<T extends ExchangeBackend>(b: T): T {
  open.push(b);
  return b;
}


const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

describe('runner: framing and concurrency', () => {
  it('matches many concurrent calls to their answers over one process and one connect, despite noise and chunked writes', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 40 });
    const b = track(openStandIn({ state, switches: { CHUNK_BYTES: '7', STDERR_NOISE: '2', STDOUT_NOISE: '1' } }));
    const calls = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0
        ? b.invoke(buildRequest('Set-CASMailbox', { identity: `user${String(i + 1).padStart(6, '0')}`, popEnabled: false }))
        : b.invoke(buildRequest('Get-EXOCasMailbox', { identity: `user${String(i + 1).padStart(6, '0')}`, propertySets: ['Minimum'] })),
    );
    const results = await Promise.all(calls);
    results.forEach((r, i) => {
      if (i % 2 === 0) expect(r).toBeNull();
      else expect(r).toMatchObject({ Identity: `user${String(i + 1).padStart(6, '0')}` });
    });
    const mailboxes = await readCasMailboxes(b);
    expect(mailboxes.filter((m) => !m.popEnabled).map((m) => m.identity)).toHaveLength(20);
    // 40 calls, Get-ConnectionInformation (the reader asks the platform once) and the read.
    expect(b.stats()).toMatchObject({ processSpawns: 1, connects: 1, roundTrips: 42 });
    expect(b.stats().calls['Set-CASMailbox']).toBe(20);
  });

  it('carries very large results (one line of many megabytes)', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 300 });
    const b = track(openStandIn({ state, switches: { PAD_BYTES: String(20_000) } }));
    const raw = (await b.invoke(buildRequest('Get-EXOCasMailbox', { resultSize: 'Unlimited', propertySets: ['Minimum', 'Pop'] }))) as { Padding: string }[];
    expect(raw).toHaveLength(300);
    expect(raw.every((m) => m.Padding.length === 20_000)).toBe(true);
  });

  it('hands a long read\'s counts to onItems as the host sends them, growing, and returns the same result as without', async () => {
    // 3,000 mailboxes at 1 ms each: the read takes 3 s, the host says how many it has about once a second.
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 3000 }, (s) => {
      s.latency = { perItemMicros: 1000 };
    });
    const b = track(openStandIn({ state }));
    const request = buildRequest('Get-EXOCasMailbox', { resultSize: 'Unlimited', propertySets: ['Minimum'] });
    const counts: number[] = [];
    const counted = await b.invoke(request, { onItems: (n) => counts.push(n) });
    expect(counts.length).toBeGreaterThanOrEqual(2);
    expect(counts).toEqual([...new Set(counts)].sort((x, y) => x - y));
    expect(counts.every((n) => n > 0 && n < 3000)).toBe(true);
    expect(counted).toEqual(await b.invoke(request));
    // Without a caller to tell, the counts are dropped; a write never sends any.
    const writeCounts: number[] = [];
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false }), { onItems: (n) => writeCounts.push(n) });
    expect(writeCounts).toEqual([]);
  });

  it('reads an organisation through runner + stand-in exactly as the simulator does in-process', async () => {
    const state = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'], mailboxes: 25 });
    const b = track(openStandIn({ state, platform: 'exchangeServer' }));
    const sim = track(openBackend({ kind: 'simulator', statePath: state }));
    expect(await readProtocolSettings(b, 'EX02', 'imap4')).toEqual(await readProtocolSettings(sim, 'EX02', 'imap4'));
    expect(await readProtocolService(b, 'EX01', 'pop3')).toEqual(await readProtocolService(sim, 'EX01', 'pop3'));
    expect(await readCasMailboxes(b)).toEqual(await readCasMailboxes(sim));
    expect(await b.connection()).toEqual({ platform: 'exchangeServer', organization: 'Contoso' });
  });

  it('gets results in the host\'s shapes: only the catalog\'s returned properties, one object unwrapped, none as null', async () => {
    const onPrem = track(openStandIn({ state: writeOrg({ platform: 'exchangeServer', servers: ['EX01'] }), platform: 'exchangeServer' }));
    expect(await onPrem.invoke(buildRequest('Get-ExchangeServer'))).toEqual({ Name: 'EX01', ServerRole: 'Mailbox', AdminDisplayVersion: 'Version 15.2 (Build 2562.17)' });
    expect(await onPrem.invoke(buildRequest('Get-Service', { name: ['MSExchangePOP3'] }, 'EX01'))).toEqual({ Name: 'MSExchangePOP3', StartType: 'Manual', Status: 'Stopped' });
    expect(await onPrem.invoke(buildRequest('Get-CASMailbox', { resultSize: 'Unlimited' }))).toBeNull();
    const settings = (await onPrem.invoke(buildRequest('Get-PopSettings', { server: 'EX01' }))) as Record<string, JsonValue>;
    expect(Object.keys(settings)).toEqual(Object.keys(hostConfig().cmdlets['Get-PopSettings']?.returns ?? {}));
    const online = track(openStandIn({ state: writeOrg({ platform: 'exchangeOnline', mailboxes: 2 }) }));
    // The Minimum property set (the default) has PopEnabled and ImapEnabled but no DistinguishedName and no SMTP AUTH: the host sends those as null.
    const guids = ['3345a714-92fd-5dee-9afc-06f10a746e72', '2b74a99f-5965-58be-9c38-c3bf6645e38c'];
    expect(await online.invoke(buildRequest('Get-EXOCasMailbox', { resultSize: 'Unlimited' }))).toEqual(
      [1, 2].map((n) => ({
        Identity: `user00000${n}`,
        Name: `user00000${n}`,
        Guid: guids[n - 1],
        DistinguishedName: null,
        PrimarySmtpAddress: `user00000${n}@contoso.com`,
        EmailAddresses: [`SMTP:user00000${n}@contoso.com`],
        PopEnabled: true,
        ImapEnabled: true,
        SmtpClientAuthenticationDisabled: null,
      })),
    );
    expect(await online.invoke(buildRequest('Get-OrganizationConfig'))).toEqual({ DefaultAuthenticationPolicy: null });
    expect(await online.invoke(buildRequest('Get-AuthenticationPolicy'))).toBeNull();
  });

  it('reports the organisation the connection says it is', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'agency.onmicrosoft.us' });
    const b = track(openBackend({ kind: 'powershell', platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'agency.onmicrosoft.us', accessToken: TOKEN, pwshPath: STAND_IN_PWSH, env: standInEnv(state) }));
    expect(await b.connection()).toEqual({ platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'agency.onmicrosoft.us' });
  });

  it('shares one process between backends of the same organisation and ends it when the last closes', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const a = openStandIn({ state });
    const c = openStandIn({ state });
    await Promise.all([readTransportConfig(a), readTransportConfig(c)]);
    expect(a.processId()).toBeDefined();
    expect(a.processId()).toBe(c.processId());
    const pid = a.processId() as number;
    expect(a.stats()).toMatchObject({ processSpawns: 1, connects: 1, roundTrips: 2 });
    await a.close();
    expect(() => process.kill(pid, 0)).not.toThrow();
    await c.close();
    await new Promise((r) => setTimeout(r, 100));
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('does not share a process between backends that sign in differently or are tuned differently', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const requestLog = join(tempDir(), 'requests.log');
    const app = (appId: string, tuning: RunnerTuning = {}): PowerShellBackend =>
      track(
        openBackend({
          kind: 'powershell',
          platform: 'exchangeOnline',
          organization: 'contoso.onmicrosoft.com',
          appId,
          certificateFilePath: '/secrets/app.pfx',
          pwshPath: STAND_IN_PWSH,
          env: standInEnv(state, { switches: { LOG: requestLog } }),
          ...tuning,
        }) as PowerShellBackend,
      );
    const first = app('11111111-aaaa');
    const second = app('22222222-bbbb');
    const sameAsFirst = app('11111111-aaaa');
    const slower = app('11111111-aaaa', { callTimeoutMs: 60_000 });
    await Promise.all([first, second, sameAsFirst, slower].map((b) => readTransportConfig(b)));
    expect(first.processId()).toBeDefined();
    expect(first.processId()).toBe(sameAsFirst.processId());
    expect(second.processId()).not.toBe(first.processId());
    expect(slower.processId()).not.toBe(first.processId());
    const connects = readFileSync(requestLog, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('request ') && l.includes('"type":"connect"'))
      .map((l) => (JSON.parse(l.slice('request '.length)) as { parameters: { AppId: string } }).parameters.AppId)
      .sort();
    expect(connects).toEqual(['11111111-aaaa', '11111111-aaaa', '22222222-bbbb']);
  });
});

describe('runner: connecting as Microsoft recommends', () => {
  // Connect-ExchangeOnline reference (-CommandName, -SkipLoadingFormatData): load only the cmdlets
  // used, skip the format data; faster and smaller, recommended for services (docs/exchange-facts.md).
  it('names every REST cmdlet it then calls in -CommandName and skips the format data', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 3 });
    const requestLog = join(tempDir(), 'requests.log');
    const b = track(openStandIn({ state, switches: { LOG: requestLog } }));
    await readTransportConfig(b);
    await readCasMailboxes(b);
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false }));
    await b.invoke(buildRequest('Get-CASMailboxPlan'));
    await b.invoke(buildRequest('Get-OrganizationConfig'));
    const requests = readFileSync(requestLog, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('request '))
      .map((l) => JSON.parse(l.slice('request '.length)) as { type: string; cmdlet: string; parameters: Record<string, unknown> });
    const connect = requests.find((r) => r.type === 'connect');
    expect(connect?.parameters).toMatchObject({ SkipLoadingFormatData: true });
    const named = connect?.parameters.CommandName as string[];
    for (const cmdlet of ['Get-TransportConfig', 'Set-CASMailbox', 'Get-CASMailboxPlan', 'Get-OrganizationConfig', 'Set-TransportConfig', 'Get-AcceptedDomain']) expect(named).toContain(cmdlet);
    // The module's own cmdlets are not loaded by -CommandName; on-premises and service cmdlets are not Exchange Online's.
    for (const cmdlet of ['Get-EXOCasMailbox', 'Get-ConnectionInformation', 'Get-ExchangeServer', 'Set-Service', 'Connect-ExchangeOnline']) expect(named).not.toContain(cmdlet);
    const restCalls = requests.filter((r) => r.type !== 'connect' && r.cmdlet !== 'Get-EXOCasMailbox' && r.cmdlet !== 'Get-ConnectionInformation').map((r) => r.cmdlet);
    expect(restCalls.length).toBeGreaterThan(3);
    for (const cmdlet of restCalls) expect(named).toContain(cmdlet);
  });
});

describe('runner: timeout, crash and restart', () => {
  it('kills a hung host, reports the timeout, and restarts for the next call', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const b = track(openStandIn({ state, callTimeoutMs: 1500, switches: { HANG: 'Get-TransportConfig', ONCE: onceDir() } }));
    const e = await rejection(readTransportConfig(b));
    expect(e.info.type).toBe(RUNNER_ERROR.timeout);
    expect(e.message).toBe(
      'Get-TransportConfig: no answer within 1500 ms (the call timeout; set it with --call-timeout or mailpolicy:callTimeoutSeconds): the PowerShell process running Get-TransportConfig was stopped',
    );
    expect(await readTransportConfig(b)).toEqual({ allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true });
    expect(b.stats()).toMatchObject({ processSpawns: 2, connects: 2 });
  });

  it('gives each cmdlet of a batch its own deadline: a batch may take longer than one call timeout', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 4 });
    // Each item takes 400 ms; the batch 1.6 s, well over the call timeout.
    const b = track(openStandIn({ state, callTimeoutMs: 1000, switches: { ITEM_MS: '400' } }));
    const ids = ['user000001', 'user000002', 'user000003', 'user000004'];
    const results = await b.invokeBatch(ids.map((identity) => buildRequest('Set-CASMailbox', { identity, imapEnabled: false })));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
    expect(b.stats()).toMatchObject({ processSpawns: 1, roundTrips: 1 });
  });

  it('names the batch item that hung, and kills the host', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const b = track(openStandIn({ state, callTimeoutMs: 500, switches: { HANG: 'Set-CASMailbox', ONCE: onceDir() } }));
    const batch = [buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false }), buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false })];
    const e = await rejection(b.invokeBatch(batch));
    expect(e.info.type).toBe(RUNNER_ERROR.timeout);
    expect(e.cmdlet).toBe('Set-CASMailbox');
    expect(e.message).toMatch(/^Set-CASMailbox: no answer within 500 ms .*: the PowerShell process running Set-CASMailbox \(item 2 of 2 of a batch\) was stopped \(the items before it ran\)$/);
    // A new process for the next call.
    expect((await readTransportConfig(b)).smtpClientAuthenticationDisabled).toBe(true);
    expect(b.stats().processSpawns).toBe(2);
  });

  it('names the batch item that was running when the host died', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const b = track(openStandIn({ state, switches: { CRASH: 'Set-CASMailbox', ONCE: onceDir() } }));
    const batch = [buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false }), buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false })];
    const e = await rejection(b.invokeBatch(batch));
    expect(e.info.type).toBe(RUNNER_ERROR.exited);
    expect(e.cmdlet).toBe('Set-CASMailbox');
    expect(e.message).toMatch(/exited .* while running Set-CASMailbox \(item 2 of 2 of a batch\)/);
  });

  it('restarts once and retries a read when the host dies mid-request', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    const b = track(openStandIn({ state, switches: { CRASH: 'Get-EXOCasMailbox', ONCE: onceDir() } }));
    expect(await readCasMailboxes(b)).toHaveLength(5);
    // Get-ConnectionInformation, then the read that crashed and its retry.
    expect(b.stats()).toMatchObject({ processSpawns: 2, connects: 2, roundTrips: 3 });
  });

  it('does not retry a write when the host dies mid-request', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const b = track(openStandIn({ state, switches: { CRASH: 'Set-TransportConfig', ONCE: onceDir() } }));
    const e = await rejection(b.invoke(buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false })));
    expect(e.info.type).toBe(RUNNER_ERROR.exited);
    expect(e.message).toMatch(/exited .* while running Set-TransportConfig/);
    expect(b.stats().roundTrips).toBe(1);
    // The next call gets a fresh process; the write never reached the simulator.
    expect((await readTransportConfig(b)).smtpClientAuthenticationDisabled).toBe(true);
    expect(b.stats().processSpawns).toBe(2);
  });

  it('fails a crashing read after one restart', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const b = track(openStandIn({ state, switches: { CRASH: 'Get-TransportConfig' } }));
    const e = await rejection(readTransportConfig(b));
    expect(e.info.type).toBe(RUNNER_ERROR.exited);
    expect(b.stats()).toMatchObject({ processSpawns: 2, roundTrips: 2 });
  });
});

describe('runner: retries', () => {
  it('retries transient errors with backoff until they pass', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const faults = [{ kind: 'transient', cmdlet: 'Get-TransportConfig', times: 2 }];
    const b = track(openStandIn({ state, retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    expect((await readTransportConfig(b)).smtpClientAuthenticationDisabled).toBe(true);
    expect(b.stats().roundTrips).toBe(3);
  });

  it('retries throttling (HTTP 429) and gives up after the configured attempts with Exchange\'s message', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const faults = [{ kind: 'throttle', cmdlet: 'Get-TransportConfig', times: 99 }];
    const b = track(openStandIn({ state, retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    const e = await rejection(readTransportConfig(b));
    expect(e.info.message).toBe('The remote server returned an error: (429) Too Many Requests.');
    expect(e.info.transient).toBe(true);
    expect(b.stats().roundTrips).toBe(FAST_RETRY.attempts);
  });

  it('an Exchange Online error is classified by the type Write-ErrorMessage embeds and shown without its prefix', async () => {
    // The message as Exchange Online words it (timmcmic/DLConversionV2 #129:
    // https://github.com/timmcmic/DLConversionV2/issues/129), for an object whose name mentions a
    // timeout: a not-found must fail at once, not be retried as if the text were a timeout.
    const text = "The operation couldn't be performed because object 'timed out reports@contoso.com' couldn't be found on 'DB6PR06A001DC06.EURPR06A001.prod.outlook.com'.";
    const faults = [{ kind: 'permanent', cmdlet: 'Get-TransportConfig', times: 99, message: `Ex6F9304|Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException|${text}` }];
    const b = track(openStandIn({ state: writeOrg({ platform: 'exchangeOnline' }), retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    const e = await rejection(b.invoke(buildRequest('Get-TransportConfig')));
    expect(b.stats().roundTrips).toBe(1);
    expect(e.info).toMatchObject({ type: 'Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException', message: text });
    expect(e.message).toBe(`Get-TransportConfig: ${text}`);
  });

  it('retries of one call wait at most the call timeout in all', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const faults = [{ kind: 'throttle', cmdlet: 'Get-TransportConfig', times: 99 }];
    // The default backoff (1 s, 2 s, 4 s, 8 s, halved to doubled by jitter) would wait 7.5 to 15 s.
    const b = track(openStandIn({ state, callTimeoutMs: 1000, switches: { FAULTS: JSON.stringify(faults) } }));
    await b.connection();
    const started = Date.now();
    const e = await rejection(readTransportConfig(b));
    expect(e.info.message).toBe('The remote server returned an error: (429) Too Many Requests.');
    expect(Date.now() - started).toBeLessThan(3000);
    // Get-ConnectionInformation, the first attempt and at most one retry (the first wait is 0.5 to 1 s).
    expect(b.stats().roundTrips).toBeLessThanOrEqual(3);
  });

  it('never retries a permanent error', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    const b = track(openStandIn({ state, retry: FAST_RETRY }));
    const e = await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: 'ghost@contoso.com', popEnabled: false })));
    expect(e.info.type).toMatch(/ManagementObjectNotFoundException/);
    expect(e.message).toBe("Set-CASMailbox: The operation couldn't be performed because object 'ghost@contoso.com' couldn't be found on 'BN8PR04MB6241.namprd04.prod.outlook.com'.");
    expect(b.stats().roundTrips).toBe(1);
  });

  it('reconnects once on an expired token, then retries', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const faults = [{ kind: 'tokenExpired', cmdlet: 'Get-TransportConfig' }];
    const b = track(openStandIn({ state, retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    await readTransportConfig(b);
    expect(b.stats()).toMatchObject({ processSpawns: 1, connects: 2, roundTrips: 2 });
  });

  it('retries only the transiently failed items of a batch, in one more round trip', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 4 });
    const faults = [{ kind: 'transient', cmdlet: 'Set-CASMailbox', call: 2 }];
    const b = track(openStandIn({ state, retry: FAST_RETRY, switches: { FAULTS: JSON.stringify(faults) } }));
    const ids = ['user000001', 'user000002', 'user000003', 'nobody'];
    const results = await b.invokeBatch(ids.map((identity) => buildRequest('Set-CASMailbox', { identity, imapEnabled: false })));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    const last = results[3];
    expect(last && !last.ok && last.error.type).toMatch(/NotFound/);
    expect(b.stats().roundTrips).toBe(2);
    expect((await readCasMailboxes(b)).filter((m) => !m.imapEnabled)).toHaveLength(3);
  });
});

describe('runner: missing pwsh or module', () => {
  it('says clearly when pwsh is not there', async () => {
    const b = track(openStandIn({ state: writeOrg({ platform: 'exchangeOnline' }), pwshPath: join(tempDir(), 'no-such-pwsh') }));
    const e = await rejection(readTransportConfig(b));
    expect(e.info.type).toBe(RUNNER_ERROR.pwshNotFound);
    expect(e.message).toMatch(/PowerShell 7 was not found at '.*no-such-pwsh': install PowerShell 7.4 or later/);
  });

  it('says clearly when the ExchangeOnlineManagement module is missing', async () => {
    const b = track(openStandIn({ state: writeOrg({ platform: 'exchangeOnline' }), switches: { NO_MODULE: '1' } }));
    const e = await rejection(readTransportConfig(b));
    expect(e.info.type).toBe(RUNNER_ERROR.moduleNotFound);
    expect(e.message).toMatch(/ExchangeOnlineManagement module is not installed .*Install-Module ExchangeOnlineManagement/);
  });

  // ExchangeOnlineManagement 3.10+ needs PowerShell 7.6; 3.5–3.9.x need 7.4 (docs/exchange-facts.md): the hint
  // names a version the pwsh that reported the missing module can load.
  it.each([
    ['7.6.0', /PowerShell 7\.6\.0.*Install-Module ExchangeOnlineManagement -Scope CurrentUser"` \(3\.10 or later\)/],
    ['7.4.6', /PowerShell 7\.4\.6.*Install-Module ExchangeOnlineManagement -MaximumVersion 3\.9\.999 -Scope CurrentUser"` \(3\.5 to 3\.9\.x; 3\.10 and later need PowerShell 7\.6\)/],
    ['7.2.18', /PowerShell 7\.2\.18.*cannot load ExchangeOnlineManagement 3\.5 or later: install PowerShell 7\.4 or later \(7\.6 for module 3\.10\+\)/],
  ])('the missing-module hint fits the running PowerShell %s', async (version, hint) => {
    const b = track(openStandIn({ state: writeOrg({ platform: 'exchangeOnline' }), switches: { NO_MODULE: '1', PS_VERSION: version } }));
    const e = await rejection(readTransportConfig(b));
    expect(e.info.type).toBe(RUNNER_ERROR.moduleNotFound);
    expect(e.message).toMatch(hint);
  });

  it('reports a failed sign-in with the organisation and Exchange\'s message', async () => {
    const b = track(openStandIn({ state: writeOrg({ platform: 'exchangeOnline' }), organization: 'fabrikam.onmicrosoft.com' }));
    const e = await rejection(readTransportConfig(b));
    expect(e.message).toMatch(/could not connect to fabrikam.onmicrosoft.com: AADSTS90002/);
  });
});

describe('runner: redaction', () => {
  it('never lets a secret reach argv, errors, warnings or log lines', async () => {
    const dir = tempDir();
    const requestLog = join(dir, 'requests.log');
    const lines: string[] = [];
    const faults = [{ kind: 'permanent', cmdlet: 'Set-TransportConfig', message: `token ${TOKEN} rejected; escaped ${JSON.stringify(TOKEN)}` }];
    const b = track(
      openStandIn({
        state: writeOrg({ platform: 'exchangeOnline' }),
        log: (l) => lines.push(l),
        switches: { LOG: requestLog, STDERR_NOISE: '1', FAULTS: JSON.stringify(faults), ECHO_STDERR: '1' },
      }),
    );
    const e = await rejection(b.invoke(buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false })));
    const everything = [e.message, JSON.stringify(e.info), ...lines].join('\n');
    expect(everything).toContain('***');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(JSON.stringify(TOKEN).slice(1, -1));
    expect(everything).not.toContain('S3cr3t');
    // The secret travelled only as JSON on stdin, inside the connect request.
    const received = readFileSync(requestLog, 'utf8').split('\n');
    const argv = received.filter((l) => l.startsWith('argv '));
    expect(argv.join('\n')).not.toContain('S3cr3t');
    // (The stand-in's `env` line is left out: its fault switch carries the token, escaped, on purpose.)
    const carrying = received.filter((l) => l.includes('S3cr3t') && !l.startsWith('env '));
    expect(carrying).toHaveLength(1);
    expect(JSON.parse((carrying[0] as string).slice('request '.length))).toMatchObject({ type: 'connect', cmdlet: 'Connect-ExchangeOnline', parameters: { AccessToken: TOKEN } });
    expect(lines.some((l) => l.includes('connect Connect-ExchangeOnline') && l.includes('"AccessToken":"***"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('mailpolicy pwsh') && l.includes('stderr:') && l.includes('***'))).toBe(true);
  });
});

describe('runner: pwsh path from the environment', () => {
  it('uses $MAILPOLICY_PWSH when no pwsh path is given', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const saved = process.env.MAILPOLICY_PWSH;
    process.env.MAILPOLICY_PWSH = STAND_IN_PWSH;
    try {
      const b = track(openBackend({ kind: 'powershell', platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com', managedIdentity: true, env: standInEnv(state) }));
      expect(b.describe()).toContain(`pwsh: ${STAND_IN_PWSH}`);
      expect((await readTransportConfig(b)).smtpClientAuthenticationDisabled).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.MAILPOLICY_PWSH;
      else process.env.MAILPOLICY_PWSH = saved;
    }
  });

  it('refuses ambiguous sign-in settings before starting anything', () => {
    expect(() => openBackend({ kind: 'powershell', platform: 'exchangeOnline', organization: 'c.onmicrosoft.com', managedIdentity: true, accessToken: TOKEN })).toThrow(/exactly one way to sign in/);
    expect(() => openBackend({ kind: 'powershell', platform: 'exchangeServer', organization: 'Contoso' })).toThrow(/connectionUri is required/);
  });
});
