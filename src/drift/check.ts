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
import { findUndeclared } from '../reconcile/undeclared';
import { driftReport, type DriftReport, type UndeclaredMode } from './report';

export interface DriftCheckOptions {
  /** Objects in Exchange the document does not mention: `report` (default), `error` (findings), `ignore` (not read). */
  readonly undeclared?: UndeclaredMode;
}

export async function checkDrift(loaded: LoadedPolicy, backend: ExchangeBackend, options: DriftCheckOptions = {}): Promise<DriftReport> {
  const { plan, actual } = await planLive(loaded.policy, backend);
  // Exchange Server: every server's build (Get-ExchangeServer AdminDisplayVersion) against the
  // document's minimumServerVersion. Organisation state, so drift's to compare, not a rule's (MP-SRV-006 judges the statement).
  const { target } = loaded.policy;
  const exchangeServers = target.platform === 'exchangeServer' ? await readServers(backend) : undefined;
  const servers = exchangeServers === undefined ? undefined : judgeServerVersions(exchangeServers, target.minimumServerVersion);
  const mode = options.undeclared ?? 'report';
  // The server list just read serves the servers-not-declared too: one Get-ExchangeServer.
  const undeclared = mode === 'ignore' ? undefined : { error: mode === 'error', objects: await findUndeclared(loaded.policy, { ...actual, ...(exchangeServers ? { exchangeServers } : {}) }, backend) };
  return driftReport(plan, loaded, backend.describe(), servers, undeclared);
}
