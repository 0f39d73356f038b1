/**
 * What exists in Exchange but the document does not mention: each kind that can tell (its
 * module's `undeclared` hook) and whose section the document has lists its objects the document
 * does not name. Run by `mailpolicy drift` (and `export --undeclared`) after the plan's read,
 * reading only what that read lacks; plan and apply never run it.
 */
import type { ExchangeBackend } from '../exchange/types';
import type { MailPolicy } from '../model/types';
import { mergeOrganisation, type ActualOrganisation } from './actual';
import type { UndeclaredHook, UndeclaredObject } from './kinds/kind';
import { KINDS } from './kinds/registry';
import { RESOURCE_KINDS, type ResourceKind } from './kinds/types';

export type { UndeclaredObject } from './kinds/kind';

/** One object not declared, the kind whose section would declare it, and what it is (the hook's `what`). */
export interface UndeclaredFinding extends UndeclaredObject {
  readonly kind: ResourceKind;
  readonly what: string;
}

/** What each kind that can tell objects not declared reports (the SARIF rules), in registry order. */
export const UNDECLARED_WHATS: readonly { readonly kind: ResourceKind; readonly what: string }[] = RESOURCE_KINDS.flatMap((kind) => hooksOf(kind).map((hook) => ({ kind, what: hook.what })));

function hooksOf(kind: ResourceKind): readonly UndeclaredHook[] {
  return KINDS[kind].undeclared ?? [];
}

/** The objects `policy` does not mention, kind by kind in registry order; `actual` is what the plan read. */
export async function findUndeclared(policy: MailPolicy, actual: ActualOrganisation, backend: ExchangeBackend): Promise<UndeclaredFinding[]> {
  const hooks = RESOURCE_KINDS.flatMap((kind) => hooksOf(kind).flatMap((hook) => (hook.covers(policy) ? [{ kind, hook }] : [])));
  const parts = await Promise.all(hooks.map(({ hook }) => hook.read(backend, policy, actual)));
  const all = mergeOrganisation([actual, ...parts]);
  return hooks.flatMap(({ kind, hook }) => hook.find(policy, all).map((o) => ({ kind, what: hook.what, ...o })));
}
