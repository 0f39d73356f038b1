/** Opens the real PowerShell backend with the stand-in pwsh as its executable. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../../src/backends/open-backend';
import type { PowerShellBackend } from '../../src/exchange/powershell-backend';
import type { RunnerTuning } from '../../src/exchange/runner';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';

export const TOKEN = 'eyJ0eXAi.S3cr3t-T0ken"with\\odd/chars';

export interface StandInOptions extends RunnerTuning {
  readonly state: string;
  readonly switches?: Readonly<Record<string, string>>;
  readonly organization?: string;
  readonly platform?: 'exchangeOnline' | 'exchangeServer';
}

export function openStandIn(o: StandInOptions): PowerShellBackend {
  const env = { ...standInEnv(o.state, { switches: o.switches ?? {} }), ...o.env };
  const platform = o.platform ?? 'exchangeOnline';
  const connection =
    platform === 'exchangeOnline'
      ? { platform, cloud: 'worldwide' as const, organization: o.organization ?? 'contoso.onmicrosoft.com', accessToken: TOKEN }
      : { platform, organization: o.organization ?? 'Contoso', connectionUri: 'http://ex01.contoso.com/PowerShell/' };
  return openBackend({ kind: 'powershell', ...connection, pwshPath: o.pwshPath ?? STAND_IN_PWSH, ...o, env }) as PowerShellBackend;
}

export function onceDir(): string {
  return mkdtempSync(join(tmpdir(), 'mailpolicy-once-'));
}
