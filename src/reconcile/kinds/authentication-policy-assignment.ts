/**
 * The users an authentication policy is assigned to (`assignedTo`): Set-User -Identity <user>
 * -AuthenticationPolicy <policy> for each listed user that does not have the policy (Set-User.md:
 * the policy by name, DN or GUID; `$null` removes the assignment). Part of the
 * AuthenticationPolicy kind: an assignment cannot exist without its policy, is created after it
 * in the same resource, and goes with it.
 *
 * What is managed: only the listed users. A user listed under no policy keeps whatever Exchange
 * has for it (the organisation default, or a policy assigned by hand); an identity removed from
 * the list is no longer managed and keeps its assignment; a user listed under two policies is a
 * validate error (model/authentication-policy-checks.ts). An identity that names no user, or
 * several, is reported like a mailbox exception that matches no mailbox (never guessed).
 *
 * Exchange Online applies policy changes within 24 hours; Microsoft's documented way to make them
 * take effect sooner is `Set-User -StsRefreshTokensValidFrom <now>` (about 30 minutes; Exchange
 * Online only: docs/exchange-facts.md). `stsRefreshTokensValidFromNow: true` adds that write for
 * each listed user this plan assigns the policy to, and for every listed user when the plan
 * creates the policy or changes its switches.
 */
import { buildRequest } from '../../exchange/request';
import type { AuthenticationPolicyDecl, JsonPointer, MailPolicy } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { sameIdentity } from '../compare';
import type { Change, ResourceRef, UnmatchedException } from '../plan';
import { readAuthenticationPolicies, readPolicyAssignments, type ActualAuthenticationPolicies, type ActualUser } from './authentication-policy-read';
import type { UndeclaredHook } from './kind';

/** The drift key of an assignment (Set-User's parameter, as the model spells keys). */
export const ASSIGNMENT_DRIFT_KEY = 'authenticationPolicy';

/** Where the policy's inputs are declared: its entry in the document, or (a provider's resource) its `policy` input. */
export function policyPrefix(document: MailPolicy | undefined, name: string): JsonPointer {
  const index = (document?.authenticationPolicies ?? []).findIndex((p) => sameIdentity(p.name, name));
  return index < 0 ? '/policy' : pointer('authenticationPolicies', index);
}

/**
 * The write time of StsRefreshTokensValidFrom: the one clock the planner reads, and only when a
 * document asks for the refresh; seconds are enough (tokens issued before it stop working).
 */
function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface AssignmentPlan {
  readonly changes: Change[];
  readonly notes: string[];
  readonly unmatched: UnmatchedException[];
}

export function planAssignments(
  resource: ResourceRef,
  desired: AuthenticationPolicyDecl,
  actual: ActualAuthenticationPolicies,
  policyName: string,
  policyChanged: boolean,
  prefix: JsonPointer,
): AssignmentPlan {
  const changes: Change[] = [];
  const unmatched: UnmatchedException[] = [];
  const refresh = desired.stsRefreshTokensValidFromNow === true ? now() : undefined;
  let assigned = 0;
  (desired.assignedTo ?? []).forEach((identity, j) => {
    const at = `${prefix}/assignedTo/${j}`;
    const lookup = actual.users?.get(identity.toLowerCase());
    if (!lookup || lookup.user === null) {
      unmatched.push({ identity, pointer: at, reason: lookup?.reason ?? 'none', names: 'user' });
      return;
    }
    const current = lookup.user.authenticationPolicy;
    const assign = current === null || !sameIdentity(current, policyName);
    if (assign) {
      assigned++;
      changes.push({
        resource,
        action: 'set',
        subject: identity,
        request: buildRequest('Set-User', { identity, authenticationPolicy: policyName }),
        description: `user ${identity}: authentication policy ${current ?? '(none)'} → ${policyName}`,
        drift: [{ key: ASSIGNMENT_DRIFT_KEY, desired: policyName, actual: current, declaredAt: at }],
        bulk: false,
      });
    }
    if (refresh !== undefined && (assign || policyChanged)) {
      changes.push({
        resource,
        action: 'set',
        subject: identity,
        request: buildRequest('Set-User', { identity, stsRefreshTokensValidFrom: refresh }),
        description: `user ${identity}: STS refresh tokens valid from ${refresh} (stsRefreshTokensValidFromNow: clients sign in again, so the policy applies within about 30 minutes instead of up to 24 hours)`,
        drift: [],
        bulk: false,
      });
    }
  });
  const notes = assigned > 0 ? [`authentication policy ${policyName}: only the users in assignedTo are managed; users listed under no policy keep what Exchange has for them`] : [];
  return { changes, notes, unmatched };
}

/** Before a policy mailpolicy created is removed: the listed users that still have it lose it (`$null`). */
export function planUnassign(resource: ResourceRef, policyName: string, actual: ActualAuthenticationPolicies): Change[] {
  const changes: Change[] = [];
  for (const [identity, lookup] of actual.users ?? []) {
    const current = lookup.user?.authenticationPolicy;
    if (current === undefined || current === null || !sameIdentity(current, policyName)) continue;
    const subject = lookup.user?.userPrincipalName ?? identity;
    changes.push({
      resource,
      action: 'set',
      subject,
      request: buildRequest('Set-User', { identity: subject, authenticationPolicy: null }),
      description: `user ${subject}: authentication policy ${current} → (none)`,
      drift: [{ key: ASSIGNMENT_DRIFT_KEY, desired: null, actual: current }],
      bulk: false,
    });
  }
  return changes;
}

/** `pulumi refresh`: a listed user that has another policy (or none) is not assigned this one. */
export function refreshedAssignments(declared: readonly string[] | undefined, changes: readonly Change[]): readonly string[] | undefined {
  if (declared === undefined) return undefined;
  const lost = new Set(changes.filter((c) => c.drift.some((d) => d.key === ASSIGNMENT_DRIFT_KEY)).map((c) => c.subject.toLowerCase()));
  return declared.filter((identity) => !lost.has(identity.toLowerCase()));
}

/** The listed identities of every policy, as the document writes them. */
function listedIdentities(policy: MailPolicy): string[] {
  return (policy.authenticationPolicies ?? []).flatMap((p) => [...(p.assignedTo ?? [])]);
}

/**
 * Users holding an authentication policy that no `assignedTo` lists, when the document lists
 * some (it manages assignments): a stray assignment made by hand, or one left behind when a user
 * was taken off a list (which leaves the assignment). One Get-User of every user, drift only.
 * A listed identity is matched through what Exchange resolved it to (the plan's Get-User
 * -Identity), so `kiosk01`, its UPN and its address name the same user.
 */
export const UNDECLARED_ASSIGNMENTS: UndeclaredHook = {
  what: 'PolicyAssignment',
  covers: (policy) => (policy.authenticationPolicies ?? []).some((p) => p.assignedTo !== undefined),
  read: async (backend, policy, actual) => {
    const policies = actual.authenticationPolicies ?? (await readAuthenticationPolicies(backend, listedIdentities(policy)));
    return { authenticationPolicies: policies, policyAssignments: await readPolicyAssignments(backend, policies.policies) };
  },
  find: (policy, actual) => {
    const { users } = need(actual.authenticationPolicies, 'authentication policies');
    const listed = listedIdentities(policy).flatMap((identity) => {
      const found = users?.get(identity.toLowerCase());
      return found?.user ? [found.user.identity, found.user.userPrincipalName ?? found.user.identity] : [identity];
    });
    const isListed = (u: ActualUser): boolean => listed.some((l) => sameIdentity(l, u.identity) || (u.userPrincipalName !== undefined && sameIdentity(l, u.userPrincipalName)));
    return need(actual.policyAssignments, 'policy assignments')
      .filter((u) => !isListed(u))
      .map((u) => ({
        object: 'user',
        name: u.userPrincipalName ?? u.identity,
        settings: { authenticationPolicy: u.authenticationPolicy },
        listedBy: 'Get-User' as const,
        pointer: pointer('authenticationPolicies'),
        note: 'assigned a policy no assignedTo lists',
      }));
  },
};
