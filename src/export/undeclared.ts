/**
 * `mailpolicy export --undeclared FILE`: of an exported organisation, only the objects FILE does
 * not mention (drift's "Not declared" section), so they can be reviewed and copied into FILE.
 * What of the exported document each sort of object keeps is its `undeclared` hook's `keep`.
 */
import type { MailPolicy } from '../model/types';
import { kindModule } from '../reconcile/kinds/registry';
import type { UndeclaredFinding } from '../reconcile/undeclared';

/** The exported document cut to the objects not declared; a section with none is left out. */
export function undeclaredOnly(exported: MailPolicy, undeclared: readonly UndeclaredFinding[]): MailPolicy {
  const out: Record<string, unknown> = { apiVersion: exported.apiVersion, kind: exported.kind, metadata: exported.metadata, target: exported.target };
  const kinds = new Set(undeclared.map((o) => o.kind));
  for (const kind of kinds) {
    for (const hook of kindModule(kind).undeclared ?? []) {
      const sections = hook.keep?.(exported, undeclared.filter((o) => o.kind === kind && o.what === hook.what)) ?? {};
      for (const [key, value] of Object.entries(sections)) {
        const empty = Array.isArray(value) ? value.length === 0 : (value as { exceptions?: unknown[] } | undefined)?.exceptions?.length === 0;
        if (!empty) out[key] = value;
      }
    }
  }
  return out as unknown as MailPolicy;
}
