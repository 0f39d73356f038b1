/**
 * Exchange Online client endpoints per cloud, read from the clouds table (src/model/clouds.ts).
 * The legacy TLS endpoints exist only in the clouds that have them and only serve an
 * organisation that opted in (Set-TransportConfig -AllowLegacyTLSClients $true).
 */
import { cloudFacts, type Cloud } from '../model/clouds';
import type { ClientEndpoint } from './types';

/** Whether the cloud has legacy TLS endpoints at all (never in the US government clouds). */
export function legacyEndpointsAvailable(cloud: Cloud): boolean {
  return cloudFacts(cloud).legacyTls !== null;
}

/**
 * The endpoint table of an Exchange Online cloud. Legacy rows appear only when the organisation
 * opted in (`allowLegacyTLSClients === true`) and the cloud has them.
 */
export function cloudEndpoints(cloud: Cloud, allowLegacyTLSClients: boolean | undefined): readonly ClientEndpoint[] {
  const facts = cloudFacts(cloud);
  const standard = facts.clientEndpoints;
  const rows: ClientEndpoint[] = standard.map((row) => ({ ...row, legacy: false }));
  const legacy = facts.legacyTls;
  if (allowLegacyTLSClients === true && legacy !== null) {
    for (const row of standard) {
      const endpoint = legacy.endpoints[row.protocol];
      rows.push({
        protocol: row.protocol,
        server: endpoint.server,
        port: row.port,
        encryption: row.encryption,
        legacy: true,
        verified: true,
        ...(endpoint.status === undefined ? {} : { note: endpoint.status }),
      });
    }
  }
  return rows;
}
