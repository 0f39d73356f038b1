/**
 * The composition root of the backends: opens the embedded simulator over a state file, or
 * Exchange through a persistent PowerShell host (one pwsh process per organisation per Node
 * process, shared and reused). It sits above both src/exchange and src/simulator (which builds
 * on src/exchange), so neither imports the other's way back; the CLI and the providers open
 * backends here.
 */
import { openPowerShellBackend, type PowerShellBackendOptions } from '../exchange/powershell-backend';
import type { ExchangeBackend } from '../exchange/types';
import { SimulatorBackend, type SimulatorBackendOptions } from '../simulator/backend';

export type SimulatorOptions = { readonly kind: 'simulator' } & SimulatorBackendOptions;
/** Connection settings (platform, cloud, organization, appId, certificateFilePath, certificatePassword, managedIdentity, accessToken, connectionUri, authentication, remotingUser, remotingPassword) and runner tuning (pwshPath, timeouts, retry). */
export type PowerShellOptions = { readonly kind: 'powershell' } & PowerShellBackendOptions;
export type BackendOptions = SimulatorOptions | PowerShellOptions;

export function openBackend(options: BackendOptions): ExchangeBackend {
  if (options.kind === 'simulator') return new SimulatorBackend(options);
  return openPowerShellBackend(options);
}
