/**
 * Reads the parts of the organisation a set of resources manages — each part once, whatever
 * the number of resources that need it — for the planner. Each kind reads its own part (its
 * module's `read`); the kinds present read concurrently. A failed read rejects: it is never
 * taken as "absent".
 */
import type { ExchangeBackend } from '../exchange/types';
import { mergeOrganisation, type ActualOrganisation } from './actual';
import { kindModule } from './kinds/registry';
import { RESOURCE_KINDS, type ActualByKind, type ResourceInputsByKind, type ResourceKind } from './kinds/types';
import type { DesiredResource } from './resources';

/** The slice one resource is planned against: the whole-document read, for one resource. */
export async function readActualFor<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K], backend: ExchangeBackend): Promise<ActualByKind[K]> {
  return kindModule(kind).actualOf(inputs, await kindModule(kind).read(backend, [inputs]));
}

/** Everything `resources` need, read once per part. */
export async function readOrganisation(backend: ExchangeBackend, resources: readonly DesiredResource[]): Promise<ActualOrganisation> {
  // One Promise.all over every kind's read, so a failure in any is handled as soon as it happens.
  const parts = await Promise.all(
    RESOURCE_KINDS.map((kind) => {
      const inputs = resources.filter((r) => r.kind === kind).map((r) => r.inputs as ResourceInputsByKind[typeof kind]);
      return inputs.length === 0 ? {} : kindModule(kind).read(backend, inputs);
    }),
  );
  return mergeOrganisation(parts);
}
