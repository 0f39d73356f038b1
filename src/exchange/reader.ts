/**
 * Reads each section of an organisation through any backend and returns the Actual* shapes.
 * Requests are built with the catalog, results normalised with `readBack`. A failed read
 * throws (an ExchangeError from the backend, or a CatalogError for a result of the wrong
 * shape): nothing is ever reported "absent" because a read failed.
 */
import { AUTHENTICATION_POLICY_FLAG_KEYS, type Protocol, type ServiceState, type StartupType } from '../model/types';
import { PROTOCOL_SERVICES, PROTOCOL_SETTINGS_CMDLETS, type CmdletName } from './catalog';
import { buildRequest } from './request';
import { readBack, resultList } from './read-back';
import {
  ExchangeError,
  type ActualAuthenticationPolicies,
  type ActualAuthenticationPolicy,
  type ActualCertificate,
  type ActualServerCertificates,
  type ActualCasMailbox,
  type ActualCasMailboxPlan,
  type ActualExchangeServer,
  type ActualProtocolService,
  type ActualProtocolSettings,
  type ActualReceiveConnector,
  type ActualReceiveConnectorSettings,
  type ActualService,
  type ActualTransportConfig,
  type ActualUser,
  type ExchangeBackend,
  type UserLookup,
  type JsonValue,
  type MailboxLookup,
} from './types';
import { isAmbiguous, isNotFound } from './errors';

/** A read that returned nothing where Exchange always returns an object. */
function missing(cmdlet: CmdletName, what: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `${cmdlet} returned no ${what}`,
    type: 'MailpolicyReadError',
    fullyQualifiedErrorId: `EmptyResult,${cmdlet}`,
    category: 'ReadError',
    transient: false,
  });
}

/** The one object a singleton read (Get-TransportConfig, Get-PopSettings …) returns. */
function single(cmdlet: CmdletName, raw: JsonValue): Record<string, JsonValue> {
  const list = resultList(raw);
  if (list.length === 0) throw missing(cmdlet, 'object');
  return readBack(cmdlet, list[0]);
}

export async function readTransportConfig(backend: ExchangeBackend): Promise<ActualTransportConfig> {
  const o = single('Get-TransportConfig', await backend.invoke(buildRequest('Get-TransportConfig')));
  return { allowLegacyTLSClients: o.allowLegacyTLSClients as boolean, smtpClientAuthenticationDisabled: o.smtpClientAuthenticationDisabled as boolean };
}

export async function readAuthenticationPolicies(backend: ExchangeBackend, assignedTo: readonly string[] = []): Promise<ActualAuthenticationPolicies> {
  const [rawPolicies, rawOrg] = await Promise.all([backend.invoke(buildRequest('Get-AuthenticationPolicy')), backend.invoke(buildRequest('Get-OrganizationConfig'))]);
  const identities: PolicyIdentities[] = [];
  const policies = resultList(rawPolicies).map((raw): ActualAuthenticationPolicy => {
    const o = readBack('Get-AuthenticationPolicy', raw);
    identities.push({ name: o.name as string, others: [o.distinguishedName, o.guid].filter((v): v is string => typeof v === 'string' && v !== '') });
    const policy: Record<string, JsonValue> = { name: o.name as string };
    // Each platform prints only its own switches: the other platform's read back false.
    for (const key of AUTHENTICATION_POLICY_FLAG_KEYS) policy[key] = o[key] === true;
    return policy as unknown as ActualAuthenticationPolicy;
  });
  const org = single('Get-OrganizationConfig', rawOrg);
  const users = assignedTo.length > 0 ? await lookUpUsers(backend, assignedTo, identities) : undefined;
  return { policies, defaultPolicy: policyNameOf(org.defaultAuthenticationPolicy, identities), ...(users ? { users } : {}) };
}

/**
 * Asks Exchange for each user an authentication policy is assigned to (Get-User -Identity, which
 * takes what Set-User -Identity takes), all in one round trip: no read of every user when a
 * document lists a few. Not found and ambiguous are answers; any other failure rejects.
 */
async function lookUpUsers(backend: ExchangeBackend, identities: readonly string[], policies: readonly PolicyIdentities[]): Promise<Map<string, UserLookup>> {
  const unique = [...new Map(identities.map((i) => [i.toLowerCase(), i])).values()];
  const results = await backend.invokeBatch(unique.map((identity) => buildRequest('Get-User', { identity })));
  const found = new Map<string, UserLookup>();
  unique.forEach((identity, i) => {
    const result = results[i];
    if (!result) throw missing('Get-User', `answer for ${identity}`);
    let answer: UserLookup;
    if (!result.ok) {
      if (isNotFound(result.error)) answer = { user: null, reason: 'none' };
      else if (isAmbiguous(result.error)) answer = { user: null, reason: 'ambiguous' };
      else throw new ExchangeError('Get-User', result.error);
    } else {
      const list = resultList(result.data);
      answer = list.length === 1 ? { user: userOf(list[0], policies) } : { user: null, reason: list.length === 0 ? 'none' : 'ambiguous' };
    }
    found.set(identity.toLowerCase(), answer);
  });
  return found;
}

function userOf(raw: JsonValue | undefined, policies: readonly PolicyIdentities[]): ActualUser {
  const o = readBack('Get-User', raw);
  const upn = typeof o.userPrincipalName === 'string' && o.userPrincipalName !== '' ? o.userPrincipalName : undefined;
  return { identity: (o.identity as string | null) ?? '', ...(upn ? { userPrincipalName: upn } : {}), authenticationPolicy: policyNameOf(o.authenticationPolicy, policies) };
}

/**
 * Every user with an authentication policy assigned, and the policy's name (export): one
 * Get-User -ResultSize Unlimited, as an export reads every mailbox anyway.
 */
export async function readPolicyAssignments(backend: ExchangeBackend, policies: readonly ActualAuthenticationPolicy[]): Promise<ActualUser[]> {
  const raw = await backend.invoke(buildRequest('Get-User', { resultSize: 'Unlimited' }));
  const known = policies.map((p) => ({ name: p.name, others: [] }));
  return resultList(raw)
    .map((item) => userOf(item, known))
    .filter((u) => u.authenticationPolicy !== null);
}

interface PolicyIdentities {
  readonly name: string;
  /** The policy's DN and GUID, where Get-AuthenticationPolicy returned them. */
  readonly others: readonly string[];
}

const sameText = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The name of a policy Exchange names in some form: the organisation's default, a user's
 * assigned policy. Get-OrganizationConfig reports the default as a name, a DN (Exchange Online)
 * or a GUID depending on the platform (Set-OrganizationConfig reference,
 * -DefaultAuthenticationPolicy), and Get-User a user's policy as its DN, so it is matched against
 * each policy's name, DN and GUID; a DN of no policy read gives its first component's CN.
 * `$null` or empty: none.
 */
function policyNameOf(raw: JsonValue | undefined, policies: readonly PolicyIdentities[]): string | null {
  if (typeof raw !== 'string' || raw === '') return null;
  const known = policies.find((p) => sameText(p.name, raw) || p.others.some((o) => sameText(o, raw)));
  if (known) return known.name;
  return commonNameOf(raw) ?? raw;
}

/** The value of a DN's first component when it is `CN=` (RFC 4514 escapes undone), else undefined. */
function commonNameOf(dn: string): string | undefined {
  const match = /^CN=((?:[^,\\]|\\.)*)(?:,|$)/i.exec(dn);
  return match ? (match[1] as string).replace(/\\(.)/g, '$1') : undefined;
}

export async function readCasMailboxPlans(backend: ExchangeBackend): Promise<ActualCasMailboxPlan[]> {
  const raw = await backend.invoke(buildRequest('Get-CASMailboxPlan'));
  return resultList(raw).map((item) => {
    const o = readBack('Get-CASMailboxPlan', item);
    return { identity: o.identity as string, popEnabled: o.popEnabled as boolean, imapEnabled: o.imapEnabled as boolean };
  });
}

/**
 * Every mailbox's protocol settings: Get-EXOCasMailbox (REST, all mailboxes, only the property
 * set needed: Minimum has PopEnabled and ImapEnabled; the Pop and Imap sets add the per-mailbox
 * options, which 100,000 mailboxes should not carry unasked; cmdlet-property-sets.md) on Exchange Online, Get-CASMailbox on Exchange Server. ResultSize is always
 * Unlimited: the default of 1000 would silently drop mailboxes.
 */
export async function readCasMailboxes(backend: ExchangeBackend): Promise<ActualCasMailbox[]> {
  const { platform } = await backend.connection();
  const online = platform === 'exchangeOnline';
  const cmdlet: CmdletName = online ? 'Get-EXOCasMailbox' : 'Get-CASMailbox';
  const request = online
    ? buildRequest('Get-EXOCasMailbox', { resultSize: 'Unlimited', propertySets: ['Minimum'], properties: ['SmtpClientAuthenticationDisabled'] })
    : buildRequest('Get-CASMailbox', { resultSize: 'Unlimited' });
  const list = resultList(await backend.invoke(request));
  const out: ActualCasMailbox[] = new Array<ActualCasMailbox>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = mailboxOf(cmdlet, list[i], online);
  return out;
}

/**
 * The organisation's accepted domains, as Exchange prints them (`contoso.com`, `*.contoso.com`).
 * Exchange Online lists at most 1000 unless asked for all; Exchange Server has no -ResultSize.
 */
export async function readAcceptedDomains(backend: ExchangeBackend): Promise<string[]> {
  const { platform } = await backend.connection();
  const request = platform === 'exchangeOnline' ? buildRequest('Get-AcceptedDomain', { resultSize: 'Unlimited' }) : buildRequest('Get-AcceptedDomain');
  const domains = resultList(await backend.invoke(request)).map((item) => readBack('Get-AcceptedDomain', item).domainName);
  return domains.filter((d): d is string => typeof d === 'string' && d !== '');
}

/**
 * `SMTP:a@contoso.com`, `smtp:b@contoso.com`, `X500:…` → the SMTP addresses. The primary
 * address is the string `primary` already holds, not a slice of the entry (which would keep the
 * whole entry alive beside it, for each of 100,000 mailboxes).
 */
function smtpAddresses(entries: unknown, primary: string): string[] {
  if (!Array.isArray(entries)) return [];
  const out: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string' || !/^smtp:/i.test(entry)) continue;
    const address = entry.slice(5);
    out.push(address === primary ? primary : address);
  }
  return out;
}

function mailboxOf(cmdlet: CmdletName, raw: JsonValue | undefined, online: boolean): ActualCasMailbox {
  const o = readBack(cmdlet, raw);
  const text = (value: JsonValue | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const name = text(o.name);
  const guid = text(o.guid);
  const distinguishedName = text(o.distinguishedName);
  const primarySmtpAddress = (o.primarySmtpAddress as string | null) ?? '';
  const emailAddresses = smtpAddresses(o.emailAddresses, primarySmtpAddress);
  return {
    identity: (o.identity as string | null) ?? '',
    primarySmtpAddress,
    ...(name === undefined ? {} : { name }),
    ...(guid === undefined ? {} : { guid }),
    ...(distinguishedName === undefined ? {} : { distinguishedName }),
    ...(emailAddresses.length === 0 ? {} : { emailAddresses }),
    popEnabled: o.popEnabled as boolean,
    imapEnabled: o.imapEnabled as boolean,
    smtpClientAuthenticationDisabled: online ? (o.smtpClientAuthenticationDisabled as boolean | null) : null,
  };
}

/**
 * Asks Exchange which mailbox each identity names, as Set-CASMailbox -Identity would resolve it
 * (alias and user principal name included, which the bulk read does not return): one
 * Get-EXOCasMailbox / Get-CASMailbox -Identity per identity, all in one round trip. Not found
 * and ambiguous are answers; any other failure rejects (a failed read is never "no mailbox").
 */
export async function lookUpMailboxes(backend: ExchangeBackend, identities: readonly string[]): Promise<Map<string, MailboxLookup>> {
  const found = new Map<string, MailboxLookup>();
  if (identities.length === 0) return found;
  const online = (await backend.connection()).platform === 'exchangeOnline';
  const cmdlet: CmdletName = online ? 'Get-EXOCasMailbox' : 'Get-CASMailbox';
  const results = await backend.invokeBatch(identities.map((identity) => buildRequest(cmdlet, { identity })));
  identities.forEach((identity, i) => {
    const result = results[i];
    if (!result) throw missing(cmdlet, `answer for ${identity}`);
    let answer: MailboxLookup;
    if (!result.ok) {
      if (isNotFound(result.error)) answer = { found: null, reason: 'none' };
      else if (isAmbiguous(result.error)) answer = { found: null, reason: 'ambiguous' };
      else throw new ExchangeError(cmdlet, result.error);
    } else {
      // More than one object for one identity is not a mailbox it names (the reference warns that an
      // identity Exchange does not take can return every mailbox).
      const list = resultList(result.data);
      const mailbox = list.length === 1 ? mailboxOf(cmdlet, list[0], online) : undefined;
      answer = mailbox ? { found: mailbox.guid ?? mailbox.identity } : { found: null, reason: list.length === 0 ? 'none' : 'ambiguous' };
    }
    found.set(identity.toLowerCase(), answer);
  });
  return found;
}

/** Every server of an Exchange Server organisation, with its role (only Mailbox servers run POP3/IMAP4: `runsMailProtocols`). */
export async function readServers(backend: ExchangeBackend): Promise<ActualExchangeServer[]> {
  const raw = await backend.invoke(buildRequest('Get-ExchangeServer'));
  return resultList(raw).map((item) => {
    const o = readBack('Get-ExchangeServer', item);
    // A server without a name cannot be read further: an error, not a server to skip.
    if (typeof o.name !== 'string' || o.name === '') throw missing('Get-ExchangeServer', 'server name');
    return { name: o.name, serverRole: (o.serverRole as string | null) ?? null, adminDisplayVersion: (o.adminDisplayVersion as string | null) ?? null };
  });
}

/** Every catalog parameter of the protocol's settings, as readBack gives it (ActualProtocolSettings is derived from the same table). */
export async function readProtocolSettings(backend: ExchangeBackend, server: string, protocol: Protocol): Promise<ActualProtocolSettings> {
  const cmdlet = PROTOCOL_SETTINGS_CMDLETS[protocol].get;
  return single(cmdlet, await backend.invoke(buildRequest(cmdlet, { server }))) as unknown as ActualProtocolSettings;
}

/** A service in a transitional state counts as where it is heading only once it gets there: anything not Running is Stopped. */
function serviceState(status: JsonValue): ServiceState {
  return status === 'Running' ? 'Running' : 'Stopped';
}

export async function readProtocolService(backend: ExchangeBackend, server: string, protocol: Protocol): Promise<ActualProtocolService> {
  const names = PROTOCOL_SERVICES[protocol];
  const raw = await backend.invoke(buildRequest('Get-Service', { name: [names.frontEnd, names.backEnd] }, server));
  const found = resultList(raw).map((item) => readBack('Get-Service', item));
  const pick = (name: string): ActualService => {
    const o = found.find((s) => typeof s.name === 'string' && s.name.toLowerCase() === name.toLowerCase());
    if (!o) throw missing('Get-Service', `service ${name} on ${server}`);
    return { name, startupType: o.startType as StartupType, state: serviceState(o.status) };
  };
  return { frontEnd: pick(names.frontEnd), backEnd: pick(names.backEnd) };
}

/** Every certificate on one Exchange server (Get-ExchangeCertificate -Server), pending requests included as Exchange lists them. */
export async function readCertificates(backend: ExchangeBackend, server: string): Promise<ActualServerCertificates> {
  const raw = await backend.invoke(buildRequest('Get-ExchangeCertificate', { server }));
  const certificates = resultList(raw).map((item): ActualCertificate => {
    const o = readBack('Get-ExchangeCertificate', item);
    if (typeof o.thumbprint !== 'string' || o.thumbprint === '') throw missing('Get-ExchangeCertificate', `thumbprint of a certificate on ${server}`);
    return {
      thumbprint: o.thumbprint.toUpperCase(),
      // Get-ExchangeCertificate prints `None` for a certificate enabled for no service.
      services: (o.services as string[]).filter((s) => s !== 'None'),
      subject: (o.subject as string | null) ?? '',
      issuer: (o.issuer as string | null) ?? '',
      certificateDomains: o.certificateDomains as string[],
      notAfter: o.notAfter as string | null,
    };
  });
  return { server, certificates };
}

/**
 * A server's receive connector of that name: Get-ReceiveConnector -Server, then the one whose
 * Name matches (case-insensitive). Not -Identity: Get-ReceiveConnector.md warns that an identity
 * matching nothing returns every connector. A server without it reads as `settings: null`.
 */
export async function readReceiveConnector(backend: ExchangeBackend, server: string, name: string): Promise<ActualReceiveConnector> {
  const raw = await backend.invoke(buildRequest('Get-ReceiveConnector', { server }));
  const found = resultList(raw)
    .map((item) => readBack('Get-ReceiveConnector', item))
    .find((o) => typeof o.name === 'string' && o.name.toLowerCase() === name.toLowerCase());
  if (!found) return { server, name, settings: null };
  const { identity: _identity, name: _name, server: _server, ...settings } = found;
  return { server, name, settings: settings as unknown as ActualReceiveConnectorSettings };
}
