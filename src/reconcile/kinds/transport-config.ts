/** The TransportConfig kind: Set-TransportConfig, the organisation-wide legacy TLS and SMTP AUTH switches (Exchange Online). */
import { RESTORABLE_TRANSPORT_CONFIG_DEFAULTS } from '../../exchange/defaults';
import { buildRequest } from '../../exchange/request';
import { TRANSPORT_CONFIG_KEYS, type MailPolicy, type TransportConfigPolicy } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { describeDrift, driftOf, driftParameters } from '../drift';
import type { Change, ResourceRef } from '../plan';
import type { Declared, DocumentPart, ResourceKindModule } from './kind';
import type { OrganisationSnapshot } from './snapshot';
import { overlayDrift, pickDefaults } from './shared';
import { readTransportConfig, type ActualTransportConfig } from './transport-config-read';

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

/**
 * Exchange's `$null` reads back as off and cannot be written: restoring writes `$false`.
 * SmtpClientAuthenticationDisabled is absent on purpose: its default depends on the tenant's age,
 * so restoring it could switch SMTP AUTH off for a whole older tenant; it is left as it is.
 */
const TRANSPORT_RESTORED: Pick<TransportConfigPolicy, 'allowLegacyTLSClients'> = {
  allowLegacyTLSClients: RESTORABLE_TRANSPORT_CONFIG_DEFAULTS.allowLegacyTLSClients ?? false,
};

export const TRANSPORT_CONFIG_KIND: ResourceKindModule<'TransportConfig'> = {
  kind: 'TransportConfig',
  inputKeys: ['transportConfig'],
  identity: () => 'TransportConfig',
  read: async (backend) => ({ transportConfig: await readTransportConfig(backend) }),
  actualOf: (_inputs, actual) => need(actual.transportConfig, 'transport config'),
  plan: (ref, inputs, actual) => ({ changes: planTransportConfig(ref, inputs.transportConfig, actual), notes: [] }),
  restore: (inputs) => {
    const { restored, left } = pickDefaults(inputs.transportConfig, TRANSPORT_RESTORED);
    return { kind: 'plan', inputs: { ...inputs, transportConfig: restored }, left };
  },
  pointer: (_policy, _change, drift) => pointer('transportConfig', ...(drift?.key ? [drift.key] : [])),
  refresh: (inputs, changes) => ({ ...inputs, transportConfig: overlayDrift(inputs.transportConfig, changes) }),
  documentPart: (input) => ({ part: { transportConfig: input('transportConfig') as DocumentPart['transportConfig'] }, origins: [{ prefix: '/transportConfig', property: '/transportConfig' }] }),
  mergeInto: (document, part, origins) => {
    document.transportConfig = { ...document.transportConfig, ...part.transportConfig };
    return [...origins];
  },
  desired: { place: 'beforeServers', declared: declaredTransportConfig },
  exported: { place: 'document', part: exportedTransportConfig },
};

// ---- What a document declares, and what an export writes ----

function declaredTransportConfig(policy: MailPolicy): Declared<'TransportConfig'>[] {
  return policy.transportConfig ? [{ name: 'transport-config', inputs: { transportConfig: policy.transportConfig } }] : [];
}

function exportedTransportConfig({ transportConfig }: OrganisationSnapshot): DocumentPart {
  if (!transportConfig) return {};
  return { transportConfig: Object.fromEntries(TRANSPORT_CONFIG_KEYS.map((key) => [key, transportConfig[key]])) as TransportConfigPolicy };
}
