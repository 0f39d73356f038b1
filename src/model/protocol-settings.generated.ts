// Generated from src/exchange/catalog.ts by scripts/generate-protocol-settings.ts: do not edit.
// Regenerate with `npm run generate`. The catalog says what each setting means and where it comes from.

/** Set-PopSettings / Set-ImapSettings -Server <name>: the parameters under their model keys. */
export interface ProtocolSettings {
  /** Set-PopSettings -ExternalConnectionSettings / Set-ImapSettings -ExternalConnectionSettings. */
  readonly externalConnectionSettings?: readonly string[];
  /** Set-PopSettings -InternalConnectionSettings / Set-ImapSettings -InternalConnectionSettings. */
  readonly internalConnectionSettings?: readonly string[];
  /** Set-PopSettings -X509CertificateName / Set-ImapSettings -X509CertificateName. */
  readonly x509CertificateName?: string;
  /** Set-PopSettings -SSLBindings / Set-ImapSettings -SSLBindings. */
  readonly sslBindings?: readonly string[];
  /** Set-PopSettings -UnencryptedOrTLSBindings / Set-ImapSettings -UnencryptedOrTLSBindings. */
  readonly unencryptedOrTLSBindings?: readonly string[];
  /** Set-PopSettings -LoginType / Set-ImapSettings -LoginType. */
  readonly loginType?: 'PlainTextLogin' | 'PlainTextAuthentication' | 'SecureLogin';
  /** Set-PopSettings -ProtocolLogEnabled / Set-ImapSettings -ProtocolLogEnabled. */
  readonly protocolLogEnabled?: boolean;
  /** Set-PopSettings -MaxConnections / Set-ImapSettings -MaxConnections. */
  readonly maxConnections?: number;
  /** Set-PopSettings -MaxConnectionsPerUser / Set-ImapSettings -MaxConnectionsPerUser. */
  readonly maxConnectionsPerUser?: number;
  /** Set-PopSettings -MaxConnectionFromSingleIP / Set-ImapSettings -MaxConnectionFromSingleIP. */
  readonly maxConnectionFromSingleIP?: number;
  /** Set-PopSettings -AuthenticatedConnectionTimeout / Set-ImapSettings -AuthenticatedConnectionTimeout. */
  readonly authenticatedConnectionTimeout?: string;
  /** Set-PopSettings -PreAuthenticatedConnectionTimeout / Set-ImapSettings -PreAuthenticatedConnectionTimeout. */
  readonly preAuthenticatedConnectionTimeout?: string;
  /** Set-PopSettings -EnableGSSAPIAndNTLMAuth / Set-ImapSettings -EnableGSSAPIAndNTLMAuth. */
  readonly enableGSSAPIAndNTLMAuth?: boolean;
  /** Set-PopSettings -EnforceCertificateErrors / Set-ImapSettings -EnforceCertificateErrors. */
  readonly enforceCertificateErrors?: boolean;
  /** Set-PopSettings -SuppressReadReceipt / Set-ImapSettings -SuppressReadReceipt. */
  readonly suppressReadReceipt?: boolean;
  /** Set-PopSettings -ExtendedProtectionPolicy / Set-ImapSettings -ExtendedProtectionPolicy. */
  readonly extendedProtectionPolicy?: 'None' | 'Allow' | 'Require';
  /** Set-PopSettings -Banner / Set-ImapSettings -Banner. */
  readonly banner?: string;
  /** Set-PopSettings -CalendarItemRetrievalOption / Set-ImapSettings -CalendarItemRetrievalOption. */
  readonly calendarItemRetrievalOption?: 'iCalendar' | 'IntranetUrl' | 'InternetUrl' | 'Custom';
  /** Set-PopSettings -EnableExactRFC822Size / Set-ImapSettings -EnableExactRFC822Size. */
  readonly enableExactRFC822Size?: boolean;
  /** Set-PopSettings -LogFileLocation / Set-ImapSettings -LogFileLocation. */
  readonly logFileLocation?: string;
  /** Set-PopSettings -LogFileRollOverSettings / Set-ImapSettings -LogFileRollOverSettings. */
  readonly logFileRollOverSettings?: 'Hourly' | 'Daily' | 'Weekly' | 'Monthly';
  /** Set-PopSettings -LogPerFileSizeQuota / Set-ImapSettings -LogPerFileSizeQuota. */
  readonly logPerFileSizeQuota?: string;
  /** Set-PopSettings -MaxCommandSize / Set-ImapSettings -MaxCommandSize. */
  readonly maxCommandSize?: number;
  /** Set-PopSettings -MessageRetrievalMimeFormat / Set-ImapSettings -MessageRetrievalMimeFormat. */
  readonly messageRetrievalMimeFormat?: 'TextOnly' | 'HtmlOnly' | 'HtmlAndTextAlternative' | 'TextEnrichedOnly' | 'TextEnrichedAndTextAlternative' | 'BestBodyFormat' | 'Tnef';
  /** Set-PopSettings -OwaServerUrl / Set-ImapSettings -OwaServerUrl. */
  readonly owaServerUrl?: string;
  /** Set-PopSettings -ProxyTargetPort / Set-ImapSettings -ProxyTargetPort. */
  readonly proxyTargetPort?: number;
  /** Set-PopSettings -MessageRetrievalSortOrder. */
  readonly messageRetrievalSortOrder?: 'Ascending' | 'Descending';
  /** Set-ImapSettings -ShowHiddenFoldersEnabled. */
  readonly showHiddenFoldersEnabled?: boolean;
}

/** Every settings key, in the catalog's order. */
export const PROTOCOL_SETTING_KEYS = ['externalConnectionSettings', 'internalConnectionSettings', 'x509CertificateName', 'sslBindings', 'unencryptedOrTLSBindings', 'loginType', 'protocolLogEnabled', 'maxConnections', 'maxConnectionsPerUser', 'maxConnectionFromSingleIP', 'authenticatedConnectionTimeout', 'preAuthenticatedConnectionTimeout', 'enableGSSAPIAndNTLMAuth', 'enforceCertificateErrors', 'suppressReadReceipt', 'extendedProtectionPolicy', 'banner', 'calendarItemRetrievalOption', 'enableExactRFC822Size', 'logFileLocation', 'logFileRollOverSettings', 'logPerFileSizeQuota', 'maxCommandSize', 'messageRetrievalMimeFormat', 'owaServerUrl', 'proxyTargetPort', 'messageRetrievalSortOrder', 'showHiddenFoldersEnabled'] as const satisfies readonly (keyof ProtocolSettings)[];

/** The settings only one protocol has (the schema refuses them under the other). */
export const PROTOCOL_ONLY_SETTING_KEYS = { pop3: ['messageRetrievalSortOrder'], imap4: ['showHiddenFoldersEnabled'] } as const satisfies Readonly<Record<'pop3' | 'imap4', readonly (keyof ProtocolSettings)[]>>;

/** The settings written as TimeSpans (`hh:mm:ss`): checked and normalised to Exchange's form. */
export const TIMEOUT_SETTING_KEYS = ['authenticatedConnectionTimeout', 'preAuthenticatedConnectionTimeout'] as const satisfies readonly (keyof ProtocolSettings)[];

/** The settings written as sizes (`10 MB`, `Unlimited`): normalised to one form (./byte-quantity). */
export const BYTE_QUANTITY_SETTING_KEYS = ['logPerFileSizeQuota'] as const satisfies readonly (keyof ProtocolSettings)[];
