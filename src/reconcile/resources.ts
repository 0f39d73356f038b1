/**
 * The Pulumi resources a document declares, in dependency order: one list read by the Pulumi
 * program (which declares them), by the planner (which plans them in this order) and by
 * `mailpolicy plan` (which groups changes by them), so all three agree by construction.
 */
import type { ProtocolServiceInputs, ResourceInputsByKind, ResourceKind } from './kinds/types';
import type { CertificateService } from '../model/certificate';
import type { MailPolicy, Protocol } from '../model/types';
import { PROTOCOLS } from '../model/types';
import type { ResourceRef } from './plan';

interface DesiredOf<K extends ResourceKind> {
  readonly kind: K;
  /** Logical name in the stack (unique per document). */
  readonly name: string;
  readonly inputs: ResourceInputsByKind[K];
}

export type DesiredProtocolService = DesiredOf<'ProtocolService'> & {
  /** Name of the PopSettings/ImapSettings resource whose `settingsChangeId` triggers a restart. */
  readonly settingsResource?: string;
  /** Other resources of the server whose changes apply at this restart (certificates assigned to the protocol): their `settingsChangeId` triggers it too. */
  readonly restartSources?: readonly string[];
  readonly inputs: Omit<ProtocolServiceInputs, 'settingsChangeId'>;
};

export type DesiredResource =
  | DesiredOf<'TransportConfig'>
  | DesiredOf<'AuthenticationPolicy'>
  | DesiredOf<'CasMailboxPlan'>
  | DesiredOf<'PopSettings'>
  | DesiredOf<'ImapSettings'>
  | DesiredProtocolService
  | DesiredOf<'CasMailboxProtocol'>
  | DesiredOf<'ExchangeCertificate'>
  | DesiredOf<'ReceiveConnector'>;

export type SettingsKind = 'PopSettings' | 'ImapSettings';

/** The certificate service (Enable-ExchangeCertificate -Services) of each protocol. */
const CERTIFICATE_SERVICE_OF: Readonly<Record<Protocol, CertificateService>> = { pop3: 'POP', imap4: 'IMAP' };

/** The settings resource kind of each protocol. */
export const SETTINGS_KIND: Readonly<Record<Protocol, SettingsKind>> = { pop3: 'PopSettings', imap4: 'ImapSettings' };

/** `Block Basic Auth` → `block-basic-auth`: readable, URN-safe names. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'x' : s;
}

export function desiredResources(policy: MailPolicy): DesiredResource[] {
  const out: DesiredResource[] = [];
  const used = new Set<string>();
  // Two names that slug alike (e.g. `A B` and `a-b`) stay distinct and stable: the later gets a suffix.
  const unique = (name: string): string => {
    let candidate = name;
    for (let i = 2; used.has(candidate); i++) candidate = `${name}-${i}`;
    used.add(candidate);
    return candidate;
  };
  const common = { target: policy.target };

  if (policy.transportConfig) {
    out.push({ kind: 'TransportConfig', name: unique('transport-config'), inputs: { ...common, transportConfig: policy.transportConfig } });
  }
  // `default: false` beside another policy's `default: true` is already said by that one: making it
  // the default takes this one off. Kept, this policy's `$null` would race (or in plan order undo) the set.
  const declaresDefault = (policy.authenticationPolicies ?? []).some((p) => p.default === true);
  for (const policyDecl of policy.authenticationPolicies ?? []) {
    const { default: isDefault, ...rest } = policyDecl;
    const decl = declaresDefault && isDefault === false ? rest : policyDecl;
    out.push({ kind: 'AuthenticationPolicy', name: unique(`auth-policy-${slug(policyDecl.name)}`), inputs: { ...common, policy: decl } });
  }
  for (const plan of policy.casMailboxPlans ?? []) {
    out.push({ kind: 'CasMailboxPlan', name: unique(`cas-mailbox-plan-${slug(plan.identity)}`), inputs: { ...common, plan } });
  }
  for (const server of policy.servers ?? []) {
    // Certificates first: one enabled for POP or IMAP is in use once the services below restart.
    const certificates: { name: string; services: readonly string[] }[] = [];
    for (const certificate of server.certificates ?? []) {
      const name = unique(`${slug(server.name)}-certificate-${slug(certificate.thumbprint)}`);
      certificates.push({ name, services: certificate.services });
      out.push({ kind: 'ExchangeCertificate', name, inputs: { ...common, server: server.name, certificate } });
    }
    for (const protocol of PROTOCOLS) {
      const declared = server[protocol];
      if (!declared) continue;
      let settingsResource: string | undefined;
      if (declared.settings) {
        settingsResource = unique(`${slug(server.name)}-${protocol}-settings`);
        out.push({ kind: SETTINGS_KIND[protocol], name: settingsResource, inputs: { ...common, server: server.name, settings: declared.settings } });
      }
      // A service resource exists whenever settings do: settings only take effect after a restart.
      if (declared.service || declared.settings) {
        const restartSources = certificates.filter((c) => c.services.includes(CERTIFICATE_SERVICE_OF[protocol])).map((c) => c.name);
        out.push({
          kind: 'ProtocolService',
          name: unique(`${slug(server.name)}-${protocol}-service`),
          inputs: { ...common, server: server.name, protocol, service: declared.service ?? {} },
          ...(settingsResource === undefined ? {} : { settingsResource }),
          ...(restartSources.length === 0 ? {} : { restartSources }),
        });
      }
    }
    if (server.smtpClientSubmission) {
      out.push({ kind: 'ReceiveConnector', name: unique(`${slug(server.name)}-client-frontend`), inputs: { ...common, server: server.name, smtpClientSubmission: server.smtpClientSubmission } });
    }
  }
  if (policy.casMailboxes) {
    out.push({ kind: 'CasMailboxProtocol', name: unique('cas-mailboxes'), inputs: { ...common, casMailboxes: policy.casMailboxes } });
  }
  return out;
}

export function refOf(resource: DesiredResource): ResourceRef {
  return { kind: resource.kind, name: resource.name };
}
