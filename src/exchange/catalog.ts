/**
 * The cmdlet catalog: every Exchange (and Windows service) cmdlet and parameter mailpolicy
 * reads or writes, defined once. Requests are built only through `buildRequest` (request.ts),
 * which refuses anything not listed here; the PowerShell host's allowlist is generated from this
 * table; the reader normalises results with `readBack` (read-back.ts). Facts: docs/exchange-facts.md.
 *
 * Model keys are the parameter names with the first letter lowercased (the YAML contract), so
 * the mapping between model and cmdlet needs no second table.
 */
import { EXCHANGE_ENVIRONMENTS } from '../model/clouds';
import type { Platform, Protocol } from '../model/types';
import { AUTH_MECHANISMS, EXTENDED_PROTECTION_POLICIES, LOGIN_TYPES, STARTUP_TYPES } from '../model/types';
import { CERTIFICATE_SERVICES } from '../model/certificate';

/** How a value is written and how Exchange prints it back. */
export type ValueType =
  /** Boolean; reads back `$null` as false ("off"), e.g. AllowLegacyTLSClients. */
  | 'boolean'
  /** Boolean where `$null` has a meaning of its own (SmtpClientAuthenticationDisabled per mailbox: inherit). */
  | 'nullableBoolean'
  | 'string'
  /** A string where `$null` clears the value (Set-OrganizationConfig -DefaultAuthenticationPolicy $null: no organisation default). */
  | 'nullableString'
  /** A secret: redacted from every log, error and plan. */
  | 'secret'
  /** A switch parameter: `$true` only. */
  | 'switch'
  | 'int'
  | 'stringList'
  /** Connection settings: objects {Hostname, Port, EncryptionType} read back as `host:port[:ENC]`; `$null` clears the list. */
  | 'endpointList'
  /** Bindings: objects {Address, Port} (IPEndPoint) read back as `IP:Port`, IPv6 in brackets; `$null` clears the list. */
  | 'bindingList'
  /** TimeSpan: read back as `hh:mm:ss` or `d.hh:mm:ss`. */
  | 'timespan'
  /** Unlimited<ByteQuantifiedSize>: `10 MB`, `Unlimited`; read back from `10 MB (10,485,760 bytes)` to the model's form (src/model/byte-quantity.ts). */
  | 'byteQuantity'
  | 'enum'
  /**
   * A [Flags] enum (Enable-ExchangeCertificate -Services, Set-ReceiveConnector -AuthMechanism):
   * several of `values` at once, sent as a list of names (PowerShell binds a string array to a
   * flags enum as their combination), printed back as the enum's string form (`IMAP, POP, SMTP`),
   * read back as the list. Compared as a set, or, with `additive`, as "each desired name is among
   * Exchange's" (a parameter that only ever adds, like -Services).
   */
  | 'flags'
  /**
   * A DateTime: read back from ConvertTo-Json's ISO 8601 as `YYYY-MM-DDThh:mm:ss.sssZ`
   * (Get-ExchangeCertificate NotAfter); sent as an ISO 8601 UTC text (`2026-12-06T12:00:00Z`),
   * which PowerShell binds to a DateTime whatever the host's culture (Set-User -StsRefreshTokensValidFrom).
   */
  | 'dateTime'
  /**
   * A PSCredential, sent as `{"UserName": …, "Password": …}`: the PowerShell host builds the
   * PSCredential (the password a SecureString) just before the call. Secret as a whole: redacted
   * from every log, error and plan.
   */
  | 'credential';

export interface ParameterSpec {
  readonly type: ValueType;
  /** Allowed values for `enum` and `flags`. */
  readonly values?: readonly string[];
  /** `flags` only: the parameter adds to what Exchange has and never takes a name away (Enable-ExchangeCertificate -Services). */
  readonly additive?: boolean;
  /** The cmdlet takes a SecureString: the PowerShell host converts the JSON string just before the call. */
  readonly secureString?: boolean;
  /**
   * Where Microsoft's reference says this parameter applies, when that is narrower than its
   * cmdlet's platforms (the parameter's own "Applicable:" line); absent: the cmdlet's.
   */
  readonly platforms?: readonly Platform[];
}

type Upper = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T' | 'U' | 'V' | 'W' | 'X' | 'Y' | 'Z';

/** A parameter name split into its leading acronym (capitals followed by a capital) and the rest. */
type LeadingAcronym<P extends string, Acronym extends string = ''> = P extends `${infer C extends Upper}${infer D extends Upper}${infer Rest}`
  ? LeadingAcronym<`${D}${Rest}`, `${Acronym}${C}`>
  : [Acronym, P];

/** `modelKey` as a type: `SSLBindings` → `sslBindings`, `LoginType` → `loginType`. */
export type ModelKey<P extends string> =
  LeadingAcronym<P> extends [infer A extends string, infer R extends string] ? (A extends '' ? Uncapitalize<R> : `${Lowercase<A>}${R}`) : never;

/** The value `readBack` gives for a parameter of this spec. */
export type ReadValue<S extends ParameterSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'nullableBoolean'
    ? boolean | null
    : S['type'] extends 'int'
      ? number
      : S['type'] extends 'stringList' | 'endpointList' | 'bindingList'
        ? readonly string[]
        : S['type'] extends 'flags'
          ? S extends { readonly values: readonly (infer V)[] }
            ? readonly V[]
            : readonly string[]
        : S['type'] extends 'enum'
          ? S extends { readonly values: readonly (infer V)[] }
            ? V
            : string
          : S['type'] extends 'timespan' | 'byteQuantity'
            ? string
            : string | null;

/** What `readBack` gives for a table of parameters: each under its model key. */
export type ReadBackOf<T extends Readonly<Record<string, ParameterSpec>>> = { readonly [P in keyof T & string as ModelKey<P>]: ReadValue<T[P]> };

export type CmdletEffect = 'read' | 'write' | 'connect';

export interface CmdletSpec {
  readonly platforms: readonly Platform[];
  readonly effect: CmdletEffect;
  /** Parameters mailpolicy may pass. */
  readonly parameters: Readonly<Record<string, ParameterSpec>>;
  /** Properties of the objects a read returns that mailpolicy looks at. */
  readonly returns?: Readonly<Record<string, ParameterSpec>>;
  /**
   * Properties a read returns only when its request names them (`CmdletRequest.properties`):
   * the host allowlists these names (host-config.json) and shapes only those asked for, so a
   * read of 100,000 mailboxes carries no property the document does not need.
   */
  readonly optionalReturns?: Readonly<Record<string, ParameterSpec>>;
  /**
   * Windows service cmdlets act on one Exchange server: the host runs them there through
   * `Invoke-Command -ComputerName` (they have no -ComputerName of their own since PowerShell 6.0:
   * Get-Service.md, Start-Service.md in PowerShell-Docs), so their requests name the server in
   * `computerName`, beside the parameters, never among them.
   */
  readonly remoteService?: boolean;
  /**
   * Exported by the ExchangeOnlineManagement module itself (the reference page's module line),
   * not one of the REST cmdlets Connect-ExchangeOnline -CommandName loads.
   */
  readonly moduleCmdlet?: boolean;
}

const ONLINE: readonly Platform[] = ['exchangeOnline'];
const ON_PREM: readonly Platform[] = ['exchangeServer'];
const BOTH: readonly Platform[] = ['exchangeOnline', 'exchangeServer'];

/** Every status Get-Service reports (the model manages only Running and Stopped). */
const SERVICE_STATUSES = ['Running', 'Stopped', 'StartPending', 'StopPending', 'Paused', 'PausePending', 'ContinuePending'] as const;

/** New-PSSession -Authentication values mailpolicy offers for Exchange Server's WSMan endpoint. */
export const WSMAN_AUTHENTICATIONS = ['Kerberos', 'Negotiate', 'Default'] as const;
export type WsmanAuthentication = (typeof WSMAN_AUTHENTICATIONS)[number];

// ---- POP3/IMAP4 settings (Set-PopSettings / Set-ImapSettings) -------------------------------
// The single source of each setting: its type here, and in `doc` what the document's JSON Schema,
// docs/schema.md, the model's type (src/model/protocol-settings.generated.ts) and Exchange's
// defaults (exchange/defaults.ts) say of it: `npm run generate` writes the schema's pop3/imap4
// definitions and the model type from these entries (scripts/generate-protocol-settings.ts).
// Facts: Set-PopSettings.md and Set-ImapSettings.md (MicrosoftDocs/office-docs-powershell,
// exchange/exchange-ps/ExchangePowerShell), docs/exchange-facts.md.

/** A value that differs between POP3 and IMAP4 (a default, a range). */
export type PerProtocol<T> = T | { readonly byProtocol: Readonly<Record<Protocol, T>> };

/** The value a setting has for one protocol. */
export function forProtocol<T>(value: PerProtocol<T>, protocol: Protocol): T {
  return typeof value === 'object' && value !== null && 'byProtocol' in value ? value.byProtocol[protocol] : value;
}

/** What the document says of a setting: generated into the schema, its docs, the model and the defaults. */
export interface SettingDoc {
  /** What the key does, after the schema description's `Set-PopSettings -Name.` (docs/schema.md shows both). */
  readonly text: string;
  /** Exchange's default as Microsoft's reference states it (model form); absent where none is documented. */
  readonly default?: PerProtocol<string | number | boolean | readonly string[]>;
  /** Inclusive range of an `int`, as the reference states it. */
  readonly range?: PerProtocol<{ readonly minimum: number; readonly maximum: number }>;
  /** JSON Schema of the value where its type alone does not say it (a `$ref` to a definition, a pattern). */
  readonly schema?: Readonly<Record<string, unknown>>;
}

/** A parameter the document states as a key of its own: its type, and what the document says of it. */
export interface SettingSpec extends ParameterSpec {
  readonly doc: SettingDoc;
}

/** A POP3/IMAP4 setting (Set-PopSettings / Set-ImapSettings). */
export type ProtocolSettingSpec = SettingSpec;

/** MimeTextFormat (Set-PopSettings / Set-ImapSettings -MessageRetrievalMimeFormat, Set-CASMailbox -*MessagesRetrievalMimeFormat): 0–6, 5 the default. */
export const MIME_TEXT_FORMATS = ['TextOnly', 'HtmlOnly', 'HtmlAndTextAlternative', 'TextEnrichedOnly', 'TextEnrichedAndTextAlternative', 'BestBodyFormat', 'Tnef'] as const;

const SETTING_RANGE_INT32 = { minimum: 1, maximum: 2147483647 } as const;

/** Set-/Get-PopSettings and Set-/Get-ImapSettings share these parameters. */
const SHARED_PROTOCOL_SETTINGS = {
  ExternalConnectionSettings: {
    type: 'endpointList',
    doc: {
      text: 'What clients outside the network are told to connect to: host:port, host:port:SSL or host:port:TLS. An SSL entry\'s port must be in sslBindings, a TLS or unencrypted entry\'s port in unencryptedOrTLSBindings.',
      default: [],
      schema: { $ref: '#/$defs/connectionSettings' },
    },
  },
  InternalConnectionSettings: {
    type: 'endpointList',
    // The default names the server (<ServerFQDN>:995:SSL,<ServerFQDN>:110:TLS): serverProtocolSettingDefaults.
    doc: { text: 'What clients inside the network are told to connect to, in the same form as externalConnectionSettings.', schema: { $ref: '#/$defs/connectionSettings' } },
  },
  X509CertificateName: {
    type: 'string',
    doc: {
      text: 'Host name of the certificate for SSL/TLS: the FQDN of a host of the connection settings. A wildcard (*.contoso.com) is not a valid value, and a wildcard certificate must not be assigned to POP or IMAP.',
      schema: {
        type: 'string',
        maxLength: 253,
        pattern: '^(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$',
        patternErrorMessage: 'must be a host name, e.g. mail.contoso.com',
        allOf: [{ $ref: '#/$defs/dnsLabels' }],
      },
    },
  },
  SSLBindings: {
    type: 'bindingList',
    doc: {
      text: 'Where the service listens for implicit SSL/TLS: IP:port, IPv6 in brackets.',
      default: { byProtocol: { pop3: ['[::]:995', '0.0.0.0:995'], imap4: ['[::]:993', '0.0.0.0:993'] } },
      schema: { $ref: '#/$defs/bindings' },
    },
  },
  UnencryptedOrTLSBindings: {
    type: 'bindingList',
    doc: {
      text: 'Where the service listens for unencrypted or STARTTLS connections: IP:port, IPv6 in brackets.',
      default: { byProtocol: { pop3: ['[::]:110', '0.0.0.0:110'], imap4: ['[::]:143', '0.0.0.0:143'] } },
      schema: { $ref: '#/$defs/bindings' },
    },
  },
  LoginType: {
    type: 'enum',
    values: LOGIN_TYPES,
    doc: { text: 'PlainTextLogin allows clear-text passwords on unencrypted connections; SecureLogin requires TLS first.', default: 'SecureLogin' },
  },
  ProtocolLogEnabled: { type: 'boolean', doc: { text: 'Protocol logging.', default: false } },
  MaxConnections: { type: 'int', doc: { text: 'Most simultaneous connections the server accepts.', default: 2147483647, range: SETTING_RANGE_INT32 } },
  MaxConnectionsPerUser: { type: 'int', doc: { text: 'Most simultaneous connections per user.', default: 16, range: SETTING_RANGE_INT32 } },
  MaxConnectionFromSingleIP: { type: 'int', doc: { text: 'Most simultaneous connections from one IP address.', default: 2147483647, range: SETTING_RANGE_INT32 } },
  AuthenticatedConnectionTimeout: {
    type: 'timespan',
    doc: { text: 'Idle time before an authenticated connection is closed, hh:mm:ss or d.hh:mm:ss, from 00:00:30 to 01:00:00.', default: '00:30:00', schema: { $ref: '#/$defs/timeout' } },
  },
  PreAuthenticatedConnectionTimeout: {
    type: 'timespan',
    doc: { text: 'Idle time before a connection that has not authenticated is closed, hh:mm:ss or d.hh:mm:ss, from 00:00:30 to 01:00:00.', default: '00:01:00', schema: { $ref: '#/$defs/timeout' } },
  },
  EnableGSSAPIAndNTLMAuth: { type: 'boolean', doc: { text: 'Integrated Windows authentication (NTLM, Kerberos).', default: true } },
  EnforceCertificateErrors: { type: 'boolean', doc: { text: 'Refuse to start SSL/TLS with an invalid certificate.', default: false } },
  SuppressReadReceipt: { type: 'boolean', doc: { text: 'Stop duplicate read receipts to senders who asked for one: a read receipt only when the message is opened, not also when it is downloaded.', default: false } },
  // -ExtendedProtectionPolicy (ExtendedProtectionTokenCheckingMode): None (the default), Allow, Require.
  ExtendedProtectionPolicy: {
    type: 'enum',
    values: EXTENDED_PROTECTION_POLICIES,
    doc: {
      text: 'Extended Protection for Authentication of Integrated Windows authentication (NTLM): None does not use it, Allow uses it when the client supports it, Require refuses clients that do not.',
      default: 'None',
    },
  },
  Banner: {
    type: 'string',
    doc: {
      text: 'The text shown to connecting clients.',
      default: { byProtocol: { pop3: 'The Microsoft Exchange POP3 service is ready.', imap4: 'The Microsoft Exchange IMAP4 service is ready.' } },
      schema: { type: 'string', allOf: [{ $ref: '#/$defs/trimmedText' }, { $ref: '#/$defs/printableText' }] },
    },
  },
  // CalendarItemRetrievalOptions: 0 iCalendar (the default), 1 IntranetUrl, 2 InternetUrl, 3 Custom.
  CalendarItemRetrievalOption: {
    type: 'enum',
    values: ['iCalendar', 'IntranetUrl', 'InternetUrl', 'Custom'],
    doc: { text: 'How calendar items are presented to clients: as iCalendar, or as a link to Outlook on the web (intranet, internet, or owaServerUrl for Custom).', default: 'iCalendar' },
  },
  EnableExactRFC822Size: {
    type: 'boolean',
    doc: { text: 'Calculate the exact message size for clients instead of an estimate (costs performance: only when clients require it).', default: false },
  },
  LogFileLocation: {
    type: 'string',
    // The default, %ExchangeInstallPath%Logging\\Pop3 (\\Imap4), depends on the installation: not restorable.
    doc: { text: 'Folder of the protocol log files (%ExchangeInstallPath%Logging\\Pop3 or \\Imap4 by default); meaningful only with protocolLogEnabled.', schema: { type: 'string', allOf: [{ $ref: '#/$defs/trimmedText' }, { $ref: '#/$defs/printableText' }] } },
  },
  // LogFileRollOver: 1 Hourly (the default in Exchange 2016 and 2019), 2 Daily, 3 Weekly, 4 Monthly. Unverified for SE (its page names 2016 and 2019 only).
  LogFileRollOverSettings: {
    type: 'enum',
    values: ['Hourly', 'Daily', 'Weekly', 'Monthly'],
    doc: { text: 'How often protocol logging starts a new log file; meaningful only when logPerFileSizeQuota is 0 and protocolLogEnabled is true.', default: 'Hourly' },
  },
  // Unlimited<ByteQuantifiedSize>: a size with B, KB, MB, GB or TB; 0 (the default) rolls over by time only.
  LogPerFileSizeQuota: {
    type: 'byteQuantity',
    doc: { text: 'Largest protocol log file, e.g. "10 MB" (B, KB, MB, GB, TB; a number alone is bytes) or "Unlimited"; "0" starts new files by logFileRollOverSettings only. Meaningful only with protocolLogEnabled.', default: '0 B', schema: { $ref: '#/$defs/byteQuantity' } },
  },
  MaxCommandSize: {
    type: 'int',
    doc: {
      text: 'Largest single client command, in bytes.',
      default: { byProtocol: { pop3: 512, imap4: 10240 } },
      range: { byProtocol: { pop3: { minimum: 40, maximum: 1024 }, imap4: { minimum: 1024, maximum: 16384 } } },
    },
  },
  // MimeTextFormat: 0 TextOnly … 5 BestBodyFormat (the default), 6 Tnef.
  MessageRetrievalMimeFormat: {
    type: 'enum',
    values: MIME_TEXT_FORMATS,
    doc: { text: 'MIME encoding of the messages clients retrieve.', default: 'BestBodyFormat' },
  },
  OwaServerUrl: {
    type: 'string',
    doc: {
      text: 'URL from which calendar information of custom Outlook on the web calendar items is retrieved (calendarItemRetrievalOption Custom needs it).',
      schema: { type: 'string', pattern: '^https?://[^\\s]+$', patternErrorMessage: 'must be an http or https URL, e.g. https://mail.contoso.com/owa' },
    },
  },
  ProxyTargetPort: {
    type: 'int',
    // The range is a TCP port's (unverified: the page gives no range).
    doc: { text: 'Port on which the back-end service listens for connections the front end proxies.', default: { byProtocol: { pop3: 1995, imap4: 1993 } }, range: { minimum: 1, maximum: 65535 } },
  },
} as const satisfies Readonly<Record<string, ProtocolSettingSpec>>;

/** Set-/Get-PopSettings: the shared parameters and -MessageRetrievalSortOrder (SortOrder: 0 Ascending, the default; 1 Descending). */
export const POP_SETTINGS = {
  ...SHARED_PROTOCOL_SETTINGS,
  MessageRetrievalSortOrder: { type: 'enum', values: ['Ascending', 'Descending'], doc: { text: 'Order in which retrieved messages are sorted.', default: 'Ascending' } },
} as const satisfies Readonly<Record<string, ProtocolSettingSpec>>;

/** Set-/Get-ImapSettings: the shared parameters and -ShowHiddenFoldersEnabled. */
export const IMAP_SETTINGS = {
  ...SHARED_PROTOCOL_SETTINGS,
  ShowHiddenFoldersEnabled: { type: 'boolean', doc: { text: 'Show hidden mailbox folders to clients.', default: false } },
} as const satisfies Readonly<Record<string, ProtocolSettingSpec>>;

/** Each protocol's settings parameters. */
export const PROTOCOL_SETTINGS_OF: Readonly<Record<Protocol, Readonly<Record<string, ProtocolSettingSpec>>>> = { pop3: POP_SETTINGS, imap4: IMAP_SETTINGS };

/** Every settings parameter of either protocol: what the model's settings type is made of. */
export const PROTOCOL_SETTINGS = { ...POP_SETTINGS, ...IMAP_SETTINGS } as const satisfies Readonly<Record<string, ProtocolSettingSpec>>;

/** Settings only one protocol has. */
export type ProtocolOnlySetting = Exclude<keyof typeof PROTOCOL_SETTINGS, keyof typeof SHARED_PROTOCOL_SETTINGS>;
// ---- end of POP3/IMAP4 settings -----------------------------------------------------------------

// ---- Settings of the other keyed sections -----------------------------------------------------
// Like the POP3/IMAP4 settings, each entry's `doc` is what the document says of it: `npm run
// generate` writes the schema's keys (description, value schema, default, the platform conditions
// of a parameter narrower than its cmdlet) and the model's type and key list from these tables
// (scripts/generate-sections.ts, src/model/sections.generated.ts). Keys that are not a plain
// parameter (a name, an identity, assignments) stay hand-written beside them.

/** Set-TransportConfig.md: both switches "Applicable: Exchange Online" (as the catalog's cmdlets). */
export const TRANSPORT_CONFIG_SETTINGS = {
  AllowLegacyTLSClients: {
    type: 'boolean',
    doc: { text: 'true opts the tenant in to the legacy TLS 1.0/1.1 endpoints (pop-legacy, imap-legacy, smtp-legacy). Not available in GCC, GCC High or DoD.' },
  },
  SmtpClientAuthenticationDisabled: {
    type: 'boolean',
    doc: { text: "true disables SMTP AUTH client submission for the whole organisation; a mailbox's own setting overrides it." },
  },
} as const satisfies Readonly<Record<string, SettingSpec>>;

/** Set-CASMailboxPlan.md: the protocol switches a plan gives mailboxes newly licensed with it (defaults: exchange/defaults.ts, by plan). */
export const CAS_MAILBOX_PLAN_SETTINGS = {
  PopEnabled: { type: 'boolean', doc: { text: 'POP3 for mailboxes newly licensed with this plan.' } },
  ImapEnabled: { type: 'boolean', doc: { text: 'IMAP4 for mailboxes newly licensed with this plan.' } },
} as const satisfies Readonly<Record<string, SettingSpec>>;

/**
 * What mailpolicy manages of the "Client Frontend <Server>" receive connector (authenticated SMTP
 * for POP3/IMAP4 clients): Set-ReceiveConnector.md, Exchange Server only. TlsCertificateName is an
 * SmtpX509Identifier written and read as `<I>issuer<S>subject` (unverified: how it prints back
 * through a remote session; the reference gives only the form to write).
 */
export const RECEIVE_CONNECTOR_SETTINGS = {
  Fqdn: {
    type: 'string',
    doc: {
      text: "The name the connector gives in its banner, its EHLO response and during TLS: the host name POP3 and IMAP4 clients send to, e.g. mail.contoso.com. Exchange default: the server's FQDN.",
      schema: {
        type: 'string',
        maxLength: 253,
        pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$',
        patternErrorMessage: 'must be a host name, e.g. mail.contoso.com',
        allOf: [{ $ref: '#/$defs/dnsLabels' }],
      },
    },
  },
  TlsCertificateName: {
    type: 'string',
    doc: {
      text: 'The certificate for STARTTLS, written as Exchange stores it: <I>issuer<S>subject, the Issuer and Subject Get-ExchangeCertificate shows ("<I>$($c.Issuer)<S>$($c.Subject)"), e.g. <I>CN=Contoso CA<S>CN=mail.contoso.com. The certificate must match fqdn and be enabled for SMTP.',
      schema: { type: 'string', maxLength: 1024, pattern: '^<I>[^<>]+<S>[^<>]+$', patternErrorMessage: 'must be <I>issuer<S>subject, e.g. <I>CN=Contoso CA<S>CN=mail.contoso.com' },
    },
  },
  AuthMechanism: {
    type: 'flags',
    values: AUTH_MECHANISMS,
    doc: {
      text: 'The authentication mechanisms the connector offers, a set: None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer, ExternalAuthoritative. None only by itself; BasicAuthRequireTLS also requires BasicAuth and Tls; ExternalAuthoritative only with Tls; Tls is required when requireTLS is true. Exchange default for Client Frontend: Tls, Integrated, BasicAuth, BasicAuthRequireTLS.',
    },
  },
  RequireTLS: { type: 'boolean', doc: { text: 'Whether inbound messages on the connector require TLS. Exchange default: false.', default: false } },
  Bindings: {
    type: 'bindingList',
    doc: {
      text: 'Where the connector listens: IP:port, IPv6 in brackets. Exchange default for Client Frontend: [::]:587 and 0.0.0.0:587.',
      schema: { allOf: [{ $ref: '#/$defs/bindings' }, { type: 'array', minItems: 1 }] },
    },
  },
  AdvertiseClientSettings: {
    type: 'boolean',
    doc: { text: "Whether Outlook on the web shows users the connector's SMTP server name, port and authentication settings. Exchange default: false.", default: false },
  },
  // Set-ReceiveConnector.md, -ExtendedProtectionPolicy (ExtendedProtectionPolicySetting): None (the default), Allow, Require.
  ExtendedProtectionPolicy: {
    type: 'enum',
    values: EXTENDED_PROTECTION_POLICIES,
    doc: {
      text: 'Extended Protection for Authentication on the connector, which guards Integrated Windows authentication (NTLM): None (not used), Allow (used when the client supports it), Require (clients without it are refused). Exchange default: None.',
      default: 'None',
    },
  },
} as const satisfies Readonly<Record<string, SettingSpec>>;

/**
 * The switches of an authentication policy this project is about (POP, IMAP, SMTP AUTH).
 * New-/Set-AuthenticationPolicy.md: AllowBasicAuth* apply to Exchange Online only;
 * BlockLegacyAuthPop/Imap (Exchange 2019 CU2 or later: block Basic, Digest and Windows
 * authentication) and BlockModernAuthPop/Imap (Exchange 2019 CU13 or later) to Exchange Server
 * 2019 and SE only. There is no BlockLegacyAuthSmtp.
 */
export const AUTH_POLICY_FLAGS = {
  AllowBasicAuthPop: { type: 'boolean', platforms: ONLINE, doc: { text: 'false blocks Basic authentication for POP3.' } },
  AllowBasicAuthImap: { type: 'boolean', platforms: ONLINE, doc: { text: 'false blocks Basic authentication for IMAP4.' } },
  AllowBasicAuthSmtp: { type: 'boolean', platforms: ONLINE, doc: { text: 'false blocks Basic authentication for SMTP AUTH client submission.' } },
  BlockLegacyAuthPop: {
    type: 'boolean',
    platforms: ON_PREM,
    doc: {
      text: 'true blocks legacy authentication (Basic, Digest, Windows: NTLM and Kerberos) for POP3, leaving modern authentication only (exchangeServer, Exchange 2019 CU2 or later; Microsoft asks that hybrid modern authentication work first).',
    },
  },
  BlockLegacyAuthImap: {
    type: 'boolean',
    platforms: ON_PREM,
    doc: { text: 'true blocks legacy authentication (Basic, Digest, Windows: NTLM and Kerberos) for IMAP4, leaving modern authentication only (exchangeServer, Exchange 2019 CU2 or later).' },
  },
  BlockModernAuthPop: { type: 'boolean', platforms: ON_PREM, doc: { text: 'true blocks modern authentication for POP3 (exchangeServer, Exchange 2019 CU13 or later).' } },
  BlockModernAuthImap: { type: 'boolean', platforms: ON_PREM, doc: { text: 'true blocks modern authentication for IMAP4 (exchangeServer, Exchange 2019 CU13 or later).' } },
} as const satisfies Readonly<Record<string, SettingSpec>>;
// ---- end of the other keyed sections ------------------------------------------------------------

/**
 * What mailpolicy reads of a user named in an authentication policy's assignedTo: the names
 * Set-User -Identity takes (Set-User.md: name, UPN, DN, GUID) and the assigned policy.
 * Unverified: Get-User.md lists no output properties; AuthenticationPolicy holding the policy's
 * DN is from Microsoft's "Disable Basic authentication in Exchange Online" page (docs/exchange-facts.md).
 */
const USER_RETURNS: Readonly<Record<string, ParameterSpec>> = {
  Identity: { type: 'string' },
  Name: { type: 'string' },
  Guid: { type: 'string' },
  DistinguishedName: { type: 'string' },
  UserPrincipalName: { type: 'string' },
  AuthenticationPolicy: { type: 'nullableString' },
};

/**
 * What mailpolicy reads of each mailbox: its protocol settings, and the names an exception can
 * call it by that Get-EXOCasMailbox returns in its Minimum property set (Identity, Name, Guid,
 * PrimarySmtpAddress, EmailAddresses: the cmdlet-property-sets reference) and Get-CASMailbox
 * returns besides (DistinguishedName). Alias and UserPrincipalName are in neither: an exception
 * naming a mailbox by one of those is resolved by Exchange itself (`-Identity`, reader.ts).
 */
const CAS_MAILBOX_RETURNS: Readonly<Record<string, ParameterSpec>> = {
  Identity: { type: 'string' },
  Name: { type: 'string' },
  Guid: { type: 'string' },
  DistinguishedName: { type: 'string' },
  PrimarySmtpAddress: { type: 'string' },
  EmailAddresses: { type: 'stringList' },
  PopEnabled: { type: 'boolean' },
  ImapEnabled: { type: 'boolean' },
  SmtpClientAuthenticationDisabled: { type: 'nullableBoolean' },
};

/**
 * The per-mailbox POP3/IMAP4 options of Set-CASMailbox (Set-CASMailbox.md): each applies only
 * while the protocol's *UseProtocolDefaults is $false ("To change the value of this parameter,
 * you also need to set the value of the PopUseProtocolDefaults parameter to $false").
 * *EnableExactRFC822Size: "Applicable: Exchange Server …" only ("available only in on-premises
 * Exchange"); *ForceICalForCalendarRetrievalOption: Exchange Server 2013 and later, and Online.
 */
export const CAS_MAILBOX_OPTIONS = {
  PopUseProtocolDefaults: { type: 'boolean' },
  PopMessagesRetrievalMimeFormat: { type: 'enum', values: MIME_TEXT_FORMATS },
  PopForceICalForCalendarRetrievalOption: { type: 'boolean' },
  PopSuppressReadReceipt: { type: 'boolean' },
  PopEnableExactRFC822Size: { type: 'boolean', platforms: ON_PREM },
  ImapUseProtocolDefaults: { type: 'boolean' },
  ImapMessagesRetrievalMimeFormat: { type: 'enum', values: MIME_TEXT_FORMATS },
  ImapForceICalForCalendarRetrievalOption: { type: 'boolean' },
  ImapSuppressReadReceipt: { type: 'boolean' },
  ImapEnableExactRFC822Size: { type: 'boolean', platforms: ON_PREM },
} as const satisfies Readonly<Record<string, ParameterSpec>>;

export type CasMailboxOption = keyof typeof CAS_MAILBOX_OPTIONS;

/** The options a platform has: *EnableExactRFC822Size only on Exchange Server (Set-CASMailbox.md, "Applicable"). */
export function casMailboxOptionsOn(platform: Platform): readonly CasMailboxOption[] {
  return (Object.keys(CAS_MAILBOX_OPTIONS) as CasMailboxOption[]).filter((name) => {
    const platforms: readonly Platform[] | undefined = (CAS_MAILBOX_OPTIONS[name] as { platforms?: readonly Platform[] }).platforms;
    return platforms === undefined || platforms.includes(platform);
  });
}

/** The options Exchange Online has: not *EnableExactRFC822Size ("available only in on-premises Exchange", Set-CASMailbox.md). */
const { PopEnableExactRFC822Size: _popExact, ImapEnableExactRFC822Size: _imapExact, ...CAS_MAILBOX_ONLINE_OPTIONS } = CAS_MAILBOX_OPTIONS;

/** Get-, Start-, Stop-, Restart-Service: `-Name <String[]>` (PowerShell-Docs, Microsoft.PowerShell.Management). */
const SERVICE_TARGET: Readonly<Record<string, ParameterSpec>> = {
  Name: { type: 'stringList' },
};

export const CATALOG = {
  'Connect-ExchangeOnline': {
    platforms: ONLINE,
    effect: 'connect',
    parameters: {
      AppId: { type: 'string' },
      Organization: { type: 'string' },
      CertificateFilePath: { type: 'string' },
      CertificatePassword: { type: 'secret', secureString: true },
      ManagedIdentity: { type: 'switch' },
      AccessToken: { type: 'secret' },
      ExchangeEnvironmentName: { type: 'enum', values: EXCHANGE_ENVIRONMENTS },
      ShowBanner: { type: 'boolean' },
      // Connect-ExchangeOnline reference: -CommandName String[] ("the comma separated list of
      // commands to import into the session"), -SkipLoadingFormatData SwitchParameter; Microsoft
      // recommends both for services (docs/exchange-facts.md, "Running cmdlets from a program").
      CommandName: { type: 'stringList' },
      SkipLoadingFormatData: { type: 'switch' },
    },
  },
  /** Exchange Server: a remote session to the server's PowerShell endpoint (Windows hosts only), imported by the host. */
  'New-PSSession': {
    platforms: ON_PREM,
    effect: 'connect',
    parameters: {
      ConfigurationName: { type: 'string' },
      ConnectionUri: { type: 'string' },
      Authentication: { type: 'enum', values: WSMAN_AUTHENTICATIONS },
      // New-PSSession.md (PowerShell-Docs 7.6): -Credential PSCredential. The host also gives it,
      // with -Authentication, to Invoke-Command for the service cmdlets (one identity per run).
      Credential: { type: 'credential' },
    },
  },
  /** Exchange Online: the endpoint connected to, whose host names the cloud. (Its Organization only echoes -Organization: not read.) */
  'Get-ConnectionInformation': {
    platforms: ONLINE,
    effect: 'read',
    moduleCmdlet: true,
    parameters: {},
    returns: { ConnectionUri: { type: 'string' } },
  },
  /**
   * The organisation's accepted domains (Exchange Online and Exchange Server): how mailpolicy
   * checks it is connected to the organisation a document names, which Get-ConnectionInformation
   * cannot tell (its Organization echoes -Organization). DomainName is an SmtpDomainWithSubdomains,
   * printed as `contoso.com` or `*.contoso.com`. -ResultSize is cloud-only, default 1000.
   * Reference: exchange/exchange-ps/ExchangePowerShell/Get-AcceptedDomain.md and New-AcceptedDomain.md.
   */
  'Get-AcceptedDomain': {
    platforms: BOTH,
    effect: 'read',
    parameters: { ResultSize: { type: 'string', platforms: ONLINE } },
    returns: { DomainName: { type: 'string' } },
  },
  'Get-TransportConfig': {
    platforms: ONLINE,
    effect: 'read',
    parameters: {},
    returns: TRANSPORT_CONFIG_SETTINGS,
  },
  'Set-TransportConfig': {
    platforms: ONLINE,
    effect: 'write',
    parameters: TRANSPORT_CONFIG_SETTINGS,
  },
  /** Exchange Server: the organisation's servers, so an export can find them without being told. */
  'Get-ExchangeServer': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: {},
    // ServerRole is a flags enum printed as `Mailbox` (or `Mailbox, ClientAccess` on older versions; `Edge` for an Edge Transport server).
    // AdminDisplayVersion is the server's build (`Version 15.2 (Build 2562.17)`): Microsoft's "Exchange Server build numbers
    // and release dates" page reads it with `Get-ExchangeServer | Format-List Name,Edition,AdminDisplayVersion` (its own
    // Get-ExchangeServer.md page lists no output properties; see src/model/exchange-version.ts).
    returns: { Name: { type: 'string' }, ServerRole: { type: 'string' }, AdminDisplayVersion: { type: 'string' } },
  },
  'Get-PopSettings': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Server: { type: 'string' } },
    returns: POP_SETTINGS,
  },
  'Set-PopSettings': {
    platforms: ON_PREM,
    effect: 'write',
    parameters: { Server: { type: 'string' }, ...POP_SETTINGS },
  },
  'Get-ImapSettings': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Server: { type: 'string' } },
    returns: IMAP_SETTINGS,
  },
  'Set-ImapSettings': {
    platforms: ON_PREM,
    effect: 'write',
    parameters: { Server: { type: 'string' }, ...IMAP_SETTINGS },
  },
  'Get-Service': {
    platforms: ON_PREM,
    effect: 'read',
    remoteService: true,
    parameters: SERVICE_TARGET,
    returns: {
      Name: { type: 'string' },
      StartType: { type: 'enum', values: STARTUP_TYPES },
      Status: { type: 'enum', values: SERVICE_STATUSES },
    },
  },
  'Set-Service': {
    platforms: ON_PREM,
    effect: 'write',
    remoteService: true,
    // Set-Service.md: `-Name <String>`, "only accepts one service name at a time": one call per service.
    parameters: { Name: { type: 'string' }, StartupType: { type: 'enum', values: STARTUP_TYPES } },
  },
  'Start-Service': { platforms: ON_PREM, effect: 'write', remoteService: true, parameters: SERVICE_TARGET },
  'Stop-Service': { platforms: ON_PREM, effect: 'write', remoteService: true, parameters: SERVICE_TARGET },
  'Restart-Service': { platforms: ON_PREM, effect: 'write', remoteService: true, parameters: SERVICE_TARGET },
  /**
   * Receive connectors (Get-ReceiveConnector.md): read by -Server, then picked by Name, because
   * an -Identity that matches nothing returns every connector (the page's caution).
   */
  'Get-ReceiveConnector': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Server: { type: 'string' } },
    returns: { Identity: { type: 'string' }, Name: { type: 'string' }, Server: { type: 'string' }, ...RECEIVE_CONNECTOR_SETTINGS },
  },
  /** Set-ReceiveConnector.md: -Identity takes a name, DN, GUID or ServerName\Name. */
  'Set-ReceiveConnector': {
    platforms: ON_PREM,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, ...RECEIVE_CONNECTOR_SETTINGS },
  },
  'Get-EXOCasMailbox': {
    platforms: ONLINE,
    effect: 'read',
    moduleCmdlet: true,
    parameters: {
      Identity: { type: 'string' },
      ResultSize: { type: 'string' },
      PropertySets: { type: 'stringList' },
      Properties: { type: 'stringList' },
    },
    returns: CAS_MAILBOX_RETURNS,
    // Returned only when -Properties (or a property set) asks Exchange for them, and shaped only when the request names them.
    optionalReturns: CAS_MAILBOX_ONLINE_OPTIONS,
  },
  'Get-CASMailbox': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Identity: { type: 'string' }, ResultSize: { type: 'string' } },
    returns: CAS_MAILBOX_RETURNS,
    // Get-CASMailbox returns every property; the host shapes an option only when the request names it.
    optionalReturns: CAS_MAILBOX_OPTIONS,
  },
  'Set-CASMailbox': {
    platforms: BOTH,
    effect: 'write',
    parameters: {
      Identity: { type: 'string' },
      PopEnabled: { type: 'boolean' },
      ImapEnabled: { type: 'boolean' },
      // Set-CASMailbox.md: "Applicable: Exchange Online" for this parameter only.
      SmtpClientAuthenticationDisabled: { type: 'nullableBoolean', platforms: ONLINE },
      ...CAS_MAILBOX_OPTIONS,
    },
  },
  'Get-CASMailboxPlan': {
    platforms: ONLINE,
    effect: 'read',
    parameters: { Identity: { type: 'string' } },
    returns: { Identity: { type: 'string' }, ...CAS_MAILBOX_PLAN_SETTINGS },
  },
  'Set-CASMailboxPlan': {
    platforms: ONLINE,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, ...CAS_MAILBOX_PLAN_SETTINGS },
  },
  // Authentication policies: Exchange Online and Exchange Server 2019/SE (the pages' Applicable lines).
  'Get-AuthenticationPolicy': {
    platforms: BOTH,
    effect: 'read',
    parameters: { Identity: { type: 'string' } },
    // DistinguishedName and Guid: what Get-OrganizationConfig's DefaultAuthenticationPolicy and
    // Get-User's AuthenticationPolicy may hold instead of the name (Set-OrganizationConfig and
    // Set-User reference: the policy is named by name, DN or GUID).
    // Unverified: the Get-AuthenticationPolicy reference lists no output properties.
    returns: { Name: { type: 'string' }, DistinguishedName: { type: 'nullableString' }, Guid: { type: 'nullableString' }, ...AUTH_POLICY_FLAGS },
  },
  'New-AuthenticationPolicy': {
    platforms: BOTH,
    effect: 'write',
    parameters: { Name: { type: 'string' }, ...AUTH_POLICY_FLAGS },
  },
  'Set-AuthenticationPolicy': {
    platforms: BOTH,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, ...AUTH_POLICY_FLAGS },
  },
  'Remove-AuthenticationPolicy': {
    platforms: BOTH,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, Confirm: { type: 'boolean' } },
  },
  'Get-OrganizationConfig': {
    platforms: BOTH,
    effect: 'read',
    parameters: {},
    returns: { DefaultAuthenticationPolicy: { type: 'string' } },
  },
  'Set-OrganizationConfig': {
    platforms: BOTH,
    effect: 'write',
    // Set-OrganizationConfig reference, -DefaultAuthenticationPolicy (Exchange Server 2019, Exchange Online):
    // "To remove the default policy assignment for the organization, use the value $null."
    parameters: { DefaultAuthenticationPolicy: { type: 'nullableString' } },
  },
  // ---- Certificates assigned to services (Exchange Server), src/reconcile/kinds/exchange-certificate.ts ----
  /**
   * Get-ExchangeCertificate.md: -Server (with or without -Thumbprint); the summary view shows
   * Thumbprint, Services (None, Federation, IIS, IMAP, POP, SMTP, UM, UMCallRouter), Subject, and
   * `Format-List` adds CertificateDomains (the SANs), Issuer and NotAfter.
   */
  'Get-ExchangeCertificate': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Server: { type: 'string' }, Thumbprint: { type: 'string' } },
    returns: {
      Thumbprint: { type: 'string' },
      Services: { type: 'flags', values: ['None', ...CERTIFICATE_SERVICES] },
      Subject: { type: 'string' },
      Issuer: { type: 'string' },
      CertificateDomains: { type: 'stringList' },
      NotAfter: { type: 'dateTime' },
    },
  },
  /**
   * Enable-ExchangeCertificate.md: -Thumbprint with -Server; -Services is additive (a service
   * cannot be taken off); enabling SMTP prompts to replace the default SMTP certificate and
   * -Force suppresses the prompt ("run tasks programmatically where prompting ... is inappropriate").
   */
  'Enable-ExchangeCertificate': {
    platforms: ON_PREM,
    effect: 'write',
    parameters: {
      Thumbprint: { type: 'string' },
      Services: { type: 'flags', values: CERTIFICATE_SERVICES, additive: true },
      Server: { type: 'string' },
      Force: { type: 'switch' },
    },
  },
  /** The users an authentication policy is assigned to, asked one identity at a time (Get-User.md: -Identity takes name, UPN, DN, GUID). */
  'Get-User': {
    platforms: BOTH,
    effect: 'read',
    // -ResultSize (Unlimited): an export's one read of every user.
    parameters: { Identity: { type: 'string' }, ResultSize: { type: 'string' } },
    returns: USER_RETURNS,
  },
  'Set-User': {
    platforms: BOTH,
    effect: 'write',
    parameters: {
      Identity: { type: 'string' },
      // Set-User.md, -AuthenticationPolicy (Exchange Server 2019, SE, Exchange Online): name, DN or GUID; "To remove the policy assignment for the user, use the value $null."
      AuthenticationPolicy: { type: 'nullableString' },
      // Set-User.md, -StsRefreshTokensValidFrom (DateTime, Exchange Online only): the date-time the user's STS refresh tokens are valid from.
      StsRefreshTokensValidFrom: { type: 'dateTime', platforms: ONLINE },
    },
  },
} as const satisfies Readonly<Record<string, CmdletSpec>>;

export type CmdletName = keyof typeof CATALOG;
export const CMDLET_NAMES = Object.keys(CATALOG) as CmdletName[];

/** The Exchange Online REST cmdlets mailpolicy runs: what Connect-ExchangeOnline -CommandName loads. */
export const EXO_SESSION_CMDLETS: readonly CmdletName[] = CMDLET_NAMES.filter((name) => {
  const spec: CmdletSpec = CATALOG[name];
  return spec.platforms.includes('exchangeOnline') && spec.effect !== 'connect' && spec.moduleCmdlet !== true && spec.remoteService !== true;
});

export function isCmdletName(name: string): name is CmdletName {
  return Object.prototype.hasOwnProperty.call(CATALOG, name);
}

/** `AllowLegacyTLSClients` → `allowLegacyTLSClients`, `SSLBindings` → `sslBindings`: the YAML/model key of a parameter. */
export function modelKey(parameter: string): string {
  // A leading acronym is lowercased whole, as the model spells it: `SSLBindings` → `sslBindings`.
  const acronym = /^[A-Z]{2,}(?=[A-Z][a-z]|$)/.exec(parameter)?.[0];
  if (acronym) return acronym.toLowerCase() + parameter.slice(acronym.length);
  return parameter.charAt(0).toLowerCase() + parameter.slice(1);
}

/** Windows services of each protocol on an Exchange server: front end, back end. */
export const PROTOCOL_SERVICES: Readonly<Record<Protocol, { readonly frontEnd: string; readonly backEnd: string }>> = {
  pop3: { frontEnd: 'MSExchangePOP3', backEnd: 'MSExchangePOP3BE' },
  imap4: { frontEnd: 'MSExchangeIMAP4', backEnd: 'MSExchangeIMAP4BE' },
};

/**
 * The server role that runs POP3/IMAP4. On Exchange 2016 and later every Mailbox server also runs
 * the Client Access services (the POP3/IMAP4 front ends); an Edge Transport server, which
 * Get-ExchangeServer lists once subscribed, runs neither and has no POP/IMAP settings to read.
 */
export const PROTOCOL_SERVER_ROLE = 'Mailbox';

/** True when a `ServerRole` as Exchange prints it (`Mailbox`, `Mailbox, ClientAccess`, `Edge`) includes the Mailbox role. */
export function runsMailProtocols(serverRole: string | null): boolean {
  return (serverRole ?? '').split(',').some((role) => role.trim().toLowerCase() === PROTOCOL_SERVER_ROLE.toLowerCase());
}

/** Which Get/Set pair manages each protocol's settings. */
export const PROTOCOL_SETTINGS_CMDLETS: Readonly<Record<Protocol, { readonly get: CmdletName; readonly set: CmdletName }>> = {
  pop3: { get: 'Get-PopSettings', set: 'Set-PopSettings' },
  imap4: { get: 'Get-ImapSettings', set: 'Set-ImapSettings' },
};
