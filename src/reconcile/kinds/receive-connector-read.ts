/**
 * The ReceiveConnector kind's read-back: a server's receive connector of a name
 * (Get-ReceiveConnector -Server), and its part of the organisation as read. Owned by
 * receive-connector.ts.
 */
import type { ReadBackOf, RECEIVE_CONNECTOR_SETTINGS } from '../../exchange/catalog';
import { readBack, resultList } from '../../exchange/read-back';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend } from '../../exchange/types';

/** What mailpolicy manages of a receive connector, as read back: derived from the catalog's table (Set-ReceiveConnector). */
export type ActualReceiveConnectorSettings = ReadBackOf<typeof RECEIVE_CONNECTOR_SETTINGS>;

/** One server's "Client Frontend <Server>" receive connector. */
export interface ActualReceiveConnector {
  readonly server: string;
  /** The connector's name, e.g. `Client Frontend EX01`. */
  readonly name: string;
  /** null: Get-ReceiveConnector -Server lists no connector of that name on the server. */
  readonly settings: ActualReceiveConnectorSettings | null;
}

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface ReceiveConnectorPart {
  /** Each server's Client Frontend receive connector, keyed by the server name lowercased. */
  readonly receiveConnectors?: ReadonlyMap<string, ActualReceiveConnector>;
}

/**
 * A server's receive connector of that name: Get-ReceiveConnector -Server, then the one whose
 * Name matches (case-insensitive). Not -Identity: Get-ReceiveConnector.md warns that an identity
 * matching nothing returns every connector. A server without it reads as `settings: null`.
 */
export async function readReceiveConnector(backend: ExchangeBackend, server: string, name: string): Promise<ActualReceiveConnector> {
  const raw = await backend.invoke(buildRequest('Get-ReceiveConnector', { server }));
  const found = resultList(raw)
    .map((item) => readBack('Get-ReceiveConnector', item))
    .find((o) => typeof o.name === 'string' && o.name.toLowerCase() === name.toLowerCase());
  if (!found) return { server, name, settings: null };
  const { identity: _identity, name: _name, server: _server, ...settings } = found;
  return { server, name, settings: settings as unknown as ActualReceiveConnectorSettings };
}
