/**
 * Exchange's own defaults (docs/exchange-facts.md), stated once: what a new tenant, mailbox, plan or server
 * has before anyone changes it. The simulator creates organisations from them; the planner
 * restores them (`restoreDefaultsOnDelete`); the export treats them as the usual mailbox value.
 */
import { forProtocol, modelKey, PROTOCOL_SETTINGS_OF, RECEIVE_CONNECTOR_SETTINGS, type CasMailboxOption, type ModelKey, type SettingSpec } from './catalog';
import type { CasMailboxOptions, CasMailboxPlanDecl, CasMailboxSettings, Protocol, ProtocolSettings, ServicePolicy, SmtpClientSubmissionPolicy } from '../model/types';

/**
 * TransportConfig of a new tenant: AllowLegacyTLSClients is `$null` (reads back as off).
 * SmtpClientAuthenticationDisabled is `$true` only for tenants created after January 2020
 * (Set-TransportConfig reference, -SmtpClientAuthenticationDisabled): what a new tenant has,
 * not a default an older tenant can be "restored" to (see RESTORABLE_TRANSPORT_CONFIG_DEFAULTS).
 */
export const TRANSPORT_CONFIG_DEFAULTS: { readonly allowLegacyTLSClients: boolean | null; readonly smtpClientAuthenticationDisabled: boolean } = {
  allowLegacyTLSClients: null,
  smtpClientAuthenticationDisabled: true,
};

/** The TransportConfig defaults that hold for every tenant, whatever its age: the ones restore may write. */
export const RESTORABLE_TRANSPORT_CONFIG_DEFAULTS: { readonly allowLegacyTLSClients: boolean | null } = {
  allowLegacyTLSClients: TRANSPORT_CONFIG_DEFAULTS.allowLegacyTLSClients,
};

/**
 * A new mailbox's POP3/IMAP4 options (Set-CASMailbox.md, each parameter's "This value is the
 * default"): protocol defaults on, BestBodyFormat, meeting requests as links, two read receipts,
 * estimated message sizes.
 */
export const MAILBOX_OPTION_DEFAULTS: Readonly<Record<CasMailboxOption, boolean | string>> = {
  PopUseProtocolDefaults: true,
  PopMessagesRetrievalMimeFormat: 'BestBodyFormat',
  PopForceICalForCalendarRetrievalOption: false,
  PopSuppressReadReceipt: false,
  PopEnableExactRFC822Size: false,
  ImapUseProtocolDefaults: true,
  ImapMessagesRetrievalMimeFormat: 'BestBodyFormat',
  ImapForceICalForCalendarRetrievalOption: false,
  ImapSuppressReadReceipt: false,
  ImapEnableExactRFC822Size: false,
};

/** The model's option keys are the catalog's options, first letter lowercased: a compile error here when the two part. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const OPTION_KEYS_MATCH_CATALOG: Same<ModelKey<CasMailboxOption>, keyof CasMailboxOptions> = true;
void OPTION_KEYS_MATCH_CATALOG;

/** A new mailbox: POP and IMAP on, SMTP AUTH inheriting the organisation's setting, and the options above. */
export const MAILBOX_DEFAULTS = {
  popEnabled: true,
  imapEnabled: true,
  smtpClientAuthenticationDisabled: null,
  ...Object.fromEntries(Object.entries(MAILBOX_OPTION_DEFAULTS).map(([name, value]) => [modelKey(name), value])),
} as Readonly<Required<CasMailboxSettings>>;

export type CasMailboxPlanDefaults = Readonly<Required<Pick<CasMailboxPlanDecl, 'popEnabled' | 'imapEnabled'>>>;

/**
 * A CAS mailbox plan of a new tenant, by plan name (with or without its GUID suffix): POP on for
 * every plan, IMAP on for every plan except ExchangeOnlineDeskless (Set-CASMailboxPlan reference,
 * -ImapEnabled: "The default value is $true for all CAS mailbox plans except
 * ExchangeOnlineDeskless, where the default value is $false").
 */
export function casMailboxPlanDefaults(plan: string): CasMailboxPlanDefaults {
  const deskless = /^ExchangeOnlineDeskless(-|$)/i.test(plan);
  return { popEnabled: true, imapEnabled: !deskless };
}

/** POP3/IMAP4 front-end and back-end services of a new Exchange server. */
export const SERVICE_DEFAULTS: Readonly<Required<ServicePolicy>> = { startupType: 'Manual', state: 'Stopped' };

/** Each protocol's standard ports: implicit TLS (`ssl`) and plain text or STARTTLS (`plain`). */
export const PROTOCOL_PORTS: Readonly<Record<Protocol, { readonly ssl: number; readonly plain: number }>> = {
  pop3: { ssl: 995, plain: 110 },
  imap4: { ssl: 993, plain: 143 },
};

/**
 * Set-PopSettings / Set-ImapSettings defaults that do not depend on the server: each setting's
 * documented default in the catalog (`doc.default`, from Microsoft's reference). Settings without
 * one (InternalConnectionSettings and X509CertificateName name the server; LogFileLocation depends
 * on the installation; OwaServerUrl has none documented) are left out: restore leaves them alone.
 */
export function protocolSettingDefaults(protocol: Protocol): ProtocolSettings {
  const out: Record<string, unknown> = {};
  for (const [parameter, spec] of Object.entries(PROTOCOL_SETTINGS_OF[protocol])) {
    if (spec.doc.default !== undefined) out[modelKey(parameter)] = forProtocol(spec.doc.default, protocol);
  }
  return out as ProtocolSettings;
}

/** The defaults that name the server: its FQDN on both standard ports, and as the certificate name. */
export function serverProtocolSettingDefaults(protocol: Protocol, fqdn: string): Required<Pick<ProtocolSettings, 'internalConnectionSettings' | 'x509CertificateName' | 'logFileLocation'>> {
  const { ssl, plain } = PROTOCOL_PORTS[protocol];
  return {
    internalConnectionSettings: [`${fqdn}:${ssl}:SSL`, `${fqdn}:${plain}:TLS`],
    // Unverified: Exchange shows the server's FQDN here on a new server.
    x509CertificateName: fqdn,
    // The reference: %ExchangeInstallPath%Logging\Pop3 (\Imap4); the install path is Setup's default (unverified).
    logFileLocation: `C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\${protocol === 'pop3' ? 'Pop3' : 'Imap4'}`,
  };
}

/**
 * The default receive connector POP3 and IMAP4 clients send through: "Client Frontend <Server>"
 * (the Receive connectors page, learn.microsoft.com/exchange/mail-flow/connectors/receive-connectors;
 * Configure authenticated SMTP settings for POP3 and IMAP4 clients uses `-Identity "Client
 * Frontend Mailbox01"`). Set-ReceiveConnector.md accepts the name as -Identity. A server named by
 * its FQDN: the name carries the computer name, its first label (unverified: no page says how a
 * server with a longer NetBIOS name is named here).
 */
export function clientFrontendConnectorName(server: string): string {
  return `Client Frontend ${server.split('.')[0] ?? server}`;
}

/** Client Frontend's port (the Receive connectors page: port 587, for authenticated SMTP submission with STARTTLS). */
export const CLIENT_SUBMISSION_PORT = 587;

/** The defaults a table of settings documents (`doc.default`, from Microsoft's reference), under their model keys. */
function documentedDefaults(settings: Readonly<Record<string, SettingSpec>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).flatMap(([parameter, spec]) => (spec.doc.default === undefined ? [] : [[modelKey(parameter), spec.doc.default]])));
}

/**
 * Client Frontend on a new server, the settings that do not depend on the server: AuthMechanism
 * Tls, Integrated, BasicAuth, BasicAuthRequireTLS and bindings [::]:587, 0.0.0.0:587 (Receive
 * connectors page: Client Frontend's own), and every Set-ReceiveConnector default the catalog
 * documents (RequireTLS and AdvertiseClientSettings false, ExtendedProtectionPolicy None:
 * Set-ReceiveConnector.md, "This value is the default").
 */
export const CLIENT_FRONTEND_DEFAULTS: Readonly<SmtpClientSubmissionPolicy & Required<Pick<SmtpClientSubmissionPolicy, 'authMechanism' | 'bindings'>>> = {
  ...(documentedDefaults(RECEIVE_CONNECTOR_SETTINGS) as SmtpClientSubmissionPolicy),
  authMechanism: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS'],
  bindings: [`[::]:${CLIENT_SUBMISSION_PORT}`, `0.0.0.0:${CLIENT_SUBMISSION_PORT}`],
};
