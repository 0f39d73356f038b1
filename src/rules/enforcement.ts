/** Which enforcement a rule has for a given document: its default, or its per-cloud override. */
import type { Cloud, MailPolicy } from '../model/types';
import { US_GOVERNMENT_CLOUDS } from '../model/types';
import type { Enforcement, RuleMetadata } from './types';

/** The override "mandatory in US government clouds" several rules share. */
export const MANDATORY_IN_US_GOVERNMENT_CLOUDS: Readonly<Partial<Record<Cloud, Enforcement>>> = Object.fromEntries(
  US_GOVERNMENT_CLOUDS.map((cloud) => [cloud, 'mandatory' as const]),
);

export function enforcementFor(rule: RuleMetadata, policy: MailPolicy): Enforcement {
  const cloud = policy.target.cloud;
  return (cloud && rule.enforcementByCloud?.[cloud]) || rule.enforcement;
}

/** The strongest enforcement the rule can have anywhere (what the policy pack registers). */
export function strongestEnforcement(rule: RuleMetadata): Enforcement {
  const all = [rule.enforcement, ...Object.values(rule.enforcementByCloud ?? {})];
  return all.includes('mandatory') ? 'mandatory' : 'advisory';
}

export function isUsGovernmentCloud(policy: MailPolicy): boolean {
  return policy.target.cloud !== undefined && US_GOVERNMENT_CLOUDS.includes(policy.target.cloud);
}
