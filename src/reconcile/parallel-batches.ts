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
          lane = { backend: opened, busy: false, checked: checkLane(opened) };
          lanes.push(lane);
        }
        dispatch(lane, next++);
      }
      if (inFlight === 0 && (failure || stopped() || next >= batches.length)) resolve();
    };
    const dispatch = (lane: Lane, index: number): void => {
      const batch = batches[index] as readonly CmdletRequest[];
      lane.busy = true;
      inFlight++;
      peak = Math.max(peak, inFlight);
      remainingItems -= batch.length;
      const ticket = controller.ticket();
      const before = throttledBy(lane, lanes);
      const started = Date.now();
      (lane.checked ?? Promise.resolve()).then(() => lane.backend.invokeBatch(batch)).then(
        (results) => {
          controller.done(ticket, throttledBy(lane, lanes) - before, inFlight);
          const perItem = (Date.now() - started) / Math.max(1, batch.length);
          itemMs = itemMs === undefined ? perItem : itemMs * 0.7 + perItem * 0.3;
          lane.busy = false;
          inFlight--;
          onDone(index, results);
          pump();
        },
        (error: unknown) => {
          failure ??= { error };
          lane.busy = false;
          inFlight--;
          pump();
        },
      );
    };
    pump();
  });
  if (failure) throw failure.error;
  return { lanes: lanes.length, peak, decreases: controller.decreases };
}
