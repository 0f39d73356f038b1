/** Set-TransportConfig: the organisation-wide legacy TLS and SMTP AUTH switches (Exchange Online). */
import { buildRequest } from '../../exchange/request';
import type { ActualTransportConfig } from '../../exchange/types';
import { TRANSPORT_CONFIG_KEYS, type TransportConfigPolicy } from '../../model/types';
import { describeDrift, driftOf, driftParameters } from '../drift';
import type { Change, ResourceRef } from '../plan';


export function planTransportConfig(resource: ResourceRef, desired: TransportConfigPolicy, actual: ActualTransportConfig): Change[] {
  const drift = driftOf('Set-TransportConfig', TRANSPORT_CONFIG_KEYS, desired, actual);
  if (drift.length === 0) return [];
  return [
    {
      resource,
      action: 'set',
      subject: 'TransportConfig',
      request: buildRequest('Set-TransportConfig', driftParameters(drift)),
      description: `transport config: ${describeDrift(drift)}`,
      drift,
      bulk: false,
    },
  ];
}
