/**
 * New-/Set-AuthenticationPolicy, and Set-OrganizationConfig -DefaultAuthenticationPolicy:
 * `default: true` makes the policy the organisation default, `default: false` means it must not
 * be (if it is, the default is cleared with `$null`, which the Set-OrganizationConfig reference
 * documents for removing the organisation's default policy). Policy names compare
 * case-insensitively, as in Exchange.
 */
import { buildRequest } from '../../exchange/request';
import type { ActualAuthenticationPolicies } from '../../exchange/types';
import { AUTHENTICATION_POLICY_FLAG_KEYS, type AuthenticationPolicyDecl } from '../../model/types';
import { sameIdentity } from '../compare';
import { describeDrift, driftOf, driftParameters } from '../drift';
import type { Change, ResourceRef, SettingDrift } from '../plan';

/** The drift key of the organisation default (Set-OrganizationConfig's parameter, as the model spells keys). */
export const DEFAULT_POLICY_DRIFT_KEY = 'defaultAuthenticationPolicy';

/** The policy a default-policy drift is about: the one made the default (true), or the one taken off (false). */
export function defaultDriftPolicy(drift: SettingDrift): string | undefined {
  const name = drift.desired ?? drift.actual;
  return typeof name === 'string' ? name : undefined;
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
