/**
 * The simulated cmdlets: each takes the state and one catalog request, and returns what
 * PowerShell would return after the host's normalisation (connection settings and bindings as
 * strings, enums as strings), or throws an Exchange-like error. Validation happens before any
 * change, so a failed call leaves the state as it was.
 */
import { adminDisplayVersion, EXCHANGE_SE_RTM, parseExchangeVersion, type ExchangeVersion } from '../model/exchange-version';
import {
  assertCatalogRequest,
  canonicalConnectionSetting,
  CATALOG,
  CatalogError,
  isCmdletName,
  parameterSpec,
  PROTOCOL_SERVER_ROLE,
  PROTOCOL_SERVICES,
  PROTOCOL_SETTINGS_CMDLETS,
  type CmdletName,
} from '../exchange/catalog';
import { TRANSPORT_CONFIG_DEFAULTS } from '../exchange/defaults';
import { ExchangeError, type CmdletRequest, type JsonValue } from '../exchange/types';
import { connectionUriOfCloud, exchangeEnvironmentOf, usGovernmentCloudLabels } from '../model/clouds';
import { formatConnectionSetting, parseBinding, parseConnectionSetting } from '../model/connection-setting';
import { checkTimeout, formatTimeSpan, parseTimeSpan, TIMEOUT_RANGE } from '../model/timespan';
import type { Protocol, StartupType } from '../model/types';
import { AUTHENTICATION_POLICY_FLAG_KEYS, CAS_MAILBOX_PLAN_SETTING_KEYS, PROTOCOLS, US_GOVERNMENT_CLOUDS } from '../model/types';
import * as err from './errors';
import { identityForms, mailboxNames, proxyAddresses, type MailboxNames } from './mailbox-names';
import {
  acceptedDomains,
  ROW_IDENTITY,
  ROW_IMAP,
  ROW_POP,
  ROW_SMTP,
  ROW_SMTP_AUTH_DISABLED,
  type MailboxRow,
  type SimAuthenticationPolicy,
  type SimServer,
  type SimService,
  type SimulatorState,
} from './state';

export interface ExecuteResult {
  readonly data: JsonValue;
  readonly warnings: readonly string[];
  /** The state was modified and must be saved. */
  readonly changed: boolean;
}

type Params = Readonly<Record<string, JsonValue>>;

const GUID_SUFFIX = /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exchange's default ResultSize for Get-*Mailbox cmdlets. */
const DEFAULT_RESULT_SIZE = 1000;

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function ok(data: JsonValue, changed = false, warnings: readonly string[] = []): ExecuteResult {
  return { data, warnings, changed };
}

function noChangeWarning(cmdlet: string, identity: string): string {
  return `The command completed successfully but no settings of '${identity}' have been modified.`;
}

function requireString(cmdlet: string, params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw err.missingParameter(cmdlet, name);
  return value;
}

/** Exchange names the directory server it searched: a domain controller on premises. */
function notFound(state: SimulatorState, cmdlet: string, identity: string): ExchangeError {
  if (state.organization.platform === 'exchangeOnline') return err.notFound(cmdlet, identity);
  const domain = state.servers?.[0]?.fqdn.split('.').slice(1).join('.') || 'contoso.com';
  return err.notFound(cmdlet, identity, `DC01.${domain}`);
}

// ---- mailbox identity index, rebuilt whenever the rows array is replaced ----

const mailboxIndexes = new WeakMap<MailboxRow[], Map<string, number[]>>();

function mailboxIndex(state: SimulatorState): Map<string, number[]> {
  const rows = state.mailboxes;
  let index = mailboxIndexes.get(rows);
  if (index) return index;
  index = new Map();
  const put = (key: string, i: number): void => {
    const k = key.toLowerCase();
    const list = index?.get(k);
    if (!list) index?.set(k, [i]);
    else if (!list.includes(i)) list.push(i);
  };
  rows.forEach((row, i) => {
    for (const form of identityForms(namesOf(state, row))) put(form, i);
  });
  mailboxIndexes.set(rows, index);
  return index;
}

function namesOf(state: SimulatorState, row: MailboxRow): MailboxNames {
  return mailboxNames(row, state.organization.platform, state.organization.name);
}

/**
 * A mailbox as -Identity resolves it: identity, name, alias, distinguished name, GUID, any email
 * address or UPN, case-insensitively (Set-CASMailbox reference); ambiguous when several answer.
 */
export function findMailbox(state: SimulatorState, cmdlet: string, identity: string): MailboxRow {
  const hits = mailboxIndex(state).get(identity.toLowerCase()) ?? [];
  if (hits.length === 0) throw notFound(state, cmdlet, identity);
  if (hits.length > 1) throw err.ambiguous(cmdlet, identity);
  return state.mailboxes[hits[0] as number] as MailboxRow;
}

function resultSize(cmdlet: string, params: Params): number {
  const raw = params.ResultSize;
  if (raw === undefined) return DEFAULT_RESULT_SIZE;
  if (typeof raw === 'string' && same(raw, 'Unlimited')) return Number.POSITIVE_INFINITY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw err.invalidValue(cmdlet, 'ResultSize', raw, 'expected a positive whole number or Unlimited');
  return n;
}

function truncationWarning(total: number, size: number): string[] {
  return total > size ? ['There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.'] : [];
}

/** The Get-EXOCasMailbox properties the simulator models (of the many the REST cmdlet has). */
const EXO_CAS_PROPERTIES = ['Identity', 'Name', 'Guid', 'PrimarySmtpAddress', 'EmailAddresses', 'PopEnabled', 'ImapEnabled', 'SmtpClientAuthenticationDisabled'] as const;
type ExoCasProperty = (typeof EXO_CAS_PROPERTIES)[number];

/**
 * Every property set Get-EXOCasMailbox accepts (Get-EXOCasMailbox.md, -PropertySets) and, for
 * each, the modelled properties Microsoft lists in it (exchange/docs-conceptual/cmdlet-property-sets.md,
 * "Get-EXOCasMailbox property sets"): Minimum, the default, has PopEnabled and ImapEnabled (but
 * no DistinguishedName); every set has Identity, Name and Guid; All has everything, SMTP AUTH included.
 */
const EXO_CAS_PROPERTY_SETS: ReadonlyMap<string, readonly ExoCasProperty[]> = new Map<string, readonly ExoCasProperty[]>([
  ['minimum', ['Identity', 'Name', 'Guid', 'PrimarySmtpAddress', 'EmailAddresses', 'PopEnabled', 'ImapEnabled']],
  ['activesync', ['Identity', 'Name', 'Guid']],
  ['ews', ['Identity', 'Name', 'Guid']],
  ['imap', ['Identity', 'Name', 'Guid', 'ImapEnabled']],
  ['mapi', ['Identity', 'Name', 'Guid']],
  ['pop', ['Identity', 'Name', 'Guid', 'PopEnabled']],
  ['protocolsettings', ['Identity', 'Name', 'Guid']],
  ['all', EXO_CAS_PROPERTIES],
]);

/** One mailbox as Get-EXOCasMailbox returns it; plain ifs, as reads of 100,000 mailboxes call it 100,000 times. */
function exoMailboxObject(state: SimulatorState, row: MailboxRow, wanted: ReadonlySet<ExoCasProperty>): Record<string, JsonValue> {
  const names = namesOf(state, row);
  const o: Record<string, JsonValue> = { Identity: row[ROW_IDENTITY], Name: names.name, Guid: names.guid };
  if (wanted.has('PrimarySmtpAddress')) o.PrimarySmtpAddress = row[ROW_SMTP];
  if (wanted.has('EmailAddresses')) o.EmailAddresses = proxyAddresses(names);
  if (wanted.has('PopEnabled')) o.PopEnabled = row[ROW_POP];
  if (wanted.has('ImapEnabled')) o.ImapEnabled = row[ROW_IMAP];
  if (wanted.has('SmtpClientAuthenticationDisabled')) o.SmtpClientAuthenticationDisabled = row[ROW_SMTP_AUTH_DISABLED];
  return o;
}

/** The properties a Get-EXOCasMailbox call returns: those of its property sets (default Minimum) and those named by -Properties. */
function exoCasProperties(cmdlet: string, params: Params): ReadonlySet<ExoCasProperty> {
  const wanted = new Set<ExoCasProperty>();
  for (const set of (params.PropertySets as string[] | undefined) ?? ['Minimum']) {
    const properties = EXO_CAS_PROPERTY_SETS.get(set.toLowerCase());
    if (!properties) throw err.invalidValue(cmdlet, 'PropertySets', set, `not a property set of Get-EXOCasMailbox (${['Minimum', 'ActiveSync', 'Ews', 'Imap', 'Mapi', 'Pop', 'ProtocolSettings', 'All'].join(', ')})`);
    for (const p of properties) wanted.add(p);
  }
  for (const asked of (params.Properties as string[] | undefined) ?? []) {
    const known = EXO_CAS_PROPERTIES.find((p) => same(p, asked));
    if (known) wanted.add(known);
  }
  return wanted;
}

function getExoCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-EXOCasMailbox';
  const wanted = exoCasProperties(cmdlet, params);
  if (typeof params.Identity === 'string') return ok(exoMailboxObject(state, findMailbox(state, cmdlet, params.Identity), wanted));
  const size = resultSize(cmdlet, params);
  const rows = state.mailboxes;
  const n = Math.min(rows.length, size);
  const out: JsonValue[] = new Array<JsonValue>(n);
  for (let i = 0; i < n; i++) out[i] = exoMailboxObject(state, rows[i] as MailboxRow, wanted);
  return ok(out, false, truncationWarning(rows.length, size));
}

function onPremMailboxObject(state: SimulatorState, row: MailboxRow): Record<string, JsonValue> {
  const names = namesOf(state, row);
  return {
    Identity: row[ROW_IDENTITY],
    Name: names.name,
    Guid: names.guid,
    DistinguishedName: names.distinguishedName,
    PrimarySmtpAddress: row[ROW_SMTP],
    EmailAddresses: proxyAddresses(names),
    PopEnabled: row[ROW_POP],
    ImapEnabled: row[ROW_IMAP],
  };
}

function getCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-CASMailbox';
  if (typeof params.Identity === 'string') return ok(onPremMailboxObject(state, findMailbox(state, cmdlet, params.Identity)));
  const size = resultSize(cmdlet, params);
  const n = Math.min(state.mailboxes.length, size);
  const out: JsonValue[] = new Array<JsonValue>(n);
  for (let i = 0; i < n; i++) out[i] = onPremMailboxObject(state, state.mailboxes[i] as MailboxRow);
  return ok(out, false, truncationWarning(state.mailboxes.length, size));
}

function setCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-CASMailbox';
  const identity = requireString(cmdlet, params, 'Identity');
  const online = state.organization.platform === 'exchangeOnline';
  if (!online && 'SmtpClientAuthenticationDisabled' in params) throw err.parameterNotFound(cmdlet, 'SmtpClientAuthenticationDisabled');
  const row = findMailbox(state, cmdlet, identity);
  let changed = false;
  const assign = (column: typeof ROW_POP | typeof ROW_IMAP | typeof ROW_SMTP_AUTH_DISABLED, value: JsonValue | undefined): void => {
    if (value === undefined || row[column] === value) return;
    (row as unknown[])[column] = value;
    changed = true;
  };
  assign(ROW_POP, params.PopEnabled);
  assign(ROW_IMAP, params.ImapEnabled);
  assign(ROW_SMTP_AUTH_DISABLED, params.SmtpClientAuthenticationDisabled);
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, row[ROW_IDENTITY])]);
}

/** Every accepted domain, the first (the organisation's name unless the state lists others) the default; -ResultSize exists only in the cloud. */
function getAcceptedDomain(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-AcceptedDomain';
  if (state.organization.platform === 'exchangeServer' && 'ResultSize' in params) throw err.parameterNotFound(cmdlet, 'ResultSize');
  const domains = acceptedDomains(state.organization);
  const size = resultSize(cmdlet, params);
  const out = domains.slice(0, size).map((domain, i) => ({ Name: domain, DomainName: domain, DomainType: 'Authoritative', Default: i === 0 }));
  return ok(out, false, truncationWarning(domains.length, size));
}

// ---- organisation-wide (Exchange Online) ----

function transportConfig(state: SimulatorState): NonNullable<SimulatorState['transportConfig']> {
  state.transportConfig ??= { ...TRANSPORT_CONFIG_DEFAULTS };
  return state.transportConfig;
}

function setTransportConfig(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-TransportConfig';
  const cloud = state.organization.cloud;
  if (params.AllowLegacyTLSClients === true && cloud !== undefined && US_GOVERNMENT_CLOUDS.includes(cloud)) {
    throw err.invalidOperation(
      cmdlet,
      `AllowLegacyTLSClients can't be set to $true in this environment: the legacy TLS endpoints aren't available in ${usGovernmentCloudLabels('or')} organizations.`,
    );
  }
  const config = transportConfig(state);
  let changed = false;
  if (params.AllowLegacyTLSClients !== undefined && config.allowLegacyTLSClients !== params.AllowLegacyTLSClients) {
    config.allowLegacyTLSClients = params.AllowLegacyTLSClients as boolean;
    changed = true;
  }
  if (params.SmtpClientAuthenticationDisabled !== undefined && config.smtpClientAuthenticationDisabled !== params.SmtpClientAuthenticationDisabled) {
    config.smtpClientAuthenticationDisabled = params.SmtpClientAuthenticationDisabled as boolean;
    changed = true;
  }
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, 'Transport Settings')]);
}

function policies(state: SimulatorState): SimAuthenticationPolicy[] {
  state.authenticationPolicies ??= [];
  return state.authenticationPolicies;
}

/**
 * A policy's distinguished name, in the shape Exchange Online reports (the name escaped per
 * RFC 4514 as the first component; the rest of the path is illustrative).
 */
function policyDistinguishedName(state: SimulatorState, name: string): string {
  const escaped = name.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
  return `CN=${escaped},CN=Auth Policies,CN=${state.organization.name},CN=ConfigurationUnits,DC=EURPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`;
}

function policyObject(state: SimulatorState, p: SimAuthenticationPolicy): Record<string, JsonValue> {
  return {
    Name: p.name,
    Identity: p.name,
    DistinguishedName: policyDistinguishedName(state, p.name),
    AllowBasicAuthPop: p.allowBasicAuthPop,
    AllowBasicAuthImap: p.allowBasicAuthImap,
    AllowBasicAuthSmtp: p.allowBasicAuthSmtp,
  };
}

/** Get-OrganizationConfig's DefaultAuthenticationPolicy, in the form the state asks for. */
function reportedDefaultPolicy(state: SimulatorState): string | null {
  const name = state.organizationConfig?.defaultAuthenticationPolicy ?? null;
  if (name === null || state.organizationConfig?.reportDefaultPolicyAs !== 'distinguishedName') return name;
  return policyDistinguishedName(state, name);
}

function findPolicy(state: SimulatorState, cmdlet: string, identity: string): SimAuthenticationPolicy {
  const found = policies(state).find((p) => same(p.name, identity));
  if (!found) throw notFound(state, cmdlet, identity);
  return found;
}

/** `[parameter, model key]` of each Basic authentication flag. */
const POLICY_FLAGS = AUTHENTICATION_POLICY_FLAG_KEYS.map((key) => [parameterSpec('Set-AuthenticationPolicy', key).name, key] as const);

/** `[parameter, model key]` of each setting of a CAS mailbox plan. */
const PLAN_SETTINGS = CAS_MAILBOX_PLAN_SETTING_KEYS.map((key) => [parameterSpec('Set-CASMailboxPlan', key).name, key] as const);

function newAuthenticationPolicy(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'New-AuthenticationPolicy';
  const name = requireString(cmdlet, params, 'Name');
  if (name.trim() === '') throw err.invalidValue(cmdlet, 'Name', name, 'the name can\'t be empty');
  if (policies(state).some((p) => same(p.name, name))) throw err.alreadyExists(cmdlet, name);
  // A new authentication policy blocks Basic authentication for every protocol unless told otherwise.
  const policy: SimAuthenticationPolicy = { name, allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false };
  for (const [param, key] of POLICY_FLAGS) if (typeof params[param] === 'boolean') policy[key] = params[param] as boolean;
  policies(state).push(policy);
  // Writes return nothing through the host (it drops the output of write cmdlets).
  return ok(null, true);
}

function setAuthenticationPolicy(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-AuthenticationPolicy';
  const policy = findPolicy(state, cmdlet, requireString(cmdlet, params, 'Identity'));
  let changed = false;
  for (const [param, key] of POLICY_FLAGS) {
    const value = params[param];
    if (typeof value === 'boolean' && policy[key] !== value) {
      policy[key] = value;
      changed = true;
    }
  }
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, policy.name)]);
}

function removeAuthenticationPolicy(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Remove-AuthenticationPolicy';
  const policy = findPolicy(state, cmdlet, requireString(cmdlet, params, 'Identity'));
  const current = state.organizationConfig?.defaultAuthenticationPolicy;
  if (current !== undefined && current !== null && same(current, policy.name)) {
    throw err.invalidOperation(cmdlet, `The authentication policy '${policy.name}' is the organization's default policy and can't be removed.`);
  }
  state.authenticationPolicies = policies(state).filter((p) => p !== policy);
  return ok(null, true);
}

function setOrganizationConfig(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-OrganizationConfig';
  state.organizationConfig ??= { defaultAuthenticationPolicy: null };
  const wanted = params.DefaultAuthenticationPolicy;
  const unchanged = () => ok(null, false, [noChangeWarning(cmdlet, state.organization.name)]);
  if (wanted === undefined) return unchanged();
  // `$null` removes the organisation's default policy (Set-OrganizationConfig reference).
  if (wanted === null) {
    if (state.organizationConfig.defaultAuthenticationPolicy === null) return unchanged();
    state.organizationConfig.defaultAuthenticationPolicy = null;
    return ok(null, true);
  }
  const policy = findPolicy(state, cmdlet, wanted as string);
  if (state.organizationConfig.defaultAuthenticationPolicy === policy.name) return unchanged();
  state.organizationConfig.defaultAuthenticationPolicy = policy.name;
  return ok(null, true);
}

function planMatches(identity: string, candidate: string): boolean {
  return same(candidate, identity) || same(candidate.replace(GUID_SUFFIX, ''), identity);
}

function getCasMailboxPlan(state: SimulatorState, params: Params): ExecuteResult {
  const plans = state.casMailboxPlans ?? [];
  const identity = params.Identity;
  const selected = typeof identity === 'string' ? plans.filter((p) => planMatches(identity, p.identity)) : plans;
  if (typeof identity === 'string' && selected.length === 0) throw notFound(state, 'Get-CASMailboxPlan', identity);
  return ok(selected.map((p) => ({ Identity: p.identity, Name: p.identity, PopEnabled: p.popEnabled, ImapEnabled: p.imapEnabled })));
}

function setCasMailboxPlan(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-CASMailboxPlan';
  const identity = requireString(cmdlet, params, 'Identity');
  const matches = (state.casMailboxPlans ?? []).filter((p) => planMatches(identity, p.identity));
  if (matches.length === 0) throw notFound(state, cmdlet, identity);
  if (matches.length > 1) throw err.ambiguous(cmdlet, identity);
  const plan = matches[0] as NonNullable<SimulatorState['casMailboxPlans']>[number];
  let changed = false;
  for (const [param, key] of PLAN_SETTINGS) {
    const value = params[param];
    if (typeof value === 'boolean' && plan[key] !== value) {
      plan[key] = value;
      changed = true;
    }
  }
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, plan.identity)]);
}

// ---- Exchange Server: protocol settings and Windows services ----

function findServer(state: SimulatorState, cmdlet: string, name: string, computer: boolean): SimServer {
  const server = (state.servers ?? []).find((s) => same(s.name, name) || same(s.fqdn, name));
  if (!server) throw computer ? err.computerNotFound(cmdlet, name) : notFound(state, cmdlet, name);
  return server;
}

/**
 * Every simulated server is a Mailbox server (which runs the Client Access services too), of the
 * build its state gives (Exchange Server SE RTM when none), printed as Exchange prints AdminDisplayVersion.
 */
function getExchangeServer(state: SimulatorState): ExecuteResult {
  return ok(
    (state.servers ?? []).map((s) => ({
      Name: s.name,
      Fqdn: s.fqdn,
      ServerRole: PROTOCOL_SERVER_ROLE,
      AdminDisplayVersion: adminDisplayVersion(parseExchangeVersion(s.version ?? EXCHANGE_SE_RTM) as ExchangeVersion),
    })),
  );
}

function settingsServer(state: SimulatorState, cmdlet: string, params: Params): SimServer {
  const name = params.Server;
  if (typeof name === 'string') return findServer(state, cmdlet, name, false);
  // Without -Server, Exchange answers for the server the shell runs on.
  const first = state.servers?.[0];
  if (!first) throw notFound(state, cmdlet, '(local server)');
  return first;
}

function validateSetting(cmdlet: CmdletName, name: string, value: JsonValue): JsonValue {
  switch (parameterSpec(cmdlet, name).spec.type) {
    case 'endpointList':
      if (value === null) return []; // `$null` clears the list; it reads back empty.
      return (value as string[]).map((entry) => {
        const parsed = parseConnectionSetting(canonicalConnectionSetting(entry.trim()));
        if (!parsed.ok) throw err.invalidValue(cmdlet, name, entry, 'expected HostName:Port[:SSL|TLS] (leave the third part out for unencrypted).');
        return formatConnectionSetting(parsed.value);
      });
    case 'bindingList':
      if (value === null) return [];
      return (value as string[]).map((entry) => {
        if (!parseBinding(entry.trim()).ok) throw err.invalidValue(cmdlet, name, entry, 'expected IPAddress:Port, IPv6 addresses in brackets.');
        return entry.trim();
      });
    case 'timespan': {
      const text = (value as string).trim();
      if (!parseTimeSpan(text).ok) throw err.invalidValue(cmdlet, name, value, 'expected a time span dd.hh:mm:ss.');
      const checked = checkTimeout(text);
      if (!checked.ok) throw err.invalidValue(cmdlet, name, value, `the value must be between ${formatTimeSpan(TIMEOUT_RANGE.min)} and ${formatTimeSpan(TIMEOUT_RANGE.max)}.`);
      return checked.normalised;
    }
    case 'int':
      if ((value as number) < 1) throw err.invalidValue(cmdlet, name, value, 'the value must be greater than 0.');
      return value;
    default:
      return value;
  }
}

function sameSetting(a: JsonValue | undefined, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function getProtocolSettings(state: SimulatorState, cmdlet: string, protocol: Protocol, params: Params): ExecuteResult {
  const server = settingsServer(state, cmdlet, params);
  return ok({ Server: server.name, ...server[protocol].settings });
}

function setProtocolSettings(state: SimulatorState, cmdlet: CmdletName, protocol: Protocol, params: Params): ExecuteResult {
  const server = settingsServer(state, cmdlet, params);
  const target = server[protocol];
  const updates: [string, JsonValue][] = [];
  for (const [name, value] of Object.entries(params)) {
    if (name === 'Server') continue;
    updates.push([name, validateSetting(cmdlet, name, value)]);
  }
  const changedNames = updates.filter(([name, value]) => !sameSetting(target.settings[name], value)).map(([name]) => name);
  for (const [name, value] of updates) target.settings[name] = value;
  if (changedNames.length === 0) return ok(null, false, [noChangeWarning(cmdlet, server.name)]);
  for (const svc of [target.frontEnd, target.backEnd]) svc.pendingSettings = [...new Set([...svc.pendingSettings, ...changedNames])].sort();
  const service = protocol === 'pop3' ? 'POP3' : 'IMAP4';
  return ok(null, true, [`Changes to ${service} settings will only take effect after all Microsoft Exchange ${service} services are restarted on server ${server.name}.`]);
}

function serviceTargets(state: SimulatorState, cmdlet: string, computer: string, params: Params): { server: SimServer; services: { name: string; service: SimService }[] } {
  const server = findServer(state, cmdlet, computer, true);
  // Set-Service -Name takes one string, the other service cmdlets a list.
  const given = params.Name;
  const names = typeof given === 'string' ? [given] : (given as string[] | undefined);
  if (!names || names.length === 0) throw err.missingParameter(cmdlet, 'Name');
  const services = names.map((name) => {
    for (const protocol of ['pop3', 'imap4'] as const) {
      const { frontEnd, backEnd } = PROTOCOL_SERVICES[protocol];
      if (same(name, frontEnd)) return { name: frontEnd, service: server[protocol].frontEnd };
      if (same(name, backEnd)) return { name: backEnd, service: server[protocol].backEnd };
    }
    throw err.serviceNotFound(cmdlet, name);
  });
  return { server, services };
}

function serviceObject(name: string, service: SimService): Record<string, JsonValue> {
  return { Name: name, DisplayName: `Microsoft Exchange ${name.replace('MSExchange', '')}`, StartType: service.startupType, Status: service.status };
}

function runService(state: SimulatorState, cmdlet: CmdletName, computer: string, params: Params): ExecuteResult {
  const { services } = serviceTargets(state, cmdlet, computer, params);
  switch (cmdlet) {
    case 'Get-Service':
      return ok(services.map((s) => serviceObject(s.name, s.service)));
    case 'Set-Service': {
      const startupType = params.StartupType as StartupType | undefined;
      if (startupType === undefined) return ok(null);
      let changed = false;
      for (const s of services) {
        if (s.service.startupType !== startupType) {
          s.service.startupType = startupType;
          changed = true;
        }
      }
      return ok(null, changed);
    }
    case 'Start-Service':
    case 'Restart-Service': {
      for (const s of services) if (s.service.startupType === 'Disabled') throw err.serviceCannotStart(cmdlet, s.name);
      let changed = false;
      for (const s of services) {
        // A service reads its settings when it starts: a start of a stopped service or any restart picks up pending changes.
        if (cmdlet === 'Start-Service' && s.service.status === 'Running') continue;
        s.service.status = 'Running';
        s.service.pendingSettings = [];
        changed = true;
      }
      return ok(null, changed);
    }
    case 'Stop-Service': {
      let changed = false;
      for (const s of services) {
        if (s.service.status !== 'Stopped') {
          s.service.status = 'Stopped';
          changed = true;
        }
      }
      return ok(null, changed);
    }
    default:
      throw new Error(`${cmdlet} is not a service cmdlet`);
  }
}

/** The protocol each Get/Set settings cmdlet manages. */
const PROTOCOL_OF_SETTINGS_CMDLET: ReadonlyMap<CmdletName, Protocol> = new Map(
  PROTOCOLS.flatMap((protocol) => [PROTOCOL_SETTINGS_CMDLETS[protocol].get, PROTOCOL_SETTINGS_CMDLETS[protocol].set].map((cmdlet) => [cmdlet, protocol] as const)),
);

function protocolOfSettingsCmdlet(cmdlet: CmdletName): Protocol {
  const protocol = PROTOCOL_OF_SETTINGS_CMDLET.get(cmdlet);
  if (!protocol) throw new Error(`${cmdlet} manages no protocol's settings`);
  return protocol;
}

/** Runs one request against the state. Throws ExchangeError as Exchange would. */
export function execute(state: SimulatorState, request: CmdletRequest): ExecuteResult {
  const cmdlet = request.cmdlet;
  if (!isCmdletName(cmdlet)) throw err.commandNotFound(cmdlet);
  try {
    assertCatalogRequest(request);
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    if (e.reason === 'unknown-parameter') throw err.parameterNotFound(cmdlet, e.parameter ?? '');
    if (e.reason === 'bad-value') throw err.invalidValue(cmdlet, e.parameter ?? '', e.value ?? '', `expected ${e.expected ?? 'another value'}.`);
    throw e;
  }
  const spec = CATALOG[cmdlet];
  if (!(spec.platforms as readonly string[]).includes(state.organization.platform)) throw err.commandNotFound(cmdlet);
  const params = request.parameters;
  switch (cmdlet) {
    case 'Connect-ExchangeOnline':
    case 'New-PSSession':
      return connect(state, cmdlet, params);
    case 'Get-ConnectionInformation':
      return ok([{ ConnectionUri: connectionUriOfCloud(state.organization.cloud ?? 'worldwide'), Organization: state.organization.name, State: 'Connected', TokenStatus: 'Active' }]);
    case 'Get-AcceptedDomain':
      return getAcceptedDomain(state, params);
    case 'Get-TransportConfig': {
      const c = transportConfig(state);
      return ok({ AllowLegacyTLSClients: c.allowLegacyTLSClients, SmtpClientAuthenticationDisabled: c.smtpClientAuthenticationDisabled });
    }
    case 'Set-TransportConfig':
      return setTransportConfig(state, params);
    case 'Get-ExchangeServer':
      return getExchangeServer(state);
    case 'Get-PopSettings':
    case 'Get-ImapSettings':
      return getProtocolSettings(state, cmdlet, protocolOfSettingsCmdlet(cmdlet), params);
    case 'Set-PopSettings':
    case 'Set-ImapSettings':
      return setProtocolSettings(state, cmdlet, protocolOfSettingsCmdlet(cmdlet), params);
    case 'Get-Service':
    case 'Set-Service':
    case 'Start-Service':
    case 'Stop-Service':
    case 'Restart-Service':
      // assertCatalogRequest made sure a service cmdlet names its server (Invoke-Command's -ComputerName).
      return runService(state, cmdlet, request.computerName as string, params);
    case 'Get-EXOCasMailbox':
      return getExoCasMailbox(state, params);
    case 'Get-CASMailbox':
      return getCasMailbox(state, params);
    case 'Set-CASMailbox':
      return setCasMailbox(state, params);
    case 'Get-CASMailboxPlan':
      return getCasMailboxPlan(state, params);
    case 'Set-CASMailboxPlan':
      return setCasMailboxPlan(state, params);
    case 'Get-AuthenticationPolicy': {
      const identity = params.Identity;
      if (typeof identity === 'string') return ok(policyObject(state, findPolicy(state, cmdlet, identity)));
      return ok(policies(state).map((p) => policyObject(state, p)));
    }
    case 'New-AuthenticationPolicy':
      return newAuthenticationPolicy(state, params);
    case 'Set-AuthenticationPolicy':
      return setAuthenticationPolicy(state, params);
    case 'Remove-AuthenticationPolicy':
      return removeAuthenticationPolicy(state, params);
    case 'Get-OrganizationConfig':
      return ok({ Name: state.organization.name, DefaultAuthenticationPolicy: reportedDefaultPolicy(state) });
    case 'Set-OrganizationConfig':
      return setOrganizationConfig(state, params);
  }
  // A catalog entry without a simulation is a bug in the simulator, not an Exchange error.
  throw new ExchangeError(cmdlet, { message: `the simulator does not implement ${cmdlet}`, type: 'NotImplemented', fullyQualifiedErrorId: 'NotImplemented', category: 'NotImplemented', transient: false });
}

/** Connecting checks the organisation: an app registered in another tenant cannot sign in here. */
function connect(state: SimulatorState, cmdlet: CmdletName, params: Params): ExecuteResult {
  if (cmdlet === 'Connect-ExchangeOnline') {
    const organization = params.Organization;
    const environment = params.ExchangeEnvironmentName ?? exchangeEnvironmentOf('worldwide');
    const cloud = state.organization.cloud ?? 'worldwide';
    if ((typeof organization === 'string' && !same(organization, state.organization.name)) || environment !== exchangeEnvironmentOf(cloud)) {
      throw new ExchangeError(cmdlet, {
        message: `AADSTS90002: Tenant '${String(organization)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        type: 'Microsoft.Identity.Client.MsalServiceException',
        fullyQualifiedErrorId: 'Microsoft.Identity.Client.MsalServiceException,Connect-ExchangeOnline',
        category: 'AuthenticationError',
        transient: false,
      });
    }
  }
  return ok(null);
}
