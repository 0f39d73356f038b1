/**
 * Applies planned changes through an ExchangeBackend, in plan order. Mailbox changes travel in
 * batches (`invokeBatch`, `batchSize` per round trip); every other change is one call, and the
 * first failure stops the run, so a restart never follows a settings change that failed.
 *
 * A run of mailbox changes (independent Set-CASMailbox, one per mailbox) may go over several
 * connections at once, up to `maxConcurrency` (parallel-batches.ts: more only when the work pays
 * for the extra sign-ins, fewer when Exchange throttles). Everything else — settings, service
 * restarts per server — stays one call at a time in plan order. Results are recorded in plan
 * order whatever order the batches end in, and each change is sent once.
 *
 * Before the first write it checks the organisation it is connected to (verifyTarget: the
 * platform, cloud and organisation the document names, read from Exchange), and never enables
 * legacy TLS in a US government cloud — whatever the document claims its cloud is.
 */
import { verifyTarget } from '../exchange/verify-target';
import type { BatchItemResult, CmdletErrorInfo, ConnectionInfo, ExchangeBackend } from '../exchange/types';
import { ExchangeError } from '../exchange/types';
import { US_GOVERNMENT_CLOUDS, type Target } from '../model/types';
import { escapeControls } from '../text/escape';
import type { Change } from './plan';
import { DEFAULT_MAX_CONCURRENCY } from './max-concurrency';
import { runBatchesInParallel, type ParallelReport } from './parallel-batches';

/** What the connection is checked against: the document's platform, cloud and organisation. */
export type ConnectionTarget = Pick<Target, 'platform' | 'cloud' | 'organization'>;

/**
 * Mailbox changes per round trip. Each cmdlet of a batch gets the whole call timeout (the
 * runner restarts it as the host starts each item), so the size only trades round trips
 * against how much one failed round trip leaves unknown.
 */
export const DEFAULT_BATCH_SIZE = 200;
/** The floor: bulk changes travel at least this many per round trip. */
export const MIN_BATCH_SIZE = 100;

export interface ApplyOptions {
  readonly batchSize?: number;
  /** The most connections a run of mailbox changes may use at once (default DEFAULT_MAX_CONCURRENCY; 1: one after another). */
  readonly maxConcurrency?: number;
  /** Called after each change or batch with how many changes have been attempted (the CLI's progress line). */
  readonly onProgress?: (attempted: number) => void;
  /**
   * Awaited after each change that is not a mailbox change succeeds, before the next one starts:
   * `apply` records a restart as done here, so a run killed later does not owe it again.
   */
  readonly onApplied?: (change: Change) => void | Promise<void>;
  /**
   * Stops the run between changes (Ctrl-C): the change or batch in flight finishes, nothing
   * after it starts, and the result says `interrupted`, the rest `skipped`.
   */
  readonly signal?: AbortSignal;
}

export interface ApplyFailure {
  readonly change: Change;
  readonly error: CmdletErrorInfo;
}

export interface ApplyResult {
  readonly applied: readonly Change[];
  readonly failures: readonly ApplyFailure[];
  /** Not attempted because an earlier change failed, or the run was interrupted. */
  readonly skipped: readonly Change[];
  /** The run was stopped (`signal`) before its last change. */
  readonly interrupted?: boolean;
  /** How the mailbox changes went in parallel, when they did (connections, most at once, throttling backoffs). */
  readonly parallel?: ParallelReport;
}

/** The connected organisation may not get this change. */
export class ApplyRefusedError extends Error {
  override readonly name = 'ApplyRefusedError';
}

export function enablesLegacyTls(change: Change): boolean {
  return change.request.cmdlet === 'Set-TransportConfig' && change.request.parameters.AllowLegacyTLSClients === true;
}

/**
 * Throws ApplyRefusedError when `changes` must not be applied to the connected organisation: the
 * organisation's own cloud (verified against the document by verifyTarget) decides about legacy TLS.
 */
export function checkConnection(connection: ConnectionInfo, changes: readonly Change[]): void {
  const cloud = connection.cloud;
  if (cloud !== undefined && US_GOVERNMENT_CLOUDS.includes(cloud) && changes.some(enablesLegacyTls)) {
    throw new ApplyRefusedError(
      `refusing to enable legacy TLS: ${connection.organization} is in the ${cloud} cloud, where the legacy TLS endpoints do not exist and legacy TLS is always off`,
    );
  }
}

function errorInfo(err: unknown): CmdletErrorInfo {
  if (err instanceof ExchangeError) return err.info;
  const message = err instanceof Error ? err.message : String(err);
  return { message, type: err instanceof Error ? err.name : 'Error', fullyQualifiedErrorId: '', category: '', transient: false };
}

export async function applyChanges(target: ConnectionTarget, changes: readonly Change[], backend: ExchangeBackend, options: ApplyOptions = {}): Promise<ApplyResult> {
  const batchSize = Math.max(MIN_BATCH_SIZE, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const applied: Change[] = [];
  const failures: ApplyFailure[] = [];
  let parallel: ParallelReport | undefined;
  if (changes.length === 0) return { applied, failures, skipped: [] };
  checkConnection(await verifyTarget(backend, target), changes);

  let i = 0;
  const stopped = (): boolean => options.signal?.aborted === true;
  while (i < changes.length && failures.length === 0 && !stopped()) {
    const change = changes[i] as Change;
    if (!change.bulk) {
      try {
        await backend.invoke(change.request);
        applied.push(change);
      } catch (err) {
        failures.push({ change, error: errorInfo(err) });
      }
      if (failures.length === 0) await options.onApplied?.(change);
      i++;
      options.onProgress?.(i);
      continue;
    }
    // A run of bulk changes: full batches, each item succeeding or failing on its own.
    let end = i;
    while (end < changes.length && (changes[end] as Change).bulk) end++;
    const batches: Change[][] = [];
    for (let start = i; start < end; start += batchSize) batches.push(changes.slice(start, Math.min(end, start + batchSize)));
    const record = (batch: readonly Change[], results: readonly BatchItemResult[]): void =>
      batch.forEach((c, k) => {
        const result = results[k];
        if (result?.ok) applied.push(c);
        else failures.push({ change: c, error: result ? result.error : errorInfo(new Error('no result returned for this request')) });
      });
    const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
    if (maxConcurrency > 1 && backend.openLane && batches.length > 1) {
      // Batches end in any order: kept until every earlier one has ended, then recorded in plan order.
      const ended: (readonly BatchItemResult[] | undefined)[] = batches.map(() => undefined);
      let recorded = 0;
      let attempted = i;
      parallel = await runBatchesInParallel(
        backend,
        batches.map((b) => b.map((c) => c.request)),
        maxConcurrency,
        (index, results) => {
          ended[index] = results;
          attempted += (batches[index] as Change[]).length;
          while (recorded < batches.length && ended[recorded] !== undefined) {
            record(batches[recorded] as Change[], ended[recorded] as readonly BatchItemResult[]);
            ended[recorded] = undefined;
            recorded++;
          }
          options.onProgress?.(attempted);
        },
        stopped,
        async (lane) => checkConnection(await verifyTarget(lane, target), changes),
      );
      // Stopped: every batch started has ended and is recorded (they start in plan order).
      const done = batches.slice(0, recorded).reduce((n, b) => n + b.length, 0);
      if (recorded < batches.length) return { applied, failures, skipped: changes.slice(i + done), parallel, ...(failures.length === 0 ? { interrupted: true } : {}) };
    } else {
      let start = i;
      for (const batch of batches) {
        if (stopped()) return { applied, failures, skipped: changes.slice(start), interrupted: true };
        record(batch, await backend.invokeBatch(batch.map((c) => c.request)));
        start += batch.length;
        options.onProgress?.(start);
      }
    }
    i = end;
  }
  return { applied, failures, skipped: changes.slice(i), ...(parallel ? { parallel } : {}), ...(i < changes.length && failures.length === 0 ? { interrupted: true } : {}) };
}

/** One line per failure, with Exchange's own message (control characters escaped: it quotes Exchange's values). */
export function describeFailures(result: ApplyResult): string {
  const lines = result.failures.map((f) => escapeControls(`${f.change.request.cmdlet} (${f.change.subject}): ${f.error.message}`));
  if (result.skipped.length > 0) lines.push(`${result.skipped.length} later change(s) not attempted`);
  return lines.join('\n');
}
