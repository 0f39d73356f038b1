/**
 * `pulumi refresh` shows drift as changed inputs: the stored inputs, with every drifted setting
 * replaced by what Exchange has. Settings that compare equal (a list in another order, a
 * timeout written differently) keep their declared form, so only real drift shows. How a kind's
 * inputs take the drift is its module's `refresh` (src/reconcile/kinds/).
 */
import { kindModule } from '../src/reconcile/kinds/registry';
import type { Change } from '../src/reconcile/plan';
import type { ResourceInputsByKind, ResourceKind } from './resource-types';

/** The inputs that describe the organisation as it is, given the changes that would repair it. */
export function refreshedInputs<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K], changes: readonly Change[]): ResourceInputsByKind[K] {
  if (changes.length === 0) return inputs;
  return kindModule(kind).refresh(inputs, changes);
}
