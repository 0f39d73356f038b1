/**
 * The CasMailboxPlan kind: Set-CASMailboxPlan. The YAML names a plan without the GUID suffix Exchange adds
 * (`ExchangeOnlineEnterprise` matches `ExchangeOnlineEnterprise-<guid>`); every plan that
 * matches is managed. Plans cannot be created (they come with licences): a plan that matches
 * nothing is an error, not a change.
 */
import { casMailboxPlanDefaults } from '../../exchange/defaults';
import { buildRequest } from '../../exchange/request';
import { CAS_MAILBOX_PLAN_SETTING_KEYS, type CasMailboxPlanDecl, type MailPolicy } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { sameIdentity } from '../compare';
import { describeDrift, driftOf, driftParameters } from '../drift';
import { PlanError, type Change, type ResourceRef } from '../plan';
import type { Declared, DocumentPart, ResourceKindModule, UndeclaredHook, UndeclaredObject } from './kind';
import { appendEntry, overlayDrift, pickDefaults, slug } from './shared';
import type { OrganisationSnapshot } from './snapshot';
import { readCasMailboxPlans, type ActualCasMailboxPlan } from './cas-mailbox-plan-read';

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

/**
 * Plans no declaration matches, when the document has a `casMailboxPlans` section: each sets
 * POP/IMAP for the mailboxes licensed under it, unmanaged.
 */
export const UNDECLARED_CAS_MAILBOX_PLANS: UndeclaredHook = {
  what: 'CasMailboxPlan',
  covers: (policy) => policy.casMailboxPlans !== undefined,
  read: async (backend, _policy, actual) => (actual.casMailboxPlans ? {} : { casMailboxPlans: await readCasMailboxPlans(backend) }),
  find: (policy, actual) => {
    const plans = need(actual.casMailboxPlans, 'CAS mailbox plans');
    const matched = new Set((policy.casMailboxPlans ?? []).flatMap((d) => matchingPlans(d.identity, plans)));
    return plans
      .filter((p) => !matched.has(p))
      .map((p) => ({
        object: 'CAS mailbox plan',
        name: p.identity,
        settings: Object.fromEntries(CAS_MAILBOX_PLAN_SETTING_KEYS.map((key) => [key, p[key]])),
        listedBy: 'Get-CASMailboxPlan',
        pointer: pointer('casMailboxPlans'),
      }));
  },
  keep: keptCasMailboxPlans,
};

export const CAS_MAILBOX_PLAN_KIND: ResourceKindModule<'CasMailboxPlan'> = {
  kind: 'CasMailboxPlan',
  inputKeys: ['plan'],
  identity: (inputs) => `CASMailboxPlan/${inputs.plan.identity}`,
  read: async (backend) => ({ casMailboxPlans: await readCasMailboxPlans(backend) }),
  actualOf: (_inputs, actual) => need(actual.casMailboxPlans, 'CAS mailbox plans'),
  exists: (inputs, actual) => matchingPlans(inputs.plan.identity, actual).length > 0,
  plan: (ref, inputs, actual) => ({ changes: planCasMailboxPlan(ref, inputs.plan, actual), notes: [] }),
  restore: (inputs) => {
    const { restored, left } = pickDefaults({ popEnabled: inputs.plan.popEnabled, imapEnabled: inputs.plan.imapEnabled }, casMailboxPlanDefaults(inputs.plan.identity));
    return { kind: 'plan', inputs: { ...inputs, plan: { identity: inputs.plan.identity, ...restored } }, left };
  },
  appliedOutputs: (inputs, actual) => ({ planIdentities: matchingPlans(inputs.plan.identity, actual).map((p) => p.identity) }),
  pointer: (policy, change, drift) => {
    const plans = policy.casMailboxPlans ?? [];
    const index = plans.findIndex((p) => sameIdentity(p.identity, change.subject) || sameIdentity(p.identity, planBaseName(change.subject)));
    return index < 0 ? pointer('casMailboxPlans') : pointer('casMailboxPlans', index, ...(drift?.key ? [drift.key] : []));
  },
  refresh: (inputs, changes) => ({ ...inputs, plan: overlayDrift(inputs.plan, changes) as unknown as CasMailboxPlanDecl }),
  documentPart: (input) => ({ part: { casMailboxPlans: [input('plan')] as DocumentPart['casMailboxPlans'] }, origins: [{ prefix: '/casMailboxPlans/0', property: '/plan' }] }),
  mergeInto: appendEntry('casMailboxPlans'),
  undeclared: [UNDECLARED_CAS_MAILBOX_PLANS],
  desired: { place: 'beforeServers', declared: declaredCasMailboxPlans },
  exported: { place: 'document', part: exportedCasMailboxPlans },
};

// ---- What a document declares, and what an export writes ----

function declaredCasMailboxPlans(policy: MailPolicy): Declared<'CasMailboxPlan'>[] {
  return (policy.casMailboxPlans ?? []).map((plan) => ({ name: `cas-mailbox-plan-${slug(plan.identity)}`, inputs: { plan } }));
}

/**
 * Plans by the name the YAML uses (without the GUID suffix). Two plans sharing a base name with
 * different values cannot share one declaration: those keep their full identity.
 */
function exportedCasMailboxPlans({ casMailboxPlans: actual }: OrganisationSnapshot): DocumentPart {
  if (!actual || actual.length === 0) return {};
  const byBase = new Map<string, ActualCasMailboxPlan[]>();
  for (const plan of actual) {
    const base = planBaseName(plan.identity);
    const group = byBase.get(base.toLowerCase());
    if (group) group.push(plan);
    else byBase.set(base.toLowerCase(), [plan]);
  }
  const out: CasMailboxPlanDecl[] = [];
  for (const group of byBase.values()) {
    const [first] = group as [ActualCasMailboxPlan, ...ActualCasMailboxPlan[]];
    const uniform = group.every((p) => p.popEnabled === first.popEnabled && p.imapEnabled === first.imapEnabled);
    const members = uniform ? [first] : group;
    for (const plan of members) {
      out.push({ identity: uniform ? planBaseName(plan.identity) : plan.identity, popEnabled: plan.popEnabled, imapEnabled: plan.imapEnabled });
    }
  }
  return { casMailboxPlans: out };
}

/** `export --undeclared`: the export names a plan without its GUID suffix: kept when it stands for a plan not declared. */
function keptCasMailboxPlans(exported: MailPolicy, objects: readonly UndeclaredObject[]): DocumentPart {
  const plans = objects.map((o) => ({ identity: o.name, popEnabled: false, imapEnabled: false }));
  return { casMailboxPlans: (exported.casMailboxPlans ?? []).filter((p) => matchingPlans(p.identity, plans).length > 0) };
}
