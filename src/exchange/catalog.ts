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
import { EXTENDED_PROTECTION_POLICIES, LOGIN_TYPES, STARTUP_TYPES } from '../model/types';

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
  /** DateTime, sent as an ISO 8601 UTC text (`2026-12-06T12:00:00Z`), which PowerShell binds to a DateTime whatever the host's culture. */
  | 'dateTime'
  | 'enum'
  /**
   * A PSCredential, sent as `{"UserName": …, "Password": …}`: the PowerShell host builds the
   * PSCredential (the password a SecureString) just before the call. Secret as a whole: redacted
   * from every log, error and plan.
   */
  | 'credential';

export interface ParameterSpec {
  readonly type: ValueType;
  /** Allowed values for `enum`. */
  readonly values?: readonly string[];
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
        : S['type'] extends 'enum'
          ? S extends { readonly values: readonly (infer V)[] }
            ? V
            : string
          : S['type'] extends 'timespan' | 'dateTime'
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

/** Set-/Get-PopSettings and Set-/Get-ImapSettings share their parameters. */
export const PROTOCOL_SETTINGS = {
  ExternalConnectionSettings: { type: 'endpointList' },
  InternalConnectionSettings: { type: 'endpointList' },
  X509CertificateName: { type: 'string' },
  SSLBindings: { type: 'bindingList' },
  UnencryptedOrTLSBindings: { type: 'bindingList' },
  LoginType: { type: 'enum', values: LOGIN_TYPES },
  ProtocolLogEnabled: { type: 'boolean' },
  MaxConnections: { type: 'int' },
  MaxConnectionsPerUser: { type: 'int' },
  MaxConnectionFromSingleIP: { type: 'int' },
  AuthenticatedConnectionTimeout: { type: 'timespan' },
  PreAuthenticatedConnectionTimeout: { type: 'timespan' },
  EnableGSSAPIAndNTLMAuth: { type: 'boolean' },
  EnforceCertificateErrors: { type: 'boolean' },
  SuppressReadReceipt: { type: 'boolean' },
  // Set-PopSettings.md / Set-ImapSettings.md, -ExtendedProtectionPolicy (ExtendedProtectionTokenCheckingMode):
  // None (the default), Allow, Require; Exchange Server only, like the whole cmdlet.
  ExtendedProtectionPolicy: { type: 'enum', values: EXTENDED_PROTECTION_POLICIES },
} as const satisfies Readonly<Record<string, ParameterSpec>>;

/**
 * The switches of an authentication policy this project is about (POP, IMAP, SMTP AUTH).
 * New-/Set-AuthenticationPolicy.md: AllowBasicAuth* apply to Exchange Online only;
 * BlockLegacyAuthPop/Imap (Exchange 2019 CU2 or later: block Basic, Digest and Windows
 * authentication) and BlockModernAuthPop/Imap (Exchange 2019 CU13 or later) to Exchange Server
 * 2019 and SE only. There is no BlockLegacyAuthSmtp.
 */
const AUTH_POLICY_FLAGS = {
  AllowBasicAuthPop: { type: 'boolean', platforms: ONLINE },
  AllowBasicAuthImap: { type: 'boolean', platforms: ONLINE },
  AllowBasicAuthSmtp: { type: 'boolean', platforms: ONLINE },
  BlockLegacyAuthPop: { type: 'boolean', platforms: ON_PREM },
  BlockLegacyAuthImap: { type: 'boolean', platforms: ON_PREM },
  BlockModernAuthPop: { type: 'boolean', platforms: ON_PREM },
  BlockModernAuthImap: { type: 'boolean', platforms: ON_PREM },
} as const satisfies Readonly<Record<string, ParameterSpec>>;

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
    returns: { AllowLegacyTLSClients: { type: 'boolean' }, SmtpClientAuthenticationDisabled: { type: 'boolean' } },
  },
  'Set-TransportConfig': {
    platforms: ONLINE,
    effect: 'write',
    parameters: { AllowLegacyTLSClients: { type: 'boolean' }, SmtpClientAuthenticationDisabled: { type: 'boolean' } },
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
    returns: PROTOCOL_SETTINGS,
  },
  'Set-PopSettings': {
    platforms: ON_PREM,
    effect: 'write',
    parameters: { Server: { type: 'string' }, ...PROTOCOL_SETTINGS },
  },
  'Get-ImapSettings': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Server: { type: 'string' } },
    returns: PROTOCOL_SETTINGS,
  },
  'Set-ImapSettings': {
    platforms: ON_PREM,
    effect: 'write',
    parameters: { Server: { type: 'string' }, ...PROTOCOL_SETTINGS },
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
  },
  'Get-CASMailbox': {
    platforms: ON_PREM,
    effect: 'read',
    parameters: { Identity: { type: 'string' }, ResultSize: { type: 'string' } },
    returns: CAS_MAILBOX_RETURNS,
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
    },
  },
  'Get-CASMailboxPlan': {
    platforms: ONLINE,
    effect: 'read',
    parameters: { Identity: { type: 'string' } },
    returns: { Identity: { type: 'string' }, PopEnabled: { type: 'boolean' }, ImapEnabled: { type: 'boolean' } },
  },
  'Set-CASMailboxPlan': {
    platforms: ONLINE,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, PopEnabled: { type: 'boolean' }, ImapEnabled: { type: 'boolean' } },
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
