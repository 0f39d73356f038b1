/**
 * The resource kinds: what the Pulumi program declares, the planner plans, `mailpolicy plan`
 * groups changes by and the policy pack reads, as one list with each kind's inputs and the slice
 * of the organisation it is planned against. Inputs carry the model's own types, so rules
 * written over the model can run on them. Each kind's behaviour is its module in this folder,
 * listed once in registry.ts.
 */
import type { ActualCasMailboxes } from '../../exchange/types';
import type { ActualAuthenticationPolicies, AuthenticationPolicyPart } from './authentication-policy-read';
import type { ActualCasMailboxPlan, CasMailboxPlanPart } from './cas-mailbox-plan-read';
import type { ActualServerCertificates, ExchangeCertificatePart } from './exchange-certificate-read';
import type { ActualProtocolService, ProtocolServicePart } from './protocol-service-read';
import type { ActualProtocolSettings, ProtocolSettingsPart } from './protocol-settings-read';
import type { ActualReceiveConnector, ReceiveConnectorPart } from './receive-connector-read';
import type { ActualTransportConfig, TransportConfigPart } from './transport-config-read';
import type { CertificateDecl } from '../../model/certificate';
import type {
  AuthenticationPolicyDecl,
  CasMailboxesPolicy,
  CasMailboxPlanDecl,
  Protocol,
  ProtocolSettings,
  ServicePolicy,
  SmtpClientSubmissionPolicy,
  Target,
  TransportConfigPolicy,
} from '../../model/types';

export const RESOURCE_KINDS = [
  'TransportConfig',
  'AuthenticationPolicy',
  'CasMailboxPlan',
  'PopSettings',
  'ImapSettings',
  'ProtocolService',
  'CasMailboxProtocol',
  'ExchangeCertificate',
  'ReceiveConnector',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Inputs every resource has. */
export interface CommonInputs {
  /** The organisation the YAML declares; the provider also checks the connected one. */
  readonly target: Target;
  /**
   * What delete does (destroy, or removal from the document): put Exchange's defaults back, or
   * (false or absent) leave the organisation as it is. An input, like `forceDestroy` of Pulumi's
   * AWS buckets, so a change shows in the preview and delete follows the last `up` (issue 17).
   */
  readonly restoreDefaultsOnDelete?: boolean;
}

export interface TransportConfigInputs extends CommonInputs {
  readonly transportConfig: TransportConfigPolicy;
}

export interface AuthenticationPolicyInputs extends CommonInputs {
  readonly policy: AuthenticationPolicyDecl;
}

export interface CasMailboxPlanInputs extends CommonInputs {
  readonly plan: CasMailboxPlanDecl;
}

/** PopSettings (protocol pop3) and ImapSettings (protocol imap4). */
export interface ProtocolSettingsInputs extends CommonInputs {
  readonly server: string;
  readonly settings: ProtocolSettings;
}

export interface ProtocolServiceInputs extends CommonInputs {
  readonly server: string;
  readonly protocol: Protocol;
  readonly service: ServicePolicy;
  /**
   * Output of the matching settings resource that changes exactly when it applied a settings
   * change: a change here makes this resource restart the (running) services.
   */
  readonly settingsChangeId?: string;
}

export interface CasMailboxProtocolInputs extends CommonInputs {
  readonly casMailboxes: CasMailboxesPolicy;
}

/** One certificate on one server and the services it must be enabled for (Enable-ExchangeCertificate). */
export interface ExchangeCertificateInputs extends CommonInputs {
  readonly server: string;
  readonly certificate: CertificateDecl;
}

/** A server's Client Frontend receive connector (authenticated SMTP for POP3/IMAP4 clients). */
export interface ReceiveConnectorInputs extends CommonInputs {
  readonly server: string;
  readonly smtpClientSubmission: SmtpClientSubmissionPolicy;
}

export interface ResourceInputsByKind {
  readonly TransportConfig: TransportConfigInputs;
  readonly AuthenticationPolicy: AuthenticationPolicyInputs;
  readonly CasMailboxPlan: CasMailboxPlanInputs;
  readonly PopSettings: ProtocolSettingsInputs;
  readonly ImapSettings: ProtocolSettingsInputs;
  readonly ProtocolService: ProtocolServiceInputs;
  readonly CasMailboxProtocol: CasMailboxProtocolInputs;
  readonly ExchangeCertificate: ExchangeCertificateInputs;
  readonly ReceiveConnector: ReceiveConnectorInputs;
}

/** What each resource kind needs to know about the organisation. */
export interface ActualByKind {
  readonly TransportConfig: ActualTransportConfig;
  readonly AuthenticationPolicy: ActualAuthenticationPolicies;
  readonly CasMailboxPlan: readonly ActualCasMailboxPlan[];
  readonly PopSettings: ActualProtocolSettings;
  readonly ImapSettings: ActualProtocolSettings;
  readonly ProtocolService: ActualProtocolService;
  readonly CasMailboxProtocol: ActualCasMailboxes;
  readonly ExchangeCertificate: ActualServerCertificates;
  readonly ReceiveConnector: ActualReceiveConnector;
}

/**
 * Each kind's part of the organisation as read (what its module's `read` returns), declared
 * with its read-back (`<kind>-read.ts`); ActualOrganisation (src/reconcile/actual.ts) is all of
 * them. PopSettings and ImapSettings share one map.
 */
export interface ActualPartByKind {
  readonly TransportConfig: TransportConfigPart;
  readonly AuthenticationPolicy: AuthenticationPolicyPart;
  readonly CasMailboxPlan: CasMailboxPlanPart;
  readonly PopSettings: ProtocolSettingsPart;
  readonly ImapSettings: ProtocolSettingsPart;
  readonly ProtocolService: ProtocolServicePart;
  /** The mailboxes' read is shared with export and stays in src/exchange/reader.ts. */
  readonly CasMailboxProtocol: { readonly casMailboxes?: ActualCasMailboxes };
  readonly ExchangeCertificate: ExchangeCertificatePart;
  readonly ReceiveConnector: ReceiveConnectorPart;
}
