/**
 * The normalised MailPolicy model: the only shape later layers (reconcile, rules, drift,
 * providers) read. Produced by the loader from a validated YAML document. Every object is
 * deeply frozen. An absent (undefined) property means "not managed: leave Exchange as it is";
 * `null` appears only where the schema gives it a meaning (SMTP AUTH per mailbox: inherit).
 *
 * Property names are the Exchange parameter names with the first letter lowercased, so the
 * cmdlet catalog can map them one to one.
 */

export const PLATFORMS = ['exchangeOnline', 'exchangeServer'] as const;
export type Platform = (typeof PLATFORMS)[number];

// The clouds and their facts: one record per cloud in ./clouds (the model's public face re-exports the list).
import type { Cloud } from './clouds';
import type { CertificateDecl } from './certificate';
import type { AuthenticationPolicySwitches, CasMailboxPlanSettings, SmtpClientSubmissionPolicy, TransportConfigPolicy } from './sections.generated';
import { AUTHENTICATION_POLICY_FLAG_KEYS, CAS_MAILBOX_PLAN_SETTING_KEYS } from './sections.generated';
export { CLOUDS, US_GOVERNMENT_CLOUDS, type Cloud } from './clouds';

export const PROTOCOLS = ['pop3', 'imap4'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const STARTUP_TYPES = ['Automatic', 'Manual', 'Disabled'] as const;
export type StartupType = (typeof STARTUP_TYPES)[number];

export const SERVICE_STATES = ['Running', 'Stopped'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

export const LOGIN_TYPES = ['PlainTextLogin', 'PlainTextAuthentication', 'SecureLogin'] as const;
export type LoginType = (typeof LOGIN_TYPES)[number];

/** Extended Protection for Authentication of POP3/IMAP4 (Set-PopSettings / Set-ImapSettings -ExtendedProtectionPolicy). */
export const EXTENDED_PROTECTION_POLICIES = ['None', 'Allow', 'Require'] as const;
export type ExtendedProtectionPolicy = (typeof EXTENDED_PROTECTION_POLICIES)[number];

/** A position in a source file, 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Metadata {
  readonly name: string;
  readonly description?: string;
}

export const METADATA_KEYS = ['name', 'description'] as const satisfies readonly (keyof Metadata)[];

export interface Target {
  readonly platform: Platform;
  /** Always set for exchangeOnline; undefined for exchangeServer. */
  readonly cloud?: Cloud;
  readonly organization: string;
  /**
   * exchangeServer only: the lowest build the servers should run (`15.2.2562.17`), compared with
   * each server's AdminDisplayVersion by drift and judged by rule MP-SRV-006. Never sent to Exchange.
   */
  readonly minimumServerVersion?: string;
}

// The settings of transportConfig, casMailboxPlans[], smtpClientSubmission and the authentication
// policy switches are generated from the cmdlet catalog (npm run generate): Set-TransportConfig
// (Exchange Online) is TransportConfigPolicy whole.
export type { AuthenticationPolicySwitches, CasMailboxPlanSettings, SmtpClientSubmissionPolicy, TransportConfigPolicy } from './sections.generated';
export { AUTHENTICATION_POLICY_FLAG_KEYS, CAS_MAILBOX_PLAN_SETTING_KEYS, SMTP_CLIENT_SUBMISSION_KEYS, TRANSPORT_CONFIG_KEYS } from './sections.generated';

/**
 * New-/Set-AuthenticationPolicy; `default` maps to Set-OrganizationConfig -DefaultAuthenticationPolicy,
 * `assignedTo` to Set-User -AuthenticationPolicy. allowBasicAuth* are Exchange Online switches,
 * blockLegacyAuth* / blockModernAuth* Exchange Server 2019/SE ones (New-AuthenticationPolicy.md).
 */
export interface AuthenticationPolicyDecl extends AuthenticationPolicySwitches {
  readonly name: string;
  /** true: this policy must be the organisation default; false: it must not be; absent: not managed. */
  readonly default?: boolean;
  /** Users this policy is assigned to (Set-User -Identity … -AuthenticationPolicy); users not listed anywhere are not managed. */
  readonly assignedTo?: readonly string[];
  /** Exchange Online: with every assignment (and policy change) this plan makes, Set-User -StsRefreshTokensValidFrom <now> for the listed users. */
  readonly stsRefreshTokensValidFromNow?: boolean;
}

export const AUTHENTICATION_POLICY_KEYS = ['name', ...AUTHENTICATION_POLICY_FLAG_KEYS, 'default', 'assignedTo', 'stsRefreshTokensValidFromNow'] as const satisfies readonly (keyof AuthenticationPolicyDecl)[];

/** Set-CASMailboxPlan: its identity and the protocol settings it changes (generated). */
export interface CasMailboxPlanDecl extends CasMailboxPlanSettings {
  readonly identity: string;
}

export const CAS_MAILBOX_PLAN_KEYS = ['identity', ...CAS_MAILBOX_PLAN_SETTING_KEYS] as const satisfies readonly (keyof CasMailboxPlanDecl)[];

/** Set-CASMailbox -PopMessagesRetrievalMimeFormat / -ImapMessagesRetrievalMimeFormat (MimeTextFormat). */
export type MimeTextFormat = 'TextOnly' | 'HtmlOnly' | 'HtmlAndTextAlternative' | 'TextEnrichedOnly' | 'TextEnrichedAndTextAlternative' | 'BestBodyFormat' | 'Tnef';

/**
 * Set-CASMailbox's per-mailbox POP3/IMAP4 options (the catalog's CAS_MAILBOX_OPTIONS under their
 * model keys; src/exchange/defaults.ts checks the two agree at compile time). Each option
 * applies only while its protocol's *UseProtocolDefaults is false (Set-CASMailbox.md): validate
 * enforces it (semantic-checks.ts). *EnableExactRFC822Size is Exchange Server only.
 */
export interface CasMailboxOptions {
  readonly popUseProtocolDefaults?: boolean;
  readonly popMessagesRetrievalMimeFormat?: MimeTextFormat;
  readonly popForceICalForCalendarRetrievalOption?: boolean;
  readonly popSuppressReadReceipt?: boolean;
  readonly popEnableExactRFC822Size?: boolean;
  readonly imapUseProtocolDefaults?: boolean;
  readonly imapMessagesRetrievalMimeFormat?: MimeTextFormat;
  readonly imapForceICalForCalendarRetrievalOption?: boolean;
  readonly imapSuppressReadReceipt?: boolean;
  readonly imapEnableExactRFC822Size?: boolean;
}

/** Per protocol: its *UseProtocolDefaults key and the option keys that apply only when it is false. */
export const CAS_MAILBOX_OPTION_GROUPS = [
  { useProtocolDefaults: 'popUseProtocolDefaults', options: ['popMessagesRetrievalMimeFormat', 'popForceICalForCalendarRetrievalOption', 'popSuppressReadReceipt', 'popEnableExactRFC822Size'] },
  { useProtocolDefaults: 'imapUseProtocolDefaults', options: ['imapMessagesRetrievalMimeFormat', 'imapForceICalForCalendarRetrievalOption', 'imapSuppressReadReceipt', 'imapEnableExactRFC822Size'] },
] as const satisfies readonly { readonly useProtocolDefaults: keyof CasMailboxOptions; readonly options: readonly (keyof CasMailboxOptions)[] }[];

export const CAS_MAILBOX_OPTION_KEYS = CAS_MAILBOX_OPTION_GROUPS.flatMap((g) => [g.useProtocolDefaults, ...g.options]) as readonly (keyof CasMailboxOptions)[];

/** Set-CASMailbox protocol settings. */
export interface CasMailboxSettings extends CasMailboxOptions {
  readonly popEnabled?: boolean;
  readonly imapEnabled?: boolean;
  /** Exchange Online only. null = inherit the org-wide TransportConfig value. */
  readonly smtpClientAuthenticationDisabled?: boolean | null;
}

/** The settings every mailbox read carries (the options are read only when the document declares one). */
export const CAS_MAILBOX_ACCESS_KEYS = ['popEnabled', 'imapEnabled', 'smtpClientAuthenticationDisabled'] as const satisfies readonly (keyof CasMailboxSettings)[];

export const CAS_MAILBOX_SETTING_KEYS = [...CAS_MAILBOX_ACCESS_KEYS, ...CAS_MAILBOX_OPTION_KEYS] as readonly (keyof CasMailboxSettings)[];

export interface CasMailboxException extends CasMailboxSettings {
  readonly identities: readonly string[];
}

/**
 * One rule for all mailboxes (`default`) plus exceptions. Exceptions that name one mailbox (in
 * any form Exchange's -Identity accepts) must agree on every key both set: the planner refuses
 * a contradiction (ExceptionConflictError).
 */
export interface CasMailboxesPolicy {
  readonly default?: CasMailboxSettings;
  readonly exceptions: readonly CasMailboxException[];
}

/** Windows services of one protocol on one server: front end and back end move together. */
export interface ServicePolicy {
  readonly startupType?: StartupType;
  readonly state?: ServiceState;
}

export const SERVICE_KEYS = ['startupType', 'state'] as const satisfies readonly (keyof ServicePolicy)[];

/**
 * Set-PopSettings / Set-ImapSettings -Server <name>: the settings, their keys and which are
 * TimeSpans or sizes are generated from the cmdlet catalog (src/exchange/catalog.ts), where each
 * setting is stated once (`npm run generate`).
 */
import type { ProtocolSettings } from './protocol-settings.generated';
export type { ProtocolSettings } from './protocol-settings.generated';
export { BYTE_QUANTITY_SETTING_KEYS, PROTOCOL_ONLY_SETTING_KEYS, PROTOCOL_SETTING_KEYS, TIMEOUT_SETTING_KEYS } from './protocol-settings.generated';

/**
 * Receive connector authentication mechanisms (Set-ReceiveConnector -AuthMechanism, a flags enum:
 * several values at once). Set-ReceiveConnector.md lists these values and their combination rules
 * (src/model/auth-mechanism.ts).
 */
export const AUTH_MECHANISMS = ['None', 'Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS', 'ExchangeServer', 'ExternalAuthoritative'] as const;
export type AuthMechanism = (typeof AUTH_MECHANISMS)[number];

/**
 * Authenticated SMTP for POP3/IMAP4 clients: Set-ReceiveConnector on the server's default
 * "Client Frontend <Server>" connector (port 587). `tlsCertificateName` is the literal
 * `<I>issuer<S>subject` Exchange stores (docs/schema.md says why it is not derived from a thumbprint).
 */

export interface ProtocolPolicy {
  readonly service?: ServicePolicy;
  readonly settings?: ProtocolSettings;
}

export interface ServerPolicy {
  readonly name: string;
  readonly pop3?: ProtocolPolicy;
  readonly imap4?: ProtocolPolicy;
  /** Enable-ExchangeCertificate -Server: certificates and the services each must be enabled for (./certificate.ts). */
  readonly certificates?: readonly CertificateDecl[];
  /** The server's "Client Frontend <Server>" receive connector (Set-ReceiveConnector). */
  readonly smtpClientSubmission?: SmtpClientSubmissionPolicy;
}

/** An accepted exception to a policy rule (used by src/rules). */
export interface Waiver {
  readonly rule: string;
  readonly reason: string;
  /** ISO date YYYY-MM-DD; the waiver is void from the day after. */
  readonly expires: string;
  /** Optional narrowing, e.g. a mailbox identity or server name; absent = the whole document. */
  readonly scope?: string;
}

export const WAIVER_KEYS = ['rule', 'reason', 'expires', 'scope'] as const satisfies readonly (keyof Waiver)[];

/** JSON pointer (RFC 6901) into the document, e.g. `/transportConfig/allowLegacyTLSClients`. */
export type JsonPointer = string;

export interface MailPolicy {
  readonly apiVersion: 'mailpolicy/v1';
  readonly kind: 'MailPolicy';
  readonly metadata: Metadata;
  readonly target: Target;
  readonly transportConfig?: TransportConfigPolicy;
  readonly authenticationPolicies?: readonly AuthenticationPolicyDecl[];
  readonly casMailboxPlans?: readonly CasMailboxPlanDecl[];
  readonly casMailboxes?: CasMailboxesPolicy;
  readonly servers?: readonly ServerPolicy[];
  readonly waivers?: readonly Waiver[];
}

/**
 * A loaded document: the model plus where each part came from, so every later report
 * (validation, rules, drift) can point at `FILE:LINE:COL`.
 */
export interface LoadedPolicy {
  readonly file: string;
  readonly policy: MailPolicy;
  /** Location of the node at a JSON pointer, or of its nearest ancestor that exists. */
  locate(pointer: JsonPointer): SourceLocation;
}
