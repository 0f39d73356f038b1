/**
 * One drift check: the planner's live plan (same organisation check, each part read once),
 * reported setting by setting. Reads only: nothing is written to the organisation. A failed
 * read rejects with Exchange's error; it is never reported as drift.
 */
import type { ExchangeBackend } from '../exchange/types';
import type { LoadedPolicy } from '../model/types';
import { planLive } from '../reconcile/live';
import { driftReport, type DriftReport } from './report';

export async function checkDrift(loaded: LoadedPolicy, backend: ExchangeBackend): Promise<DriftReport> {
  const { plan } = await planLive(loaded.policy, backend);
  return driftReport(plan, loaded, backend.describe());
}
