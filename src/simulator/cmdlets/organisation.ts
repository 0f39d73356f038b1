/**
 * Simulated organisation-wide cmdlets: transport config and CAS mailbox plans (Exchange Online),
 * authentication policies and the organisation default (Exchange Online and Exchange Server 2019/SE).
 */
import { parameterSpec } from '../../exchange/request';
import { modelKey, TRANSPORT_CONFIG_SETTINGS, type CmdletName } from '../../exchange/catalog';
import { TRANSPORT_CONFIG_DEFAULTS } from '../../exchange/defaults';
import type { JsonValue } from '../../exchange/types';
import { usGovernmentCloudLabels } from '../../model/clouds';
import { compareVersions, EXCHANGE_SE_RTM, parseExchangeVersion, type ExchangeVersion } from '../../model/exchange-version';
import { AUTHENTICATION_POLICY_FLAG_KEYS, CAS_MAILBOX_PLAN_SETTING_KEYS, US_GOVERNMENT_CLOUDS } from '../../model/types';
import * as err from '../errors';
import type { SimAuthenticationPolicy, SimulatorState } from '../state';
import { derivedGuid } from '../mailbox-names';
import { GUID_SUFFIX, noChangeWarning, notFound, ok, requireString, same, type ExecuteResult, type Params, type Simulation } from './common';

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
  // Every setting of the catalog's table, under its model key (request.ts has checked each value's type).
  for (const parameter of Object.keys(TRANSPORT_CONFIG_SETTINGS)) {
    const value = params[parameter];
    const key = modelKey(parameter);
    if (value === undefined || config[key] === value) continue;
    config[key] = value;
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
export function policyDistinguishedName(state: SimulatorState, name: string): string {
  const escaped = name.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
  if (state.organization.platform === 'exchangeServer') {
    // On premises the policy lives in the organisation's configuration container (illustrative path).
    const dc = state.organization.name.split('.').map((label) => `DC=${label}`).join(',');
    return `CN=${escaped},CN=Auth Policies,CN=${state.organization.name},CN=Microsoft Exchange,CN=Services,CN=Configuration,${dc}`;
  }
  return `CN=${escaped},CN=Auth Policies,CN=${state.organization.name},CN=ConfigurationUnits,DC=EURPR01A001,DC=PROD,DC=OUTLOOK,DC=COM`;
}

/** A stable GUID per policy name. */
function policyGuid(name: string): string {
  return derivedGuid(`authentication-policy:${name.toLowerCase()}`);
}

function policyObject(state: SimulatorState, p: SimAuthenticationPolicy): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { Name: p.name, Identity: p.name, DistinguishedName: policyDistinguishedName(state, p.name), Guid: policyGuid(p.name) };
  // Each platform reports its own switches (the others are not parameters there).
  for (const [param, key] of POLICY_FLAGS) if (platformHas(state, param)) out[param] = p[key] ?? false;
  return out;
}

function platformHas(state: SimulatorState, param: string): boolean {
  return parameterSpec('Set-AuthenticationPolicy', param).spec.platforms?.includes(state.organization.platform) !== false;
}

/** Get-OrganizationConfig's DefaultAuthenticationPolicy, in the form the state asks for. */
function reportedDefaultPolicy(state: SimulatorState): string | null {
  const name = state.organizationConfig?.defaultAuthenticationPolicy ?? null;
  if (name === null || state.organizationConfig?.reportDefaultPolicyAs !== 'distinguishedName') return name;
  return policyDistinguishedName(state, name);
}

/** A policy as Exchange resolves an identity for it: name, distinguished name or GUID (Set-User and Set-OrganizationConfig reference). */
export function findPolicy(state: SimulatorState, cmdlet: string, identity: string): SimAuthenticationPolicy {
  const found = policies(state).find((p) => same(p.name, identity) || same(policyDistinguishedName(state, p.name), identity) || same(policyGuid(p.name), identity));
  if (!found) throw notFound(state, cmdlet, identity);
  return found;
}

/** `[parameter, model key]` of each Basic authentication flag. */
const POLICY_FLAGS = AUTHENTICATION_POLICY_FLAG_KEYS.map((key) => [parameterSpec('Set-AuthenticationPolicy', key).name, key] as const);

/** `[parameter, model key]` of each setting of a CAS mailbox plan. */
const PLAN_SETTINGS = CAS_MAILBOX_PLAN_SETTING_KEYS.map((key) => [parameterSpec('Set-CASMailboxPlan', key).name, key] as const);

/** Sets each boolean parameter given whose value differs; true when anything changed (Exchange warns otherwise). */
function setBooleans<K extends string>(target: { [key in K]?: boolean | null }, params: Params, pairs: readonly (readonly [string, K])[]): boolean {
  let changed = false;
  for (const [param, key] of pairs) {
    const value = params[param];
    if (typeof value === 'boolean' && target[key] !== value) {
      target[key] = value;
      changed = true;
    }
  }
  return changed;
}

function newAuthenticationPolicy(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'New-AuthenticationPolicy';
  const name = requireString(cmdlet, params, 'Name');
  if (name.trim() === '') throw err.invalidValue(cmdlet, 'Name', name, 'the name can\'t be empty');
  if (policies(state).some((p) => same(p.name, name))) throw err.alreadyExists(cmdlet, name);
  // A new authentication policy blocks Basic authentication for every protocol unless told otherwise
  // (Exchange Online); on premises it blocks nothing until a BlockLegacyAuth*/BlockModernAuth* switch says so.
  const policy: SimAuthenticationPolicy = { name, allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false };
  if (state.organization.platform === 'exchangeServer') Object.assign(policy, { blockLegacyAuthPop: false, blockLegacyAuthImap: false, blockModernAuthPop: false, blockModernAuthImap: false });
  for (const [param, key] of POLICY_FLAGS) if (typeof params[param] === 'boolean') policy[key] = params[param] as boolean;
  policies(state).push(policy);
  // Writes return nothing through the host (it drops the output of write cmdlets).
  return ok(null, true);
}

function setAuthenticationPolicy(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-AuthenticationPolicy';
  const policy = findPolicy(state, cmdlet, requireString(cmdlet, params, 'Identity'));
  const changed = setBooleans(policy, params, POLICY_FLAGS);
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
  // Unverified: what Exchange does with users still assigned a removed policy; here they lose the assignment.
  const assigned = state.userAuthenticationPolicies ?? {};
  for (const [user, name] of Object.entries(assigned)) if (same(name, policy.name)) delete assigned[user];
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
  const changed = setBooleans(plan, params, PLAN_SETTINGS);
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, plan.identity)]);
}

function getAuthenticationPolicy(state: SimulatorState, params: Params): ExecuteResult {
  const identity = params.Identity;
  if (typeof identity === 'string') return ok(policyObject(state, findPolicy(state, 'Get-AuthenticationPolicy', identity)));
  return ok(policies(state).map((p) => policyObject(state, p)));
}

/** The first Exchange Server 2019 build (15.2): Exchange 2016 is 15.1. */
const EXCHANGE_2019: ExchangeVersion = { major: 15, minor: 2, build: 0, revision: 0 };

/**
 * Exchange Server 2016 has no authentication policies: each *-AuthenticationPolicy reference page
 * lists Exchange Server 2019, Exchange Server SE and Exchange Online only, so an organisation whose
 * servers all run Exchange 2016 (15.1) or earlier does not know the cmdlet. Which server a mixed
 * organisation's remote session lands on is unverified: here, any 2019 or later server has it.
 */
function withAuthenticationPolicies(simulate: Simulation): Simulation {
  return (state, params, cmdlet, request) => {
    const servers = state.servers ?? [];
    const predates2019 = (version: string): boolean => {
      const v = parseExchangeVersion(version);
      return v !== undefined && compareVersions(v, EXCHANGE_2019) < 0;
    };
    if (state.organization.platform === 'exchangeServer' && servers.length > 0 && servers.every((s) => predates2019(s.version ?? EXCHANGE_SE_RTM))) {
      throw err.commandNotFound(cmdlet);
    }
    return simulate(state, params, cmdlet, request);
  };
}

export const ORGANISATION_SIMULATIONS = {
  'Get-TransportConfig': (state) => {
    const c = transportConfig(state);
    return ok(Object.fromEntries(Object.keys(TRANSPORT_CONFIG_SETTINGS).map((parameter) => [parameter, c[modelKey(parameter)] ?? null])));
  },
  'Set-TransportConfig': setTransportConfig,
  'Get-AuthenticationPolicy': withAuthenticationPolicies(getAuthenticationPolicy),
  'New-AuthenticationPolicy': withAuthenticationPolicies(newAuthenticationPolicy),
  'Set-AuthenticationPolicy': withAuthenticationPolicies(setAuthenticationPolicy),
  'Remove-AuthenticationPolicy': withAuthenticationPolicies(removeAuthenticationPolicy),
  'Get-OrganizationConfig': (state) => ok({ Name: state.organization.name, DefaultAuthenticationPolicy: reportedDefaultPolicy(state) }),
  'Set-OrganizationConfig': setOrganizationConfig,
  'Get-CASMailboxPlan': getCasMailboxPlan,
  'Set-CASMailboxPlan': setCasMailboxPlan,
} satisfies Partial<Record<CmdletName, Simulation>>;
