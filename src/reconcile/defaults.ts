/**
 * What "restore Exchange's defaults" means per resource (opt-in `restoreDefaultsOnDelete`):
 * the desired state a resource's managed keys return to when it is deleted. Only keys the
 * resource managed are touched, and only where Exchange's default is known without asking
 * (src/exchange/defaults.ts); the rest are left as they are and named in `left`.
 */
import type { Restoration } from './kinds/kind';
import { kindModule } from './kinds/registry';
import type { ResourceInputsByKind, ResourceKind } from './kinds/types';

export type { Restoration } from './kinds/kind';

/** Each kind's own restoration (its module's `restore`). */
export function restoration<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K]): Restoration<K> {
  return kindModule(kind).restore(inputs);
}
