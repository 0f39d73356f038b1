/**
 * The Node stand-in (tools/stand-in-pwsh) is held to the real host (issue 19 item 7): the same
 * request transcript goes through powershell/mailpolicy-host.ps1 under real pwsh (with the
 * stand-in Exchange modules) and through the Node stand-in, each over its own copy of one
 * organisation, and the responses must be the same. Where they differ the real host is right;
 * the differences not yet fixed in the Node stand-in are listed below and asserted to still exist.
 */
import { spawn } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { STAND_IN_PWSH } from '../../bench/stand-in-pwsh';
import { HOST_SCRIPT_NAME, powershellDir } from '../../src/exchange/host-config';
import { PWSH_ARGS } from '../../src/exchange/runner';
import { tempDir, writeOrg } from '../simulator/helpers';
import { pwshEnv, TOKEN } from './harness';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const HOSTILE = `policy ' " \u2018\u201c $(whoami) \`n ; & | \u0000 end`;

/** What a session sends: connect, reads, a batch with a failure and a warning, writes, refusals. */
const TRANSCRIPT: readonly Record<string, Json>[] = [
  { id: 1, type: 'connect', cmdlet: 'Connect-ExchangeOnline', parameters: { Organization: 'contoso.onmicrosoft.com', AccessToken: TOKEN, ExchangeEnvironmentName: 'O365Default', ShowBanner: false } },
  { id: 2, type: 'invoke', cmdlet: 'Get-ConnectionInformation', parameters: {} },
  { id: 3, type: 'invoke', cmdlet: 'Get-TransportConfig', parameters: {} },
  { id: 4, type: 'invoke', cmdlet: 'Get-EXOCasMailbox', parameters: { ResultSize: 'Unlimited', PropertySets: ['Minimum', 'Pop', 'Imap'], Properties: ['SmtpClientAuthenticationDisabled'] } },
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

/** Runs the transcript through one executable speaking the host protocol; every stdout line parsed. */
function run(executable: string, env: Record<string, string>): Promise<Record<string, Json>[]> {
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
    child.stdin.end(`${TRANSCRIPT.map((r) => JSON.stringify(r)).join('\n')}\n`);
  });
}

/** The real host reports the PowerShell it runs in; the stand-in says it is one. */
function withoutVersion(responses: Record<string, Json>[]): Record<string, Json>[] {
  return responses.map((r) => (r.id === 1 && typeof r.data === 'object' && r.data !== null && 'psVersion' in r.data ? { ...r, data: { psVersion: '(version)' } } : r));
}

interface ErrorInfo {
  message: string;
  type: string;
  fullyQualifiedErrorId: string;
  category: string;
  transient: boolean;
}

/**
 * Exchange Online's errors as the real module raises them (Write-ErrorMessage, see
 * docs/powershell.md): `<code>|<type>|<text>` in a WriteErrorException with a
 * `[Server=…],Write-ErrorMessage` id. The real host unwraps them to the embedded type and the bare
 * text, which is the simulator's own shape the Node stand-in passes on; only the id differs
 * (`<Short>,<cmdlet>` in the simulator).
 */
function sameErrorModuloShape(real: ErrorInfo, standIn: ErrorInfo): boolean {
  return (
    real.type === standIn.type &&
    real.message === standIn.message &&
    real.fullyQualifiedErrorId.endsWith('],Write-ErrorMessage') &&
    real.category === standIn.category &&
    real.transient === standIn.transient
  );
}

/** Every error object in a response (the response's own, or its batch items'), by path. */
function errors(response: Record<string, Json>, path = ''): [string, ErrorInfo][] {
  const found: [string, ErrorInfo][] = [];
  if (response.ok === false && typeof response.error === 'object' && response.error !== null) found.push([path, response.error as unknown as ErrorInfo]);
  if (Array.isArray(response.data)) response.data.forEach((item, i) => typeof item === 'object' && item !== null && !Array.isArray(item) && found.push(...errors(item, `${path}/data/${i}`)));
  return found;
}

describe('the Node stand-in and the real host, one transcript', () => {
  it('answer every request alike: data, warnings, batch progress, host refusals; Exchange errors differ only in the documented shape', async () => {
    const original = writeOrg({ platform: 'exchangeOnline', mailboxes: 4 });
    const copies = [join(tempDir(), 'real.json'), join(tempDir(), 'node.json')] as const;
    for (const copy of copies) copyFileSync(original, copy);
    const [real, node] = await Promise.all([run(inject('pwsh'), pwshEnv(copies[0])), run(STAND_IN_PWSH, { MAILPOLICY_STANDIN_STATE: copies[1] })]);
    expect(real.length).toBeGreaterThan(TRANSCRIPT.length);
    expect(node.map((r) => [r.id, 'started' in r ? `started ${String(r.started)}` : r.ok])).toEqual(real.map((r) => [r.id, 'started' in r ? `started ${String(r.started)}` : r.ok]));
    const differences: string[] = [];
    real.forEach((response, i) => {
      const other = node[i] as Record<string, Json>;
      const realErrors = errors(response);
      const nodeErrors = new Map(errors(other));
      for (const [path, error] of realErrors) {
        const counterpart = nodeErrors.get(path);
        if (counterpart && !sameErrorModuloShape(error, counterpart) && JSON.stringify(error) !== JSON.stringify(counterpart)) differences.push(`id ${String(response.id)}${path}: ${JSON.stringify(error)} vs ${JSON.stringify(counterpart)}`);
      }
      const strip = (r: Record<string, Json>): Json => JSON.parse(JSON.stringify(r, (key, value: Json) => (key === 'error' ? '(compared above)' : value))) as Json;
      expect(strip(withoutVersion([other])[0] as Record<string, Json>), `response ${i} (id ${String(response.id)})`).toEqual(strip(withoutVersion([response])[0] as Record<string, Json>));
    });
    expect(differences).toEqual([]);
    // The documented difference exists: the real host's not-found came through Write-ErrorMessage
    // (its id), yet carries Exchange's own type, as the Node stand-in's does.
    const notFound = errors(real.find((r) => r.id === 6 && r.ok === true) as Record<string, Json>).find(([path]) => path === '/data/2');
    expect(notFound?.[1].fullyQualifiedErrorId).toMatch(/\],Write-ErrorMessage$/);
    expect(notFound?.[1].type).toBe('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
    const nodeNotFound = errors(node.find((r) => r.id === 6 && r.ok === true) as Record<string, Json>).find(([path]) => path === '/data/2');
    expect(nodeNotFound?.[1].type).toBe('Microsoft.Exchange.Configuration.Tasks.ManagementObjectNotFoundException');
  });
});
