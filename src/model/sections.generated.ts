// Generated from src/exchange/catalog.ts by scripts/generate-sections.ts: do not edit.
// Regenerate with `npm run generate`. The catalog says what each setting means and where it comes from.

/** Set-TransportConfig: the parameters the document states, under their model keys. */
export interface TransportConfigPolicy {
  /** Set-TransportConfig -AllowLegacyTLSClients. */
  readonly allowLegacyTLSClients?: boolean;
  /** Set-TransportConfig -SmtpClientAuthenticationDisabled. */
  readonly smtpClientAuthenticationDisabled?: boolean;
}

/** Every TransportConfigPolicy key, in the catalog's order. */
export const TRANSPORT_CONFIG_KEYS = ['allowLegacyTLSClients', 'smtpClientAuthenticationDisabled'] as const satisfies readonly (keyof TransportConfigPolicy)[];

/** Set-CASMailboxPlan: the parameters the document states, under their model keys. */
export interface CasMailboxPlanSettings {
  /** Set-CASMailboxPlan -PopEnabled. */
  readonly popEnabled?: boolean;
  /** Set-CASMailboxPlan -ImapEnabled. */
  readonly imapEnabled?: boolean;
}

/** Every CasMailboxPlanSettings key, in the catalog's order. */
export const CAS_MAILBOX_PLAN_SETTING_KEYS = ['popEnabled', 'imapEnabled'] as const satisfies readonly (keyof CasMailboxPlanSettings)[];

/** Set-ReceiveConnector: the parameters the document states, under their model keys. */
export interface SmtpClientSubmissionPolicy {
  /** Set-ReceiveConnector -Fqdn. */
  readonly fqdn?: string;
  /** Set-ReceiveConnector -TlsCertificateName. */
  readonly tlsCertificateName?: string;
  /** Set-ReceiveConnector -AuthMechanism. */
  readonly authMechanism?: readonly ('None' | 'Tls' | 'Integrated' | 'BasicAuth' | 'BasicAuthRequireTLS' | 'ExchangeServer' | 'ExternalAuthoritative')[];
  /** Set-ReceiveConnector -RequireTLS. */
  readonly requireTLS?: boolean;
  /** Set-ReceiveConnector -Bindings. */
  readonly bindings?: readonly string[];
  /** Set-ReceiveConnector -AdvertiseClientSettings. */
  readonly advertiseClientSettings?: boolean;
  /** Set-ReceiveConnector -ExtendedProtectionPolicy. */
  readonly extendedProtectionPolicy?: 'None' | 'Allow' | 'Require';
}

/** Every SmtpClientSubmissionPolicy key, in the catalog's order. */
export const SMTP_CLIENT_SUBMISSION_KEYS = ['fqdn', 'tlsCertificateName', 'authMechanism', 'requireTLS', 'bindings', 'advertiseClientSettings', 'extendedProtectionPolicy'] as const satisfies readonly (keyof SmtpClientSubmissionPolicy)[];

/** Set-AuthenticationPolicy: the parameters the document states, under their model keys. */
export interface AuthenticationPolicySwitches {
  /** Set-AuthenticationPolicy -AllowBasicAuthPop (exchangeOnline only). */
  readonly allowBasicAuthPop?: boolean;
  /** Set-AuthenticationPolicy -AllowBasicAuthImap (exchangeOnline only). */
  readonly allowBasicAuthImap?: boolean;
  /** Set-AuthenticationPolicy -AllowBasicAuthSmtp (exchangeOnline only). */
  readonly allowBasicAuthSmtp?: boolean;
  /** Set-AuthenticationPolicy -BlockLegacyAuthPop (exchangeServer only). */
  readonly blockLegacyAuthPop?: boolean;
  /** Set-AuthenticationPolicy -BlockLegacyAuthImap (exchangeServer only). */
  readonly blockLegacyAuthImap?: boolean;
  /** Set-AuthenticationPolicy -BlockModernAuthPop (exchangeServer only). */
  readonly blockModernAuthPop?: boolean;
  /** Set-AuthenticationPolicy -BlockModernAuthImap (exchangeServer only). */
  readonly blockModernAuthImap?: boolean;
}

/** Every AuthenticationPolicySwitches key, in the catalog's order. */
export const AUTHENTICATION_POLICY_FLAG_KEYS = ['allowBasicAuthPop', 'allowBasicAuthImap', 'allowBasicAuthSmtp', 'blockLegacyAuthPop', 'blockLegacyAuthImap', 'blockModernAuthPop', 'blockModernAuthImap'] as const satisfies readonly (keyof AuthenticationPolicySwitches)[];
