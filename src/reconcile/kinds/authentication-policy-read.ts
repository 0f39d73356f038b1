/**
 * The AuthenticationPolicy kind's read-back: the policies (Get-AuthenticationPolicy), the
 * organisation default (Get-OrganizationConfig), the users a policy's assignedTo names and every
 * user holding a policy (Get-User), and its part of the organisation as read. Owned by
 * authentication-policy.ts and authentication-policy-assignment.ts.
 */
import { readBack, resultList } from '../../exchange/read-back';
import { isAmbiguous, isNotFound } from '../../exchange/errors';
import { missing, single } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import { ExchangeError, type ExchangeBackend, type JsonValue } from '../../exchange/types';
import { AUTHENTICATION_POLICY_FLAG_KEYS } from '../../model/types';

export interface ActualAuthenticationPolicy {
  readonly name: string;
  /** Exchange Online switches (false on Exchange Server, which has none). */
  readonly allowBasicAuthPop: boolean;
  readonly allowBasicAuthImap: boolean;
  readonly allowBasicAuthSmtp: boolean;
  /** Exchange Server 2019/SE switches (the reader sets them, false in Exchange Online, which has none). */
  readonly blockLegacyAuthPop?: boolean;
  readonly blockLegacyAuthImap?: boolean;
  readonly blockModernAuthPop?: boolean;
  readonly blockModernAuthImap?: boolean;
}

export interface ActualAuthenticationPolicies {
  readonly policies: readonly ActualAuthenticationPolicy[];
  /** Name of Set-OrganizationConfig -DefaultAuthenticationPolicy, or null when none. */
  readonly defaultPolicy: string | null;
  /**
   * What Exchange answered for each user a policy's assignedTo names (Get-User -Identity), keyed
   * by the identity as the document writes it, lowercased; only the identities asked about.
   */
  readonly users?: ReadonlyMap<string, UserLookup>;
}

/** A user as Get-User reports it: its names and the policy assigned to it, by policy name (null: none). */
export interface ActualUser {
  readonly identity: string;
  readonly userPrincipalName?: string;
  /** The assigned policy's name, whatever form (name, DN, GUID) Get-User printed it in; null when none is assigned. */
  readonly authenticationPolicy: string | null;
}

/** What Exchange answered when asked for one user by an identity: the user, or none / more than one. */
export type UserLookup = { readonly user: ActualUser } | { readonly user: null; readonly reason: 'none' | 'ambiguous' };

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface AuthenticationPolicyPart {
  readonly authenticationPolicies?: ActualAuthenticationPolicies;
  /** Every user holding an authentication policy (drift's assignments-not-declared; plan never reads it). */
  readonly policyAssignments?: readonly ActualUser[];
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
