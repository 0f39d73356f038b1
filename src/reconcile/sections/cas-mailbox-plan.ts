/**
 * Set-CASMailboxPlan. The YAML names a plan without the GUID suffix Exchange adds
 * (`ExchangeOnlineEnterprise` matches `ExchangeOnlineEnterprise-<guid>`); every plan that
 * matches is managed. Plans cannot be created (they come with licences): a plan that matches
 * nothing is an error, not a change.
 */
import { buildRequest } from '../../exchange/request';
import type { ActualCasMailboxPlan } from '../../exchange/types';
import { CAS_MAILBOX_PLAN_SETTING_KEYS, type CasMailboxPlanDecl } from '../../model/types';
import { sameIdentity } from '../compare';
import { describeDrift, driftOf, driftParameters } from '../drift';
import { PlanError, type Change, type ResourceRef } from '../plan';

const GUID_SUFFIX = /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `ExchangeOnlineEnterprise-6d3c…` → `ExchangeOnlineEnterprise`. */
export function planBaseName(identity: string): string {
  return identity.replace(GUID_SUFFIX, '');
}

export function matchingPlans(identity: string, plans: readonly ActualCasMailboxPlan[]): ActualCasMailboxPlan[] {
  return plans.filter((p) => sameIdentity(p.identity, identity) || sameIdentity(planBaseName(p.identity), identity));
}

export function planCasMailboxPlan(resource: ResourceRef, desired: CasMailboxPlanDecl, actual: readonly ActualCasMailboxPlan[]): Change[] {
  const matches = matchingPlans(desired.identity, actual);
  if (matches.length === 0) {
    const known = actual.map((p) => planBaseName(p.identity)).join(', ') || 'none';
    throw new PlanError(`CAS mailbox plan ${desired.identity} does not exist in the organisation (plans: ${known})`);
  }
  const changes: Change[] = [];
  for (const plan of matches) {
    const drift = driftOf('Set-CASMailboxPlan', CAS_MAILBOX_PLAN_SETTING_KEYS, desired, plan);
    if (drift.length === 0) continue;
    changes.push({
      resource,
      action: 'set',
      subject: plan.identity,
      request: buildRequest('Set-CASMailboxPlan', { identity: plan.identity, ...driftParameters(drift) }),
      description: `CAS mailbox plan ${plan.identity}: ${describeDrift(drift)}`,
      drift,
      bulk: false,
    });
  }
  return changes;
}
