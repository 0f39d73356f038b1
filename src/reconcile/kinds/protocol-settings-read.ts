/**
 * The PopSettings and ImapSettings kinds' read-back: Get-PopSettings / Get-ImapSettings -Server,
 * and their part of the organisation as read. Owned by protocol-settings.ts.
 */
import { PROTOCOL_SETTINGS_CMDLETS, type ModelKey, type PROTOCOL_SETTINGS, type ProtocolOnlySetting, type ReadBackOf } from '../../exchange/catalog';
import { single } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend } from '../../exchange/types';
import type { Protocol } from '../../model/types';

/**
 * Every Set-PopSettings/Set-ImapSettings parameter as read back, connection settings as
 * `host:port[:ENC]`: derived from the catalog's table of them, so a parameter added there is
 * read back without more code.
 */
export type ActualProtocolSettings = Omit<ReadBackOf<typeof PROTOCOL_SETTINGS>, ModelKey<ProtocolOnlySetting>> & Partial<Pick<ReadBackOf<typeof PROTOCOL_SETTINGS>, ModelKey<ProtocolOnlySetting>>>;

/** The kinds' part of the organisation as read (src/reconcile/actual.ts); both protocols share the map. */
export interface ProtocolSettingsPart {
  /** Keyed by `serverProtocolKey` (src/reconcile/actual.ts). */
  readonly protocolSettings?: ReadonlyMap<string, ActualProtocolSettings>;
}

/** Every catalog parameter of the protocol's settings, as readBack gives it (ActualProtocolSettings is derived from the same table). */
export async function readProtocolSettings(backend: ExchangeBackend, server: string, protocol: Protocol): Promise<ActualProtocolSettings> {
  const cmdlet = PROTOCOL_SETTINGS_CMDLETS[protocol].get;
  return single(cmdlet, await backend.invoke(buildRequest(cmdlet, { server }))) as unknown as ActualProtocolSettings;
}
