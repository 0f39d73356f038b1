/**
 * Opens a backend: the embedded simulator over a state file, or Exchange through a persistent
 * PowerShell host (one pwsh process per organisation per Node process, shared and reused).
 */
import { SimulatorBackend, type SimulatorBackendOptions } from '../simulator/backend';
import type { PowerShellConnectionSettings } from './connection';
import type { ExchangeBackend } from './types';

export type SimulatorOptions = { readonly kind: 'simulator' } & SimulatorBackendOptions;
export type PowerShellOptions = { readonly kind: 'powershell' } & PowerShellConnectionSettings;
export type BackendOptions = SimulatorOptions | PowerShellOptions;

export function openBackend(options: BackendOptions): ExchangeBackend {
  if (options.kind === 'simulator') return new SimulatorBackend(options);
  throw new Error('the PowerShell backend is not available in this build yet');
}
