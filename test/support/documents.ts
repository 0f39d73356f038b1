/**
 * MailPolicy documents built in code, for the rule, reconcile and report tests: the model the
 * loader produces, without going through YAML, so each test states exactly the fact it is about.
 */
import type { Cloud, MailPolicy } from '../../src/model/types';

/** Everything but the target, which the builder fixes; `metadata` overrides the default name. */
export type DocumentParts = Omit<Partial<MailPolicy>, 'apiVersion' | 'kind' | 'target'>;

/** An Exchange Online document for contoso in `cloud`, named `contoso-<cloud>`. */
export function online(cloud: Cloud = 'worldwide', parts: DocumentParts = {}): MailPolicy {
  return {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: `contoso-${cloud.toLowerCase()}` },
    target: { platform: 'exchangeOnline', cloud, organization: 'contoso.onmicrosoft.com' },
    ...parts,
  };
}

/** An Exchange Server document for woodgrove.local, named `woodgrove-onprem`. */
export function onPrem(parts: DocumentParts = {}): MailPolicy {
  return {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: 'woodgrove-onprem' },
    target: { platform: 'exchangeServer', organization: 'woodgrove.local' },
    ...parts,
  };
}
