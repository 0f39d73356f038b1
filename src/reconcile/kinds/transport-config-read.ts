/**
 * The TransportConfig kind's read-back: what Get-TransportConfig reports of the settings the kind
 * manages, and its part of the organisation as read. Owned by transport-config.ts.
 */
import type { ReadBackOf, TRANSPORT_CONFIG_SETTINGS } from '../../exchange/catalog';
import { single } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend } from '../../exchange/types';
import { TRANSPORT_CONFIG_KEYS } from '../../model/types';

/** The settings the kind manages, as read back: derived from the catalog's table (a boolean's `$null` reads back as false, off). */
export type ActualTransportConfig = ReadBackOf<typeof TRANSPORT_CONFIG_SETTINGS>;

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface TransportConfigPart {
  readonly transportConfig?: ActualTransportConfig;
}

export async function readTransportConfig(backend: ExchangeBackend): Promise<ActualTransportConfig> {
  const o = single('Get-TransportConfig', await backend.invoke(buildRequest('Get-TransportConfig')));
  return Object.fromEntries(TRANSPORT_CONFIG_KEYS.map((key) => [key, o[key]])) as unknown as ActualTransportConfig;
}
