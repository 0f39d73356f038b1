/**
 * The Node stand-in (tools/stand-in-pwsh) is held to the real host (issue 19 item 7): the same
 * request transcript goes through powershell/mailpolicy-host.ps1 under real pwsh (with the
 * stand-in Exchange modules) and through the Node stand-in, each over its own copy of one
 * organisation, and the responses must be the same. Where they differed the real host was right,
 * and the Node stand-in was changed to match it.
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { STAND_IN_PWSH } from '../../bench/stand-in-pwsh';
import { HOST_SCRIPT_NAME, powershellDir } from '../../src/exchange/host-config';
import { PWSH_ARGS } from '../../src/exchange/runner';
import { tempDir, writeOrg } from '../simulator/helpers';
import { pwshEnv, REMOTING_SEAM, TOKEN } from './harness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const HOSTILE = `policy ' " \u2018\u201c $(whoami) \`n ; & | \u0000 end`;

/** What a session sends: connect, reads, a batch with a failure and a warning, writes, refusals. */
const TRANSCRIPT: readonly Record<string, Json>[] = [
  { id: 1, type: 'connect', cmdlet: 'Connect-ExchangeOnline', parameters: { Organization: 'contoso.onmicrosoft.com', AccessToken: TOKEN, ExchangeEnvironmentName: 'O365Default', ShowBanner: false } },
  { id: 2, type: 'invoke', cmdlet: 'Get-ConnectionInformation', parameters: {} },
  { id: 3, type: 'invoke', cmdlet: 'Get-TransportConfig', parameters: {} },
  { id: 4, type: 'invoke', cmdlet: 'Get-EXOCasMailbox', parameters: { ResultSize: 'Unlimited', PropertySets: ['Minimum'], Properties: ['SmtpClientAuthenticationDisabled'] } },
  { id: 5, type: 'invoke', cmdlet: 'Get-EXOCasMailbox', parameters: { Identity: 'user000002', PropertySets: ['Minimum'] } },
  {
    id: 6,
    type: 'batch',
    requests: [
      { cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000001', PopEnabled: false, SmtpClientAuthenticationDisabled: null } },
      { cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000002', ImapEnabled: true } },
      { cmdlet: 'Set-CASMailbox', parameters: { Identity: 'nobody@contoso.com', PopEnabled: false } },
      { cmdlet: 'Get-Mailbox', parameters: {} },
    ],
  },
  { id: 7, type: 'invoke', cmdlet: 'Get-CASMailboxPlan', parameters: {} },
  { id: 8, type: 'invoke', cmdlet: 'New-AuthenticationPolicy', parameters: { Name: HOSTILE, AllowBasicAuthPop: false, AllowBasicAuthImap: false, AllowBasicAuthSmtp: true } },
  { id: 9, type: 'invoke', cmdlet: 'Get-AuthenticationPolicy', parameters: { Identity: HOSTILE } },
  { id: 10, type: 'invoke', cmdlet: 'Set-OrganizationConfig', parameters: { DefaultAuthenticationPolicy: HOSTILE } },
  { id: 11, type: 'invoke', cmdlet: 'Get-OrganizationConfig', parameters: {} },
  { id: 12, type: 'invoke', cmdlet: 'Set-TransportConfig', parameters: { SmtpClientAuthenticationDisabled: true } },
  { id: 13, type: 'invoke', cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000003', PopEnabled: false, ComputerName: 'EX01' } },
  { id: 14, type: 'invoke', cmdlet: 'Get-Mailbox', parameters: {} },
  { id: 15, type: 'connect', cmdlet: 'Get-TransportConfig', parameters: {} },
  { id: 16, type: 'unknown' },
  { id: 17, type: 'invoke', cmdlet: 'Remove-AuthenticationPolicy', parameters: { Identity: 'nobody', Confirm: false } },
  { id: 18, type: 'invoke', cmdlet: 'Get-AuthenticationPolicy', parameters: {} },
  // computerName is Invoke-Command's target for a Windows service cmdlet, and refused for any other; a service cmdlet without it is refused too.
  { id: 19, type: 'invoke', cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000003', PopEnabled: false }, computerName: 'EX01' },
  { id: 20, type: 'invoke', cmdlet: 'Get-Service', parameters: { Name: ['MSExchangePOP3'] } },
];

/**
 * Exchange Server, the optional properties of a read (issue 14 item 4): a read names the options
 * it wants in `properties`, and only those come back; names the allowlist lacks, a `properties`
 * that is not a list, and properties on a write are refused, all alike.
 */
const ON_PREMISES_TRANSCRIPT: readonly Record<string, Json>[] = [
  { id: 1, type: 'connect', cmdlet: 'New-PSSession', parameters: { ConfigurationName: 'Microsoft.Exchange', ConnectionUri: 'http://ex01.contoso.com/PowerShell/', Authentication: 'Kerberos' } },
  { id: 2, type: 'invoke', cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000002', PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly', ImapEnableExactRFC822Size: true } },
  { id: 3, type: 'invoke', cmdlet: 'Get-CASMailbox', parameters: { ResultSize: 'Unlimited' } },
  { id: 4, type: 'invoke', cmdlet: 'Get-CASMailbox', parameters: { ResultSize: 'Unlimited' }, properties: ['PopUseProtocolDefaults', 'PopMessagesRetrievalMimeFormat'] },
  { id: 5, type: 'batch', requests: [{ cmdlet: 'Get-CASMailbox', parameters: { Identity: 'user000002' }, properties: ['ImapEnableExactRFC822Size'] }, { cmdlet: 'Get-CASMailbox', parameters: { Identity: 'user000001' }, properties: ['Padding'] }] },
  { id: 6, type: 'invoke', cmdlet: 'Get-CASMailbox', parameters: { Identity: 'user000001' }, properties: 'PopUseProtocolDefaults' },
  { id: 7, type: 'invoke', cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000001', PopEnabled: false }, properties: ['PopUseProtocolDefaults'] },
  { id: 8, type: 'invoke', cmdlet: 'Get-CASMailbox', parameters: { Identity: 'user000001' }, properties: ['$(Remove-Item -Recurse /)'] },
];

/** Runs the transcript through one executable speaking the host protocol; every stdout line parsed. */
function run(executable: string, env: Record<string, string>, transcript: readonly Record<string, Json>[] = TRANSCRIPT): Promise<Record<string, Json>[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, [...PWSH_ARGS, join(powershellDir(), HOST_SCRIPT_NAME)], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(
        out
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => JSON.parse(line) as Record<string, Json>),
      );
    });
    child.stdin.end(`${transcript.map((r) => JSON.stringify(r)).join('\n')}\n`);
  });
}

/** The real host reports the PowerShell it runs in; the stand-in says it is one. */
function withoutVersion(responses: Record<string, Json>[]): Record<string, Json>[] {
  return responses.map((r) => (r.id === 1 && typeof r.data === 'object' && r.data !== null && 'psVersion' in r.data ? { ...r, data: { psVersion: '(version)' } } : r));
}

/**
 * Exchange Online raises errors through the module's Write-ErrorMessage (docs/powershell.md), with
 * the id `[Server=…,RequestId=<new GUID>,TimeStamp=<now>],Write-ErrorMessage`: the request id and
 * time stamp differ on every call, in the real host as in the Node stand-in, and nothing else may.
 */
function withoutRequestStamps(responses: Record<string, Json>[]): Json {
  return JSON.parse(JSON.stringify(responses).replace(/RequestId=[0-9a-f-]{36},TimeStamp=[^\]"]*\]/g, 'RequestId=(guid),TimeStamp=(time)]')) as Json;
}

/** Every error object in a response (the response's own, or its batch items'), by path. */
function errors(response: Record<string, Json>, path = ''): [string, Record<string, Json>][] {
  const found: [string, Record<string, Json>][] = [];
  if (response.ok === false && typeof response.error === 'object' && response.error !== null && !Array.isArray(response.error)) found.push([path, response.error]);
  if (Array.isArray(response.data)) response.data.forEach((item, i) => typeof item === 'object' && item !== null && !Array.isArray(item) && found.push(...errors(item, `${path}/data/${i}`)));
  return found;
}

describe('the Node stand-in and the real host, one transcript', () => {
  it('answer every request alike: data, warnings, batch progress, host refusals and Exchange errors as Write-ErrorMessage raises them', async () => {
    const original = writeOrg({ platform: 'exchangeOnline', mailboxes: 4 });
    const copies = [join(tempDir(), 'real.json'), join(tempDir(), 'node.json')] as const;
    for (const copy of copies) copyFileSync(original, copy);
    const [real, node] = await Promise.all([run(inject('pwsh'), pwshEnv(copies[0])), run(STAND_IN_PWSH, { MAILPOLICY_STANDIN_STATE: copies[1] })]);
    expect(real.length).toBeGreaterThan(TRANSCRIPT.length);
    expect(withoutRequestStamps(withoutVersion(node))).toEqual(withoutRequestStamps(withoutVersion(real)));
    // The not-found came through Write-ErrorMessage (its id) in both, carrying Exchange's own type.
    for (const responses of [real, node]) {
      const notFound = errors(responses.find((r) => r.id === 6 && r.ok === true) as Record<string, Json>).find(([path]) => path === '/data/2');
      expect(notFound?.[1].fullyQualifiedErrorId).toMatch(/^\[Server=[^,]+,RequestId=[0-9a-f-]{36},TimeStamp=[^\]]+\],Write-ErrorMessage$/);
      expect(notFound?.[1].type).toBe('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
    }
  });
});

describe('the Node stand-in and the real host, optional properties of a read (Exchange Server)', () => {
  it('shape only the optional properties a read names, and refuse the same requests alike', async () => {
    const original = writeOrg({ platform: 'exchangeServer', organization: 'contoso.com', mailboxes: 3 });
    const copies = [join(tempDir(), 'real.json'), join(tempDir(), 'node.json')] as const;
    for (const copy of copies) copyFileSync(original, copy);
    const [real, node] = await Promise.all([
      run(inject('pwsh'), { ...pwshEnv(copies[0]), ...REMOTING_SEAM }, ON_PREMISES_TRANSCRIPT),
      run(STAND_IN_PWSH, { MAILPOLICY_STANDIN_STATE: copies[1] }, ON_PREMISES_TRANSCRIPT),
    ]);
    expect(withoutVersion(node)).toEqual(withoutVersion(real));
    const byId = (id: number): Record<string, Json> => real.find((r) => r.id === id && 'ok' in r) as Record<string, Json>;
    // Unasked, no option travels; asked, exactly those do, with the value Set-CASMailbox stored.
    const plain = byId(3).data as Record<string, Json>[];
    expect(plain).toHaveLength(3);
    for (const mailbox of plain) expect(Object.keys(mailbox).filter((k) => /UseProtocolDefaults|RetrievalMimeFormat|RFC822/.test(k))).toEqual([]);
    const asked = byId(4).data as Record<string, Json>[];
    expect(asked.map((m) => [m.Identity, m.PopUseProtocolDefaults, m.PopMessagesRetrievalMimeFormat, 'ImapEnableExactRFC822Size' in m])).toEqual([
      ['user000001', true, 'BestBodyFormat', false],
      ['user000002', false, 'TextOnly', false],
      ['user000003', true, 'BestBodyFormat', false],
    ]);
    const batch = byId(5).data as Record<string, Json>[];
    expect((batch[0]?.data as Record<string, Json>).ImapEnableExactRFC822Size).toBe(true);
    expect(batch[1]).toMatchObject({ ok: false, error: { fullyQualifiedErrorId: 'MailpolicyHost.NotAllowed' } });
    expect(byId(6)).toMatchObject({ ok: false, error: { fullyQualifiedErrorId: 'MailpolicyHost.BadRequest' } });
    expect(byId(7)).toMatchObject({ ok: false, error: { fullyQualifiedErrorId: 'MailpolicyHost.NotAllowed' } });
    // A name is only ever looked up in the allowlist, never run.
    expect(byId(8)).toMatchObject({ ok: false, error: { fullyQualifiedErrorId: 'MailpolicyHost.NotAllowed' } });
  });
});

/**
 * A large read says how many objects it has while they arrive (issue 15 item 4): a request that
 * reads 6,000 mailboxes over a few seconds (the simulator's per-object latency for the Node
 * stand-in, pages with a pause for the real host's stand-in module), then a batch and a write.
 */
const LARGE_READ_TRANSCRIPT: readonly Record<string, Json>[] = [
  TRANSCRIPT[0] as Record<string, Json>,
  { id: 2, type: 'invoke', cmdlet: 'Get-EXOCasMailbox', parameters: { ResultSize: 'Unlimited', PropertySets: ['Minimum'] } },
  { id: 3, type: 'batch', requests: [{ cmdlet: 'Get-EXOCasMailbox', parameters: { Identity: 'user000002', PropertySets: ['Minimum'] } }] },
  { id: 4, type: 'invoke', cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000001', PopEnabled: false } },
];

describe('the Node stand-in and the real host, a large read', () => {
  it('both send {"id","received"} lines with growing counts while the read collects, only for it; every response is the same', async () => {
    const MAILBOXES = 6000;
    const original = writeOrg({ platform: 'exchangeOnline', mailboxes: MAILBOXES }, (s) => {
      s.latency = { perItemMicros: 600 };
    });
    const copies = [join(tempDir(), 'real.json'), join(tempDir(), 'node.json')] as const;
    for (const copy of copies) copyFileSync(original, copy);
    const [real, node] = await Promise.all([
      run(inject('pwsh'), { ...pwshEnv(copies[0]), MAILPOLICY_STANDIN_PAGE_MS: '600' }, LARGE_READ_TRANSCRIPT),
      run(STAND_IN_PWSH, { MAILPOLICY_STANDIN_STATE: copies[1] }, LARGE_READ_TRANSCRIPT),
    ]);
    const isCount = (r: Record<string, Json>): boolean => 'received' in r;
    for (const lines of [real, node]) {
      const counts = lines.filter(isCount);
      // Nothing else in a count line, only for the invoke read, before its response, growing.
      for (const c of counts) expect(Object.keys(c).sort()).toEqual(['id', 'received']);
      expect(counts.map((c) => c.id)).toEqual(counts.map(() => 2));
      const received = counts.map((c) => c.received as number);
      expect(received.length).toBeGreaterThanOrEqual(2);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(new Set(received).size).toBe(received.length);
      expect(received[0]).toBeGreaterThan(0);
      expect(received.at(-1)).toBeLessThanOrEqual(MAILBOXES);
      const response = lines.findIndex((r) => r.id === 2 && 'ok' in r);
      expect(lines.findLastIndex(isCount)).toBeLessThan(response);
      expect((lines[response]?.data as Json[]).length).toBe(MAILBOXES);
    }
    expect(withoutVersion(node.filter((r) => !isCount(r)))).toEqual(withoutVersion(real.filter((r) => !isCount(r))));
  });
});
