/**
 * Rule IDs. A rule has a stable ID (`MP-EXO-001`) and a version, shown together as
 * `MP-EXO-001v1` the way CISA's baselines write `MS.EXO.5.1v1`. A waiver may name the bare ID
 * (any version) or a versioned ID (only that version: when the rule's meaning changes, the
 * waiver stops applying and must be reviewed again).
 */
import type { RuleMetadata } from './types';

export function versionedId(rule: Pick<RuleMetadata, 'id' | 'version'>): string {
  return `${rule.id}v${rule.version}`;
}

export interface RuleRef {
  readonly id: string;
  readonly version?: number;
}

/** Parses `MP-EXO-001` or `MP-EXO-001v2` (case-insensitive); undefined for anything else. */
export function parseRuleRef(text: string): RuleRef | undefined {
  const m = /^(MP-[A-Z]{3}-\d{3})(?:V(\d+))?$/.exec(text.trim().toUpperCase());
  if (!m) return undefined;
  return m[2] === undefined ? { id: m[1] } : { id: m[1], version: Number(m[2]) };
}

/** The CrossGuard policy that runs a rule: its ID lowercased (policy names are case-sensitive; Pulumi shows them lowercase). */
export function packPolicyName(rule: Pick<RuleMetadata, 'id'>): string {
  return rule.id.toLowerCase();
}
