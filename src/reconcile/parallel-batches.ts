/**
 * Runs batches of independent writes over several connections at once (issue 15 item 2). The
 * backend's own connection runs the first batch; another connection (`openLane`: a PowerShell
 * host of its own) opens only when the controller allows one more and the writes still to send
 * pay for it: the time one more lane saves on them, at the pace measured so far, must exceed
 * what a connection costs (the last sign-in's duration) by MIN_GAIN_MS. The controller
 * (concurrency.ts) sets how many batches run at once from the throttling errors each batch met.
 *
 * Every batch is sent exactly once: a throttled item is retried inside its batch by the backend
 * (honouring the retry-after), never by sending the batch again, so a mailbox is written at most
 * once. Results come back per batch index, whatever order the batches ended in.
 */
import { performance } from 'node:perf_hooks';
import type { BatchItemResult, CmdletRequest, ExchangeBackend } from '../exchange/types';
import { AdaptiveConcurrency } from './concurrency';

/** What one more lane must save, beyond its connection's cost, to be opened. */
export const MIN_GAIN_MS = 1000;
/** A sign-in's cost before one has been measured (Connect-ExchangeOnline takes seconds). */
export const DEFAULT_CONNECT_COST_MS = 10_000;

export interface ParallelReport {
  /** Connections used, the backend's own included. */
  readonly lanes: number;
  /** The most batches that ran at once. */
  readonly peak: number;
  /** How often throttling made the limit go down. */
  readonly decreases: number;
  /** Where the time went (the benchmark prints it): */
  readonly timing: ParallelTiming;
}

export interface ParallelTiming {
  /** From the first batch sent to the last ended, in ms. */
  readonly wallMs: number;
  /** Batches in flight integrated over time (lane-milliseconds): wallMs × the mean concurrency. */
  readonly busyMs: number;
  /** When the first throttling error was reported (the end of the slow start), ms from the start; undefined: none met. */
  readonly firstThrottledMs?: number;
  /** Batches that met throttling. */
  readonly throttledBatches: number;
  /** Extra connections: the longest and the summed time from opening one to its check done (start, sign-in, verifyTarget). */
  readonly laneStartMaxMs: number;
  readonly laneStartTotalMs: number;
  /** The limit over time: [ms from the start, limit] at each change. */
  readonly limits: readonly (readonly [number, number])[];
}

interface Lane {
  readonly backend: ExchangeBackend;
  busy: boolean;
  /** An extra connection's check of where it signed in, awaited before its first batch. */
  readonly checked?: Promise<void>;
}

/** The throttling errors `lane` met itself: the backend's own stats include its lanes'. */
function throttledBy(lane: Lane, lanes: readonly Lane[]): number {
  const total = lane.backend.stats().throttled ?? 0;
  if (lane !== lanes[0]) return total;
  return total - lanes.slice(1).reduce((n, l) => n + (l.backend.stats().throttled ?? 0), 0);
}

export async function runBatchesInParallel(
  backend: ExchangeBackend,
  batches: readonly (readonly CmdletRequest[])[],
  maxConcurrency: number,
  onDone: (index: number, results: readonly BatchItemResult[]) => void,
  /** Asked before each batch starts: true stops starting new ones (Ctrl-C); those in flight finish. */
  stopped: () => boolean = () => false,
  /**
   * Checks an extra connection before it writes: each signs in on its own, so it must reach the
   * organisation the first did (verifyTarget); a rejection stops the run like a failed batch.
   */
  checkLane: (lane: ExchangeBackend) => Promise<void> = async () => undefined,
): Promise<ParallelReport> {
  const controller = new AdaptiveConcurrency(maxConcurrency);
  const lanes: Lane[] = [{ backend, busy: false }];
  let next = 0;
  let inFlight = 0;
  let peak = 0;
  let remainingItems = batches.reduce((n, b) => n + b.length, 0);
  /** Milliseconds per item on one lane, from the batches done so far. */
  let itemMs: number | undefined;
  let failure: { error: unknown } | undefined;
  const t0 = performance.now();
  const since = (): number => performance.now() - t0;
  let busyMs = 0;
  let lastChange = 0;
  /** Call before inFlight changes: integrates the concurrency so far. */
  const account = (): void => {
    const now = since();
    busyMs += (now - lastChange) * inFlight;
    lastChange = now;
  };
  let firstThrottledMs: number | undefined;
  let throttledBatches = 0;
  let laneStartMaxMs = 0;
  let laneStartTotalMs = 0;
  const limits: [number, number][] = [[0, controller.limit]];
  const noteLimit = (): void => {
    if (controller.limit !== limits[limits.length - 1]?.[1]) limits.push([Math.round(since()), controller.limit]);
  };

  const pays = (): boolean => {
    if (!backend.openLane || itemMs === undefined) return false;
    const connectMs = backend.stats().connectMs ?? (backend.kind === 'simulator' ? 0 : DEFAULT_CONNECT_COST_MS);
    const c = lanes.length;
    const gain = remainingItems * itemMs * (1 / c - 1 / (c + 1));
    return gain > connectMs + MIN_GAIN_MS;
  };

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (!failure && !stopped() && next < batches.length && inFlight < controller.limit) {
        let lane = lanes.find((l) => !l.busy);
        if (!lane) {
          if (!pays() || !backend.openLane) break;
          const opened = backend.openLane();
          const openedAt = since();
          const checked = checkLane(opened).then(() => {
            const took = since() - openedAt;
            laneStartMaxMs = Math.max(laneStartMaxMs, took);
            laneStartTotalMs += took;
          });
          lane = { backend: opened, busy: false, checked };
          lanes.push(lane);
        }
        dispatch(lane, next++);
      }
      if (inFlight === 0 && (failure || stopped() || next >= batches.length)) resolve();
    };
    const dispatch = (lane: Lane, index: number): void => {
      const batch = batches[index] as readonly CmdletRequest[];
      lane.busy = true;
      account();
      inFlight++;
      peak = Math.max(peak, inFlight);
      remainingItems -= batch.length;
      const ticket = controller.ticket();
      const before = throttledBy(lane, lanes);
      const started = Date.now();
      (lane.checked ?? Promise.resolve()).then(() => lane.backend.invokeBatch(batch)).then(
        (results) => {
          const throttled = throttledBy(lane, lanes) - before;
          if (throttled > 0) {
            throttledBatches++;
            firstThrottledMs ??= since();
          }
          controller.done(ticket, throttled, inFlight);
          noteLimit();
          const perItem = (Date.now() - started) / Math.max(1, batch.length);
          itemMs = itemMs === undefined ? perItem : itemMs * 0.7 + perItem * 0.3;
          lane.busy = false;
          account();
          inFlight--;
          onDone(index, results);
          pump();
        },
        (error: unknown) => {
          failure ??= { error };
          lane.busy = false;
          account();
          inFlight--;
          pump();
        },
      );
    };
    pump();
  });
  if (failure) throw failure.error;
  const timing: ParallelTiming = {
    wallMs: since(),
    busyMs,
    ...(firstThrottledMs === undefined ? {} : { firstThrottledMs }),
    throttledBatches,
    laneStartMaxMs,
    laneStartTotalMs,
    limits,
  };
  return { lanes: lanes.length, peak, decreases: controller.decreases, timing };
}
