/**
 * One drift check: read what the document manages (each part once), plan against it, and
 * report every drifted setting. Reads only: nothing is written to the organisation. A failed
 * read rejects with Exchange's error; it is never reported as drift.
 */
import type { ExchangeBackend } from '../exchange/types';
import type { LoadedPolicy } from '../model/types';
import { checkConnection } from '../reconcile/executor';
import { planOrganisation } from '../reconcile/planner';
import { readOrganisation } from '../reconcile/read-actual';
import { desiredResources } from '../reconcile/resources';
import { driftReport, type DriftReport } from './report';

export async function checkDrift(loaded: LoadedPolicy, backend: ExchangeBackend): Promise<DriftReport> {
  const { policy } = loaded;
  const resources = desiredResources(policy);
  const connection = await backend.connection();
  // Comparing a document with another organisation would report its differences as drift.
  checkConnection({ name: policy.metadata.name, ...policy.target }, connection, []);
  const actual = await readOrganisation(backend, resources);
  const plan = planOrganisation(policy, actual);
  return driftReport(plan, loaded, backend.describe(), actual.casMailboxes ?? []);
}
