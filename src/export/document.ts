/**
 * The organisation as read back → a MailPolicy document. Pure: the exporter reads, this module
 * decides what the document says. Only what Exchange reports is written, and only in a form
 * that reads back the same (export, then drift → in sync).
 */
import { CERTIFICATE_SERVICES, certificateNames, type CertificateDecl, type CertificateService } from '../model/certificate';
import type { ConnectionInfo } from '../exchange/types';
import { parameterSpec } from '../exchange/request';
import type {
  AuthenticationPolicyDecl,
  CasMailboxesPolicy,
  CasMailboxPlanDecl,
  MailPolicy,
  Platform,
  Protocol,
  ProtocolPolicy,
  ProtocolSettings,
  ServerPolicy,
  ServicePolicy,
  SmtpClientSubmissionPolicy,
} from '../model/types';
import { AUTHENTICATION_POLICY_FLAG_KEYS, PROTOCOL_SETTING_KEYS, PROTOCOLS, SMTP_CLIENT_SUBMISSION_KEYS } from '../model/types';
import type { ActualAuthenticationPolicies, ActualUser } from '../reconcile/kinds/authentication-policy-read';
import { planBaseName } from '../reconcile/kinds/cas-mailbox-plan';
import type { ActualCasMailboxPlan } from '../reconcile/kinds/cas-mailbox-plan-read';
import type { ActualCertificate } from '../reconcile/kinds/exchange-certificate-read';
import type { ActualProtocolService } from '../reconcile/kinds/protocol-service-read';
import { PROTOCOL_LABEL } from '../reconcile/kinds/protocol-settings';
import type { ActualProtocolSettings } from '../reconcile/kinds/protocol-settings-read';
import type { ActualReceiveConnector } from '../reconcile/kinds/receive-connector-read';
import type { ActualTransportConfig } from '../reconcile/kinds/transport-config-read';

export interface ActualServer {
  readonly name: string;
  readonly protocols: Readonly<Partial<Record<Protocol, { readonly settings: ActualProtocolSettings; readonly service: ActualProtocolService }>>>;
  /** The server's Client Frontend receive connector (authenticated SMTP for POP3/IMAP4 clients). */
  readonly clientFrontend?: ActualReceiveConnector;
  /** Get-ExchangeCertificate -Server: exported are those enabled for a service. */
  readonly certificates?: readonly ActualCertificate[];
}

/** The server's certificates that are enabled for some service, with those services (as servers[].certificates). */
function certificateDecls(actual: readonly ActualCertificate[]): CertificateDecl[] {
  const known = (s: string): s is CertificateService => (CERTIFICATE_SERVICES as readonly string[]).includes(s);
  return actual
    .map((c) => ({ thumbprint: c.thumbprint, services: c.services.filter(known), certificateDomains: certificateNames(c), ...(c.notAfter === null ? {} : { notAfter: c.notAfter.slice(0, 10) }) }))
    .filter((c) => c.services.length > 0);
}

/** Everything the exporter read; sections that do not exist on the platform are undefined. */
export interface OrganisationSnapshot {
  readonly connection: ConnectionInfo;
  readonly transportConfig?: ActualTransportConfig;
  readonly authenticationPolicies?: ActualAuthenticationPolicies;
  /** The users with an authentication policy assigned (Get-User), exported as each policy's assignedTo. */
  readonly policyAssignments?: readonly ActualUser[];
  readonly casMailboxPlans?: readonly ActualCasMailboxPlan[];
  readonly casMailboxes?: CasMailboxesPolicy;
  readonly servers?: readonly ActualServer[];
  /** Exchange Server: the lowest build Get-ExchangeServer reported (only when the servers were listed, not named). */
  readonly minimumServerVersion?: string;
}

export interface ExportedDocument {
  readonly policy: MailPolicy;
  /** What the document leaves unmanaged and why (the exporter prints these on stderr). */
  readonly warnings: readonly string[];
}

/** A metadata name from the organisation: `contoso.onmicrosoft.com` → `contoso`. */
export function documentName(organization: string): string {
  const first = organization.toLowerCase().split('.')[0] ?? '';
  const slug = first.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'organisation' : slug;
}

/** Each policy with its platform's switches (the catalog says which), whether it is the default, and the users assigned it. */
function authenticationPolicies(actual: ActualAuthenticationPolicies, platform: Platform, assignments: readonly ActualUser[]): AuthenticationPolicyDecl[] {
  const defaultName = actual.defaultPolicy?.toLowerCase();
  return actual.policies.map((p) => {
    const decl: Record<string, unknown> = { name: p.name };
    for (const key of AUTHENTICATION_POLICY_FLAG_KEYS) {
      if (parameterSpec('Set-AuthenticationPolicy', key).spec.platforms?.includes(platform) !== false) decl[key] = p[key] === true;
    }
    if (p.name.toLowerCase() === defaultName) decl.default = true;
    const users = assignments.filter((u) => u.authenticationPolicy?.toLowerCase() === p.name.toLowerCase()).map((u) => u.userPrincipalName ?? u.identity);
    if (users.length > 0) decl.assignedTo = users;
    return decl as unknown as AuthenticationPolicyDecl;
  });
}

/**
 * Plans by the name the YAML uses (without the GUID suffix). Two plans sharing a base name with
 * different values cannot share one declaration: those keep their full identity.
 */
function casMailboxPlans(actual: readonly ActualCasMailboxPlan[]): CasMailboxPlanDecl[] {
  const byBase = new Map<string, ActualCasMailboxPlan[]>();
  for (const plan of actual) {
    const base = planBaseName(plan.identity);
    const group = byBase.get(base.toLowerCase());
    if (group) group.push(plan);
    else byBase.set(base.toLowerCase(), [plan]);
  }
  const out: CasMailboxPlanDecl[] = [];
  for (const group of byBase.values()) {
    const [first] = group as [ActualCasMailboxPlan, ...ActualCasMailboxPlan[]];
    const uniform = group.every((p) => p.popEnabled === first.popEnabled && p.imapEnabled === first.imapEnabled);
    const members = uniform ? [first] : group;
    for (const plan of members) {
      out.push({ identity: uniform ? planBaseName(plan.identity) : plan.identity, popEnabled: plan.popEnabled, imapEnabled: plan.imapEnabled });
    }
  }
  return out;
}

function protocolSettings(actual: ActualProtocolSettings): ProtocolSettings {
  const out: Record<string, unknown> = {};
  for (const key of PROTOCOL_SETTING_KEYS) {
    const value = actual[key];
    // No certificate name reads back as null: leave it unmanaged rather than declare "none".
    // A setting the other protocol only has is absent.
    if (value === null || value === undefined) continue;
    // Connection settings arrive with the encryption in capitals: the catalog's readBack spells them as the model does.
    out[key] = value;
  }
  return out as ProtocolSettings;
}

/** Front end and back end move together: a setting on which they disagree stays unmanaged. */
function servicePolicy(label: string, actual: ActualProtocolService, warnings: string[]): ServicePolicy {
  const { frontEnd, backEnd } = actual;
  const out: { startupType?: ServicePolicy['startupType']; state?: ServicePolicy['state'] } = {};
  if (frontEnd.startupType === backEnd.startupType) out.startupType = frontEnd.startupType;
  else warnings.push(`${label}: ${frontEnd.name} starts ${frontEnd.startupType}, ${backEnd.name} ${backEnd.startupType}: startupType left unmanaged`);
  if (frontEnd.state === backEnd.state) out.state = frontEnd.state;
  else warnings.push(`${label}: ${frontEnd.name} is ${frontEnd.state}, ${backEnd.name} ${backEnd.state}: state left unmanaged`);
  return out;
}

/** The connector's settings; no certificate name (null) stays unmanaged rather than declared "none". */
function smtpClientSubmission(actual: ActualReceiveConnector, warnings: string[]): SmtpClientSubmissionPolicy | undefined {
  if (actual.settings === null) {
    warnings.push(`${actual.server} has no receive connector "${actual.name}": smtpClientSubmission left out`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const key of SMTP_CLIENT_SUBMISSION_KEYS) if (actual.settings[key] !== null) out[key] = actual.settings[key];
  return out as SmtpClientSubmissionPolicy;
}

function servers(actual: readonly ActualServer[], warnings: string[]): ServerPolicy[] {
  return actual.map((server) => {
    const out: { name: string; pop3?: ProtocolPolicy; imap4?: ProtocolPolicy; certificates?: CertificateDecl[]; smtpClientSubmission?: SmtpClientSubmissionPolicy } = { name: server.name };
    const certificates = certificateDecls(server.certificates ?? []);
    if (certificates.length > 0) out.certificates = certificates;
    for (const protocol of PROTOCOLS) {
      const read = server.protocols[protocol];
      if (!read) continue;
      out[protocol] = {
        service: servicePolicy(`${server.name} ${PROTOCOL_LABEL[protocol]}`, read.service, warnings),
        settings: protocolSettings(read.settings),
      };
    }
    const submission = server.clientFrontend ? smtpClientSubmission(server.clientFrontend, warnings) : undefined;
    if (submission) out.smtpClientSubmission = submission;
    return out;
  });
}

export function exportDocument(actual: OrganisationSnapshot): ExportedDocument {
  const warnings: string[] = [];
  const { connection } = actual;
  const policy: {
    -readonly [K in keyof MailPolicy]: MailPolicy[K];
  } = {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: {
      name: documentName(connection.organization),
      description: `Exported by mailpolicy export from ${connection.organization}.`,
    },
    target: {
      platform: connection.platform,
      ...(connection.platform === 'exchangeOnline' ? { cloud: connection.cloud ?? 'worldwide' } : {}),
      organization: connection.organization,
      ...(connection.platform === 'exchangeServer' && actual.minimumServerVersion !== undefined ? { minimumServerVersion: actual.minimumServerVersion } : {}),
    },
  };
  if (actual.transportConfig) {
    policy.transportConfig = {
      allowLegacyTLSClients: actual.transportConfig.allowLegacyTLSClients,
      smtpClientAuthenticationDisabled: actual.transportConfig.smtpClientAuthenticationDisabled,
    };
  }
  if (actual.authenticationPolicies && actual.authenticationPolicies.policies.length > 0) {
    policy.authenticationPolicies = authenticationPolicies(actual.authenticationPolicies, connection.platform, actual.policyAssignments ?? []);
  }
  if (actual.casMailboxPlans && actual.casMailboxPlans.length > 0) policy.casMailboxPlans = casMailboxPlans(actual.casMailboxPlans);
  if (actual.casMailboxes) policy.casMailboxes = actual.casMailboxes;
  if (actual.servers && actual.servers.length > 0) policy.servers = servers(actual.servers, warnings);
  return { policy, warnings };
}
