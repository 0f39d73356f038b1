/**
 * The cmdlet catalog: every Exchange (and Windows service) cmdlet and parameter mailpolicy
 * reads or writes, defined once. Requests are built only through `buildRequest`, which refuses
 * anything not listed here; the PowerShell host's allowlist is generated from this table; the
 * reader normalises results with `readBack`. Facts: docs/exchange-facts.md.
 *
 * Model keys are the parameter names with the first letter lowercased (the YAML contract), so
 * the mapping between model and cmdlet needs no second table.
 */
import { EXCHANGE_ENVIRONMENTS } from '../model/clouds';
import type { Platform, Protocol } from '../model/types';
import { LOGIN_TYPES, STARTUP_TYPES } from '../model/types';
import type { CmdletRequest, JsonValue } from './types';
import { formatTimeSpan, parseTimeSpan } from '../model/timespan';
import { isRecord } from './is-record';

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
const PROTOCOL_SETTINGS: Readonly<Record<string, ParameterSpec>> = {
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
};

const AUTH_POLICY_FLAGS: Readonly<Record<string, ParameterSpec>> = {
  AllowBasicAuthPop: { type: 'boolean' },
  AllowBasicAuthImap: { type: 'boolean' },
  AllowBasicAuthSmtp: { type: 'boolean' },
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
  'Get-AuthenticationPolicy': {
    platforms: ONLINE,
    effect: 'read',
    parameters: { Identity: { type: 'string' } },
    // DistinguishedName and Guid: what Get-OrganizationConfig's DefaultAuthenticationPolicy may hold
    // instead of the name (Set-OrganizationConfig reference: the policy is named by name, DN or GUID).
    // Unverified: the Get-AuthenticationPolicy reference lists no output properties.
    returns: { Name: { type: 'string' }, DistinguishedName: { type: 'nullableString' }, Guid: { type: 'nullableString' }, ...AUTH_POLICY_FLAGS },
  },
  'New-AuthenticationPolicy': {
    platforms: ONLINE,
    effect: 'write',
    parameters: { Name: { type: 'string' }, ...AUTH_POLICY_FLAGS },
  },
  'Set-AuthenticationPolicy': {
    platforms: ONLINE,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, ...AUTH_POLICY_FLAGS },
  },
  'Remove-AuthenticationPolicy': {
    platforms: ONLINE,
    effect: 'write',
    parameters: { Identity: { type: 'string' }, Confirm: { type: 'boolean' } },
  },
  'Get-OrganizationConfig': {
    platforms: ONLINE,
    effect: 'read',
    parameters: {},
    returns: { DefaultAuthenticationPolicy: { type: 'string' } },
  },
  'Set-OrganizationConfig': {
    platforms: ONLINE,
    effect: 'write',
    // Set-OrganizationConfig reference, -DefaultAuthenticationPolicy: "To remove the default policy assignment for the organization, use the value $null."
    parameters: { DefaultAuthenticationPolicy: { type: 'nullableString' } },
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

/** What a CatalogError is about, so callers (the simulator's Exchange-like errors) need not parse its message. */
export type CatalogErrorReason =
  /** The cmdlet is not in the catalog. */
  | 'unknown-cmdlet'
  /** The cmdlet has no catalog parameter of that name. */
  | 'unknown-parameter'
  /** A parameter's value is not of the parameter's type. */
  | 'bad-value'
  /** A read returned something other than objects, or the cmdlet returns nothing mailpolicy reads. */
  | 'bad-result'
  /** A Windows service cmdlet without the server it runs on, or another cmdlet given one. */
  | 'bad-target';

export interface CatalogErrorDetails {
  readonly reason: CatalogErrorReason;
  readonly cmdlet: string;
  /** The parameter as given (model key or Exchange name); the Exchange name for `bad-value`. */
  readonly parameter?: string;
  /** The rejected value (`bad-value`); left out for a secret parameter. */
  readonly value?: JsonValue;
  /** What the parameter takes (`bad-value`), e.g. `a boolean`. */
  readonly expected?: string;
}

export class CatalogError extends Error {
  override readonly name = 'CatalogError';
  readonly reason: CatalogErrorReason;
  readonly cmdlet: string;
  readonly parameter: string | undefined;
  readonly value: JsonValue | undefined;
  readonly expected: string | undefined;

  constructor(message: string, details: CatalogErrorDetails) {
    super(message);
    this.reason = details.reason;
    this.cmdlet = details.cmdlet;
    this.parameter = details.parameter;
    this.value = details.value;
    this.expected = details.expected;
  }
}

function notInCatalog(cmdlet: string): CatalogError {
  return new CatalogError(`${cmdlet} is not in the cmdlet catalog`, { reason: 'unknown-cmdlet', cmdlet });
}

function noSuchParameter(cmdlet: string, parameter: string): CatalogError {
  return new CatalogError(`${cmdlet} has no catalog parameter ${parameter}`, { reason: 'unknown-parameter', cmdlet, parameter });
}

/** Per cmdlet: each parameter under its model key and its Exchange name, built once (buildRequest runs once per mailbox). */
const parameterIndex = new Map<CmdletName, ReadonlyMap<string, CatalogParameter>>();

export interface CatalogParameter {
  /** The Exchange parameter name, e.g. `SSLBindings`. */
  readonly name: string;
  readonly spec: ParameterSpec;
}

/**
 * The catalog parameter of a cmdlet that a model key (`sslBindings`) or an Exchange name
 * (`SSLBindings`) stands for: the one mapping between model and cmdlet.
 */
export function parameterSpec(cmdlet: CmdletName, key: string): CatalogParameter {
  let index = parameterIndex.get(cmdlet);
  if (!index) {
    const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[cmdlet].parameters;
    const built = new Map<string, CatalogParameter>();
    for (const [name, spec] of Object.entries(parameters)) {
      built.set(modelKey(name), { name, spec });
      built.set(name, { name, spec });
    }
    parameterIndex.set(cmdlet, built);
    index = built;
  }
  const found = index.get(key);
  if (!found) throw noSuchParameter(cmdlet, key);
  return found;
}

function checkValue(cmdlet: string, name: string, spec: ParameterSpec, value: JsonValue): void {
  const fail = (expected: string): never => {
    throw new CatalogError(`${cmdlet} -${name}: expected ${expected}`, { reason: 'bad-value', cmdlet, parameter: name, value: isSecretType(spec.type) ? undefined : value, expected });
  };
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return;
    case 'nullableBoolean':
      if (value !== null && typeof value !== 'boolean') fail('a boolean or null');
      return;
    case 'switch':
      if (value !== true) fail('true (a switch)');
      return;
    case 'string':
    case 'secret':
    case 'timespan':
      if (typeof value !== 'string') fail('a string');
      return;
    case 'nullableString':
      if (value !== null && typeof value !== 'string') fail('a string or null');
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer');
      return;
    case 'enum':
      if (typeof value !== 'string' || !(spec.values ?? []).includes(value)) fail(`one of ${(spec.values ?? []).join(', ')}`);
      return;
    case 'credential':
      if (!isRecord(value) || Object.keys(value).sort().join(',') !== 'Password,UserName' || typeof value.UserName !== 'string' || value.UserName === '' || typeof value.Password !== 'string') {
        fail('an object {UserName, Password}');
      }
      return;
    case 'stringList':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail('a list of strings');
      return;
    case 'endpointList':
    case 'bindingList':
      // `$null` is the blank value that clears the list (Set-PopSettings / Set-ImapSettings reference).
      if (value !== null && (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))) fail('a list of strings or null');
      return;
  }
}

/**
 * The only way to build a request: parameters are given by model key (or Exchange name) and
 * must be catalog entries of that cmdlet with values of the right type.
 */
export function buildRequest(cmdlet: CmdletName, parameters: Readonly<Record<string, JsonValue | undefined>> = {}, computerName?: string): CmdletRequest {
  if (!isCmdletName(cmdlet)) throw notInCatalog(String(cmdlet));
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined) continue;
    const { name, spec } = parameterSpec(cmdlet, key);
    checkValue(cmdlet, name, spec, value);
    out[name] = value;
  }
  checkComputerName(cmdlet, computerName);
  return Object.freeze({ cmdlet, parameters: Object.freeze(out), ...(computerName === undefined ? {} : { computerName }) });
}

/** A Windows service cmdlet names the server it runs on; no other cmdlet does. */
function checkComputerName(cmdlet: CmdletName, computerName: unknown): void {
  const remote = (CATALOG[cmdlet] as CmdletSpec).remoteService === true;
  if (remote && (typeof computerName !== 'string' || computerName.length === 0)) {
    throw new CatalogError(`${cmdlet} runs on an Exchange server: the request must name it (computerName)`, { reason: 'bad-target', cmdlet });
  }
  if (!remote && computerName !== undefined) {
    throw new CatalogError(`${cmdlet} does not run through Invoke-Command: the request cannot name a computer`, { reason: 'bad-target', cmdlet });
  }
}

/** Checks a request received from elsewhere (host protocol, simulator) against the catalog. */
export function assertCatalogRequest(request: CmdletRequest): asserts request is CmdletRequest & { cmdlet: CmdletName } {
  if (!isCmdletName(request.cmdlet)) throw notInCatalog(request.cmdlet);
  const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[request.cmdlet].parameters;
  for (const [name, value] of Object.entries(request.parameters)) {
    const spec = parameters[name];
    if (!spec) throw noSuchParameter(request.cmdlet, name);
    checkValue(request.cmdlet, name, spec, value);
  }
  checkComputerName(request.cmdlet, request.computerName);
}

/** Names of the secret parameters of a cmdlet (for redaction). */
export function secretParameters(cmdlet: CmdletName): string[] {
  const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[cmdlet].parameters;
  return Object.entries(parameters)
    .filter(([, spec]) => isSecretType(spec.type))
    .map(([name]) => name);
}

/** Types whose whole value is secret: a password or token, or a credential (whose password is). */
function isSecretType(type: ValueType): boolean {
  return type === 'secret' || type === 'credential';
}

// ---- Reading back: Exchange's printed forms → model values. ----

/**
 * `host:995:Ssl` → `host:995:SSL`: Exchange takes the encryption part of a connection setting in
 * any case and prints it in capitals, as the model writes it.
 */
export function canonicalConnectionSetting(text: string): string {
  return text.replace(/:(ssl|tls)$/i, (suffix) => suffix.toUpperCase());
}

/** `{Hostname, Port, EncryptionType}` or its string form → `host:port[:SSL|TLS]`. */
function endpointToString(value: unknown): string {
  if (typeof value === 'string') return canonicalConnectionSetting(value);
  if (isRecord(value)) {
    const host = String(value.Hostname ?? value.HostName ?? '');
    const port = String(value.Port ?? '');
    const enc = value.EncryptionType;
    return canonicalConnectionSetting(enc === null || enc === undefined || enc === '' ? `${host}:${port}` : `${host}:${port}:${String(enc)}`);
  }
  return String(value);
}

/** IPEndPoint `{Address, Port}` → `IP:Port`, IPv6 in brackets; strings pass through. */
function bindingToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const address = String(value.Address ?? '');
    const port = String(value.Port ?? '');
    return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  }
  return String(value);
}

/** TimeSpan object or string → `hh:mm:ss` / `d.hh:mm:ss` (how Exchange prints it). */
export function timespanToString(value: unknown): string {
  if (typeof value === 'string') return normaliseTimespan(value);
  if (isRecord(value) && typeof value.TotalSeconds === 'number') return secondsToTimespan(value.TotalSeconds);
  if (isRecord(value) && typeof value.Ticks === 'number') return secondsToTimespan(value.Ticks / 1e7);
  return String(value);
}

/** Exchange's printed form of a duration; the model owns the format. */
export function secondsToTimespan(totalSeconds: number): string {
  return formatTimeSpan(Math.round(totalSeconds));
}

/** Seconds of `[d.]hh:mm:ss`, or NaN when the text is not a timespan. */
export function timespanSeconds(text: string): number {
  const parsed = parseTimeSpan(text.trim());
  return parsed.ok ? parsed.seconds : Number.NaN;
}

export function normaliseTimespan(text: string): string {
  const seconds = timespanSeconds(text);
  return Number.isNaN(seconds) ? text : secondsToTimespan(seconds);
}

function readValue(spec: ParameterSpec, raw: unknown): JsonValue {
  switch (spec.type) {
    case 'boolean':
      return raw === true;
    case 'nullableBoolean':
      return raw === null || raw === undefined ? null : raw === true;
    case 'int':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'stringList':
      return raw === null || raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
    case 'endpointList':
      return raw === null || raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(endpointToString);
    case 'bindingList':
      return raw === null || raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(bindingToString);
    case 'timespan':
      return raw === null || raw === undefined ? null : timespanToString(raw);
    case 'string':
    case 'nullableString':
    case 'secret':
    case 'enum':
    case 'switch':
      return raw === null || raw === undefined ? null : String(raw);
    case 'credential':
      // Never read back: a credential is only sent.
      return null;
  }
}

/**
 * Normalises one object a read cmdlet returned: only the catalog's `returns` properties, keyed
 * by model key, in their canonical printed form.
 */
export function readBack(cmdlet: CmdletName, raw: unknown): Record<string, JsonValue> {
  const returns = returnFields(cmdlet);
  if (!isRecord(raw)) throw new CatalogError(`${cmdlet} returned ${raw === null ? 'null' : typeof raw}, expected an object`, { reason: 'bad-result', cmdlet });
  const out: Record<string, JsonValue> = {};
  for (const [name, key, spec] of returns) out[key] = readValue(spec, raw[name]);
  return out;
}

/** `[parameter, model key, spec]` of a read's returns, computed once per cmdlet: reads of 100,000 mailboxes call readBack 100,000 times. */
const returnFieldCache = new Map<CmdletName, readonly (readonly [string, string, ParameterSpec])[]>();

function returnFields(cmdlet: CmdletName): readonly (readonly [string, string, ParameterSpec])[] {
  let fields = returnFieldCache.get(cmdlet);
  if (fields) return fields;
  const returns: Readonly<Record<string, ParameterSpec>> | undefined = (CATALOG[cmdlet] as CmdletSpec).returns;
  if (!returns) throw new CatalogError(`${cmdlet} returns nothing mailpolicy reads`, { reason: 'bad-result', cmdlet });
  fields = Object.entries(returns).map(([name, spec]) => [name, modelKey(name), spec] as const);
  returnFieldCache.set(cmdlet, fields);
  return fields;
}

/** A read's result as a list: PowerShell returns a single object unwrapped and nothing as null. */
export function resultList(raw: JsonValue): readonly JsonValue[] {
  if (raw === null) return [];
  return Array.isArray(raw) ? raw : [raw];
}
