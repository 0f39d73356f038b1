/**
 * Opens the real PowerShell backend the way users run it: real pwsh (from the tier's global
 * setup), the real powershell/mailpolicy-host.ps1, and the stand-in Exchange modules on
 * PSModulePath, forwarding to the simulator state at `state`.
 */
import { readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import { inject } from 'vitest';
import { openBackend } from '../../src/backends/open-backend';
import type { PowerShellBackend } from '../../src/exchange/powershell-backend';
import type { PowerShellConnectionSettings } from '../../src/exchange/connection';
import type { RunnerTuning } from '../../src/exchange/runner';
import { EXCHANGE_SERVER_MODULE } from './stand-in-modules';

export const TOKEN = 'eyJ0eXAi.S3cr3t-T0ken"with\\odd/chars';
export const CERTIFICATE_PASSWORD = "p@ss w0rd 'quoted' $(not-run) `tick`";
/** Exchange Server: the remoting account's password (the stand-ins log only its SHA-256). */
export const REMOTING_PASSWORD = 'R3m0t1ng-Pa55 "q" $(not-run) `t`';

/** The remoting log (MAILPOLICY_STANDIN_REMOTING_LOG): how New-PSSession and Invoke-Command were asked to connect. */
export interface RemotingEntry {
  readonly cmdlet: 'New-PSSession' | 'Invoke-Command';
  readonly computerName: string | null;
  readonly credentialType: string | null;
  readonly userName: string | null;
  readonly passwordSha256: string | null;
  readonly authentication: string | null;
}

export function remotingLog(file: string): RemotingEntry[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RemotingEntry);
}

/** Stand-in switches by name without the MAILPOLICY_STANDIN_ prefix (see stand-in-runtime.ps1, bridge.js). */
export type Switches = Readonly<Record<string, string>>;

/** The environment of a mailpolicy host that finds the stand-in modules and serves `state`. */
export function pwshEnv(state: string, switches: Switches = {}, modules: string | null = inject('standInModules')): Record<string, string> {
  const env: Record<string, string> = {
    MAILPOLICY_STANDIN_STATE: state,
    MAILPOLICY_STANDIN_NODE: process.execPath,
    PSModulePath: [modules, process.env.PSModulePath].filter((p): p is string => typeof p === 'string' && p !== '').join(delimiter),
  };
  for (const [name, value] of Object.entries(switches)) env[`MAILPOLICY_STANDIN_${name}`] = value;
  return env;
}

export interface RealOptions extends RunnerTuning {
  readonly state: string;
  readonly switches?: Switches;
  /** Replaces the default sign-in (an access token to contoso.onmicrosoft.com, worldwide). */
  readonly connection?: Partial<PowerShellConnectionSettings>;
  /** null: no stand-in modules on PSModulePath. */
  readonly modules?: string | null;
}

export function openReal(o: RealOptions): PowerShellBackend {
  const online = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' } as const;
  const connection: PowerShellConnectionSettings =
    o.connection?.platform === 'exchangeServer'
      ? { organization: 'Contoso', connectionUri: 'http://ex01.contoso.com/PowerShell/', ...o.connection, platform: 'exchangeServer' }
      : o.connection?.appId !== undefined || o.connection?.managedIdentity !== undefined
        ? { ...online, ...o.connection }
        : { ...online, accessToken: TOKEN, ...o.connection };
  const env = { ...pwshEnv(o.state, o.switches, o.modules === undefined ? inject('standInModules') : o.modules), ...o.env };
  return openBackend({ kind: 'powershell', ...connection, pwshPath: inject('pwsh'), ...o, env }) as PowerShellBackend;
}

/** The host's test seam (docs/powershell.md): load the Exchange Server stand-ins in place of PowerShell's remoting cmdlets. */
export const REMOTING_SEAM = { MAILPOLICY_HOST_REMOTING_MODULE: EXCHANGE_SERVER_MODULE } as const;

/** The requests the bridge received (MAILPOLICY_STANDIN_BRIDGE_LOG), parsed. */
export function bridgeLog(file: string): { cmdlet: string; parameters: Record<string, unknown> }[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { cmdlet: string; parameters: Record<string, unknown> });
}
