/**
 * The client endpoint table for an organisation: its Exchange Online cloud's endpoints (legacy
 * ones only where opted in and available), or the on-premises servers' external connection
 * settings. Pure: used by `mailpolicy endpoints` and as a stack output of the Pulumi program.
 */
import type { MailPolicy } from '../model/types';
import { cloudEndpoints } from './cloud';
import { onPremisesEndpoints } from './on-premises';
import type { ClientEndpoint } from './types';

export * from './types';
export { cloudEndpoints, legacyEndpointsAvailable } from './cloud';
export { clientEncryption, onPremisesEndpoints } from './on-premises';
export type { ServerConnectionSettings } from './on-premises';

/** The part of a MailPolicy the table depends on. */
export type EndpointPolicy = Pick<MailPolicy, 'target' | 'transportConfig' | 'servers'>;

export function clientEndpoints(policy: EndpointPolicy): readonly ClientEndpoint[] {
  if (policy.target.platform === 'exchangeServer') return onPremisesEndpoints(policy.servers ?? []);
  // The model always sets a cloud for Exchange Online; worldwide is Exchange's own default.
  return cloudEndpoints(policy.target.cloud ?? 'worldwide', policy.transportConfig?.allowLegacyTLSClients);
}
