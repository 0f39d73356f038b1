import { cloudLabel, usGovernmentCloudLabels } from '../model/clouds';
import { isUsGovernmentCloud } from './enforcement';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule } from './types';

export const legacyTlsGovernmentCloud: Rule = {
  id: 'MP-EXO-001',
  version: 1,
  title: 'Legacy TLS opted in for a US government cloud tenant',
  severity: 'high',
  enforcement: 'mandatory',
  waivable: false,
  crossResource: false,
  reads: ['transportConfig'],
  rationale:
    `${usGovernmentCloudLabels('and')} tenants have no legacy-TLS endpoints and legacy TLS (1.0/1.1) is permanently off there. ` +
    'A desired state that sets `AllowLegacyTLSClients` to `$true` for them is wrong by definition: it cannot take effect ' +
    'and signals that a client relying on TLS 1.0/1.1 is expected to work in a government tenant. `mailpolicy validate` ' +
    'refuses such a document outright (so `check` reports it as an invalid document); this rule is what the policy pack ' +
    'applies to resource inputs, which never pass through the document loader.',
  remediation:
    'Set `transportConfig.allowLegacyTLSClients: false` (or remove the key) and move the affected clients to TLS 1.2. ' +
    'This rule cannot be waived.',
  references: [REF.legacyTlsPopImap, REF.legacyTlsSmtp, REF.setTransportConfig],
  evaluate(policy) {
    if (policy.transportConfig?.allowLegacyTLSClients !== true || !isUsGovernmentCloud(policy)) return [];
    const cloud = cloudLabel(policy.target.cloud ?? 'worldwide');
    return [
      {
        pointer: pointer('transportConfig', 'allowLegacyTLSClients'),
        message: `allowLegacyTLSClients is true for a ${cloud} tenant: ${cloud} has no legacy-TLS endpoints and TLS 1.0/1.1 is permanently off there`,
      },
    ];
  },
};
