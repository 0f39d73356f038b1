/**
 * The AuthenticationPolicy kind (Exchange Online, Exchange Server 2019/SE). New-/Set-AuthenticationPolicy,
 * Set-User -AuthenticationPolicy for the users in `assignedTo` (authentication-policy-assignment.ts),
 * and Set-OrganizationConfig -DefaultAuthenticationPolicy:
 * `default: true` makes the policy the organisation default, `default: false` means it must not
 * be (if it is, the default is cleared with `$null`, which the Set-OrganizationConfig reference
 * documents for removing the organisation's default policy). Policy names compare
 * case-insensitively, as in Exchange.
 */
import { buildRequest, parameterSpec } from '../../exchange/request';
import { AUTHENTICATION_POLICY_FLAG_KEYS, type AuthenticationPolicyDecl, type JsonPointer, type MailPolicy, type Platform } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { sameIdentity } from '../compare';
import { describeDrift, driftOf, driftParameters } from '../drift';
import type { Change, ResourceRef, SettingDrift } from '../plan';
import { readAuthenticationPolicies, type ActualAuthenticationPolicies, type ActualUser } from './authentication-policy-read';
import { ASSIGNMENT_DRIFT_KEY, planAssignments, planUnassign, policyPrefix, refreshedAssignments, UNDECLARED_ASSIGNMENTS } from './authentication-policy-assignment';
import type { Declared, DocumentPart, ResourceKindModule, ResourcePlan, UndeclaredHook, UndeclaredObject } from './kind';
import { appendEntry, overlayDrift, slug } from './shared';
import type { OrganisationSnapshot } from './snapshot';

/** The drift key of the organisation default (Set-OrganizationConfig's parameter, as the model spells keys). */
export const DEFAULT_POLICY_DRIFT_KEY = 'defaultAuthenticationPolicy';

/** The policy a default-policy drift is about: the one made the default (true), or the one taken off (false). */
export function defaultDriftPolicy(drift: SettingDrift): string | undefined {
  const name = drift.desired ?? drift.actual;
  return typeof name === 'string' ? name : undefined;
}

/** The policy, its assignments and the organisation default; `prefix`: where the policy is declared (assignedTo pointers). */
export function planAuthenticationPolicyResource(resource: ResourceRef, desired: AuthenticationPolicyDecl, actual: ActualAuthenticationPolicies, prefix: JsonPointer): ResourcePlan {
  const changes = planAuthenticationPolicy(resource, desired, actual);
  const existing = actual.policies.find((p) => sameIdentity(p.name, desired.name));
  const policyChanged = changes.some((c) => c.subject !== 'OrganizationConfig');
  const assignments = planAssignments(resource, desired, actual, existing?.name ?? desired.name, policyChanged, prefix);
  return { changes: [...changes, ...assignments.changes], notes: assignments.notes, unmatched: assignments.unmatched };
}

export function planAuthenticationPolicy(resource: ResourceRef, desired: AuthenticationPolicyDecl, actual: ActualAuthenticationPolicies): Change[] {
  const changes: Change[] = [];
  const existing = actual.policies.find((p) => sameIdentity(p.name, desired.name));
  if (!existing) {
    const drift = driftOf('New-AuthenticationPolicy', AUTHENTICATION_POLICY_FLAG_KEYS, desired, undefined);
    changes.push({
      resource,
      action: 'create',
      subject: desired.name,
      request: buildRequest('New-AuthenticationPolicy', { name: desired.name, ...driftParameters(drift) }),
      description: `authentication policy ${desired.name}: create${drift.length > 0 ? ` with ${describeDrift(drift)}` : ''}`,
      drift,
      bulk: false,
    });
  } else {
    const drift = driftOf('Set-AuthenticationPolicy', AUTHENTICATION_POLICY_FLAG_KEYS, desired, existing);
    if (drift.length > 0) {
      changes.push({
        resource,
        action: 'set',
        subject: existing.name,
        request: buildRequest('Set-AuthenticationPolicy', { identity: existing.name, ...driftParameters(drift) }),
        description: `authentication policy ${existing.name}: ${describeDrift(drift)}`,
        drift,
        bulk: false,
      });
    }
  }
  const isDefault = actual.defaultPolicy !== null && sameIdentity(actual.defaultPolicy, desired.name);
  const wanted = desired.default === true && !isDefault ? (existing?.name ?? desired.name) : desired.default === false && isDefault ? null : undefined;
  if (wanted !== undefined) {
    changes.push({
      resource,
      action: 'set',
      subject: 'OrganizationConfig',
      request: buildRequest('Set-OrganizationConfig', { defaultAuthenticationPolicy: wanted }),
      description: `organisation default authentication policy: ${actual.defaultPolicy ?? '(none)'} → ${wanted ?? '(none)'}`,
      drift: [{ key: DEFAULT_POLICY_DRIFT_KEY, desired: wanted, actual: actual.defaultPolicy }],
      bulk: false,
    });
  }
  return changes;
}

/**
 * Removing a policy (delete with restoreDefaultsOnDelete). The organisation default is never
 * removed: Exchange would refuse, and users would silently change policy.
 */
export function planRemoveAuthenticationPolicy(resource: ResourceRef, name: string, actual: ActualAuthenticationPolicies): { changes: Change[]; notes: string[] } {
  const existing = actual.policies.find((p) => sameIdentity(p.name, name));
  if (!existing) return { changes: [], notes: [`authentication policy ${name} does not exist: nothing to remove`] };
  if (actual.defaultPolicy !== null && sameIdentity(actual.defaultPolicy, name)) {
    return { changes: [], notes: [`authentication policy ${existing.name} is the organisation default: left in place`] };
  }
  return {
    changes: [
      ...planUnassign(resource, existing.name, actual),
      {
        resource,
        action: 'remove',
        subject: existing.name,
        request: buildRequest('Remove-AuthenticationPolicy', { identity: existing.name, confirm: false }),
        description: `authentication policy ${existing.name}: remove`,
        drift: [],
        bulk: false,
      },
    ],
    notes: [],
  };
}

/**
 * Policies in Exchange the document does not name, when it has an `authenticationPolicies`
 * section (`[]` says "none"). The organisation default among them is marked: a rogue policy made
 * the default. When a declared policy has `default: true` the default itself is also drift (the
 * planner's Set-OrganizationConfig); here the policy is reported, once, as the object it is.
 */
export const UNDECLARED_AUTHENTICATION_POLICIES: UndeclaredHook = {
  what: 'AuthenticationPolicy',
  covers: (policy) => policy.authenticationPolicies !== undefined,
  read: async (backend, _policy, actual) => (actual.authenticationPolicies ? {} : { authenticationPolicies: await readAuthenticationPolicies(backend) }),
  find: (policy, actual) => {
    const declared = policy.authenticationPolicies ?? [];
    const { policies, defaultPolicy } = need(actual.authenticationPolicies, 'authentication policies');
    return policies
      .filter((p) => !declared.some((d) => sameIdentity(d.name, p.name)))
      .map((p) => ({
        object: 'authentication policy',
        name: p.name,
        // The platform's own switches (the catalog says which), as the export writes them.
        settings: Object.fromEntries(
          AUTHENTICATION_POLICY_FLAG_KEYS.filter((key) => parameterSpec('Set-AuthenticationPolicy', key).spec.platforms?.includes(policy.target.platform) !== false).map((key) => [key, p[key] === true]),
        ),
        listedBy: 'Get-AuthenticationPolicy',
        pointer: pointer('authenticationPolicies'),
        ...(defaultPolicy !== null && sameIdentity(defaultPolicy, p.name) ? { note: 'the organisation default' } : {}),
      }));
  },
  keep: keptAuthenticationPolicies,
};

export const AUTHENTICATION_POLICY_KIND: ResourceKindModule<'AuthenticationPolicy'> = {
  kind: 'AuthenticationPolicy',
  inputKeys: ['policy'],
  identity: (inputs) => `AuthenticationPolicy/${inputs.policy.name}`,
  // The users every resource's assignedTo names, asked once each (Get-User -Identity), not every user.
  read: async (backend, resources) => ({ authenticationPolicies: await readAuthenticationPolicies(backend, resources.flatMap((r) => r.policy.assignedTo ?? [])) }),
  actualOf: (_inputs, actual) => need(actual.authenticationPolicies, 'authentication policies'),
  exists: (inputs, actual) => actual.policies.some((p) => p.name.toLowerCase() === inputs.policy.name.toLowerCase()),
  plan: (ref, inputs, actual, context) => planAuthenticationPolicyResource(ref, inputs.policy, actual, policyPrefix(context.document, inputs.policy.name)),
  restore: (inputs) => ({ kind: 'remove', name: inputs.policy.name }),
  planRemoval: planRemoveAuthenticationPolicy,
  pointer: (policy, change, drift) => {
    const key = drift?.key;
    const policies = policy.authenticationPolicies ?? [];
    // An assignment: the planner knows which assignedTo entry; a token refresh: the policy listing the user.
    if (drift?.declaredAt?.startsWith('/authenticationPolicies/')) return drift.declaredAt;
    if (key === ASSIGNMENT_DRIFT_KEY || change.request.cmdlet === 'Set-User') {
      const index = policies.findIndex((p) => (p.assignedTo ?? []).some((u) => sameIdentity(u, change.subject)));
      return index < 0 ? pointer('authenticationPolicies') : pointer('authenticationPolicies', index, 'assignedTo');
    }
    if (drift !== undefined && key === DEFAULT_POLICY_DRIFT_KEY) {
      const name = defaultDriftPolicy(drift);
      const index = name === undefined ? -1 : policies.findIndex((p) => p.default !== undefined && sameIdentity(p.name, name));
      return index < 0 ? pointer('authenticationPolicies') : pointer('authenticationPolicies', index, 'default');
    }
    const index = policies.findIndex((p) => sameIdentity(p.name, change.subject));
    return index < 0 ? pointer('authenticationPolicies') : pointer('authenticationPolicies', index, ...(key ? [key] : []));
  },
  refresh: (inputs, changes) => {
    // The organisation default drifted: the YAML's `default` is the opposite of what Exchange has.
    const policy = overlayDrift(inputs.policy, changes, (k) => (k === DEFAULT_POLICY_DRIFT_KEY || k === ASSIGNMENT_DRIFT_KEY ? undefined : k));
    if (changes.some((c) => c.drift.some((d) => d.key === DEFAULT_POLICY_DRIFT_KEY))) policy.default = inputs.policy.default !== true;
    const assignedTo = refreshedAssignments(inputs.policy.assignedTo, changes);
    if (assignedTo !== undefined) policy.assignedTo = [...assignedTo];
    return { ...inputs, policy: policy as unknown as AuthenticationPolicyDecl };
  },
  documentPart: (input) => ({
    part: { authenticationPolicies: [input('policy')] as DocumentPart['authenticationPolicies'] },
    origins: [{ prefix: '/authenticationPolicies/0', property: '/policy' }],
  }),
  mergeInto: appendEntry('authenticationPolicies'),
  undeclared: [UNDECLARED_AUTHENTICATION_POLICIES, UNDECLARED_ASSIGNMENTS],
  desired: { place: 'beforeServers', declared: declaredAuthenticationPolicies },
  exported: { place: 'document', part: exportedAuthenticationPolicies },
};

// ---- What a document declares, and what an export writes ----

function declaredAuthenticationPolicies(policy: MailPolicy): Declared<'AuthenticationPolicy'>[] {
  // `default: false` beside another policy's `default: true` is already said by that one: making it
  // the default takes this one off. Kept, this policy's `$null` would race (or in plan order undo) the set.
  const declaresDefault = (policy.authenticationPolicies ?? []).some((p) => p.default === true);
  return (policy.authenticationPolicies ?? []).map((policyDecl) => {
    const { default: isDefault, ...rest } = policyDecl;
    return { name: `auth-policy-${slug(policyDecl.name)}`, inputs: { policy: declaresDefault && isDefault === false ? rest : policyDecl } };
  });
}

/** Each policy with its platform's switches (the catalog says which), whether it is the default, and the users assigned it. */
function exportedPolicies(actual: ActualAuthenticationPolicies, platform: Platform, assignments: readonly ActualUser[]): AuthenticationPolicyDecl[] {
  const defaultName = actual.defaultPolicy?.toLowerCase();
  return actual.policies.map((p) => {
    const decl: Record<string, unknown> = { name: p.name };
    for (const key of AUTHENTICATION_POLICY_FLAG_KEYS) {
      if (parameterSpec('Set-AuthenticationPolicy', key).spec.platforms?.includes(platform) !== false) decl[key] = p[key] === true;
    }
    if (p.name.toLowerCase() === defaultName) decl.default = true;
    const users = assignments.filter((u) => u.authenticationPolicy?.toLowerCase() === p.name.toLowerCase()).map((u) => u.userPrincipalName ?? u.identity);
    if (users.length > 0) decl.assignedTo = users;
    return decl as unknown as AuthenticationPolicyDecl;
  });
}

function exportedAuthenticationPolicies(snapshot: OrganisationSnapshot): DocumentPart {
  const actual = snapshot.authenticationPolicies;
  if (!actual || actual.policies.length === 0) return {};
  return { authenticationPolicies: exportedPolicies(actual, snapshot.connection.platform, snapshot.policyAssignments ?? []) };
}

/** `export --undeclared`: the policies not declared. A user with a stray assignment is reported by drift, not exported (its policy is one of the exported ones). */
function keptAuthenticationPolicies(exported: MailPolicy, objects: readonly UndeclaredObject[]): DocumentPart {
  return { authenticationPolicies: (exported.authenticationPolicies ?? []).filter((p) => objects.some((o) => sameIdentity(o.name, p.name))) };
}
