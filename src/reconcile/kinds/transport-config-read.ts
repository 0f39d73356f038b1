/**
 * The TransportConfig kind's read-back: what Get-TransportConfig reports of the settings the kind
 * manages, and its part of the organisation as read. Owned by transport-config.ts.
 */
import { single } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend } from '../../exchange/types';

export interface ActualTransportConfig {
  /** `$null` reads back as false (off). */
  readonly allowLegacyTLSClients: boolean;
  readonly smtpClientAuthenticationDisabled: boolean;
}

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface TransportConfigPart {
  readonly transportConfig?: ActualTransportConfig;
}

export async function readTransportConfig(backend: ExchangeBackend): Promise<ActualTransportConfig> {
  const o = single('Get-TransportConfig', await backend.invoke(buildRequest('Get-TransportConfig')));
  return { allowLegacyTLSClients: o.allowLegacyTLSClients as boolean, smtpClientAuthenticationDisabled: o.smtpClientAuthenticationDisabled as boolean };
}
