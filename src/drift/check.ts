/**
 * One drift check: the planner's live plan (same organisation check, each part read once),
 * reported setting by setting. Reads only: nothing is written to the organisation. A failed
 * read rejects with Exchange's error; it is never reported as drift.
 */
import { readServers } from '../exchange/reader';
import type { ExchangeBackend } from '../exchange/types';
import { judgeServerVersions } from '../model/server-versions';
import type { LoadedPolicy } from '../model/types';
import { planLive } from '../reconcile/live';
import { driftReport, type DriftReport } from './report';

export async function checkDrift(loaded: LoadedPolicy, backend: ExchangeBackend): Promise<DriftReport> {
  const { plan } = await planLive(loaded.policy, backend);
  // Exchange Server: every server's build (Get-ExchangeServer AdminDisplayVersion) against the
  // document's minimumServerVersion. Organisation state, so drift's to compare, not a rule's (MP-SRV-006 judges the statement).
  const { target } = loaded.policy;
  const servers = target.platform === 'exchangeServer' ? judgeServerVersions(await readServers(backend), target.minimumServerVersion) : undefined;
  return driftReport(plan, loaded, backend.describe(), servers);
}
