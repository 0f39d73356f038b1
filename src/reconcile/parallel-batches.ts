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
import { ExchangeError, type BatchItemResult, type CmdletRequest, type ExchangeBackend } from '../exchange/types';
import { classifyError } from '../exchange/errors';
import { AdaptiveConcurrency, type BatchTicket } from './concurrency';

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

/** How often running batches are looked at for throttling they met (besides as each batch ends). */
export const THROTTLE_LOOK_MS = 50;

interface Lane {
  readonly backend: ExchangeBackend;
  busy: boolean;
  /**
   * Started, signed in and checked (an extra connection's check of where it signed in): only a
   * ready lane is given a batch, so a host still starting holds none back from the ready ones.
   */
  ready: boolean;
  /** The batch running on the lane: its ticket, the lane's throttling count when it was sent, whether it met throttling. */
  running?: { ticket: BatchTicket; before: number; throttled: boolean };
}

/** The throttling errors each lane met itself, in `lanes` order: the backend's own stats include its lanes'. */
function throttledByLane(lanes: readonly Lane[]): number[] {
  const counts = lanes.map((l, i) => (i === 0 ? 0 : (l.backend.stats().throttled ?? 0)));
  counts[0] = (lanes[0]?.backend.stats().throttled ?? 0) - counts.reduce((a, b) => a + b, 0);
  return counts;
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
  const lanes: Lane[] = [{ backend, busy: false, ready: true }];
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

  /** An extra connection failed to start for a transient reason: no more are opened. */
  let lanesRefused = false;
  const pays = (): boolean => {
    if (!backend.openLane || itemMs === undefined || lanesRefused) return false;
    const connectMs = backend.stats().connectMs ?? (backend.kind === 'simulator' ? 0 : DEFAULT_CONNECT_COST_MS);
    // Lanes starting count: they will run.
    const c = lanes.length;
    const gain = remainingItems * itemMs * (1 / c - 1 / (c + 1));
    return gain > connectMs + MIN_GAIN_MS;
  };

  /**
   * Tells the controller about running batches that met throttling since the last look, as soon
   * as the backend counted it (the simulator as the cmdlet is refused, the runner as the round
   * trip comes back), not when the batch ends after its retries: the slow start stops while the
   * level that met it is still the one running.
   */
  const look = (): void => {
    const counts = throttledByLane(lanes);
    const met: BatchTicket[] = [];
    lanes.forEach((lane, i) => {
      const r = lane.running;
      if (!r || r.throttled || (counts[i] ?? 0) <= r.before) return;
      r.throttled = true;
      throttledBatches++;
      firstThrottledMs ??= since();
      met.push(r.ticket);
    });
    if (met.length === 0) return;
    controller.throttled(met, inFlight);
    noteLimit();
  };
  const timer = setInterval(look, THROTTLE_LOOK_MS);
  timer.unref();

  await new Promise<void>((resolve) => {
    const pump = (): void => {
      while (!failure && !stopped() && next < batches.length && inFlight < controller.limit) {
        const lane = lanes.find((l) => l.ready && !l.busy);
        if (lane) {
          dispatch(lane, next++);
          continue;
        }
        break;
      }
      // Start the lanes the limit wants (in the background, several at once: a sign-in takes
      // seconds), the pace paying for each. None ahead of the limit: on a machine where the hosts
      // share the CPU, each extra host slows the others (measured: 15 hosts instead of 9).
      while (!failure && !stopped() && next < batches.length && lanes.length < controller.limit && pays() && backend.openLane) open(backend.openLane());
      // A lane still starting has written nothing: the run does not wait for it.
      if (inFlight === 0 && (failure || stopped() || next >= batches.length)) resolve();
    };
    const open = (opened: ExchangeBackend): void => {
      const lane: Lane = { backend: opened, busy: false, ready: false };
      lanes.push(lane);
      const openedAt = since();
      // Signs in (the first call starts the host) and checks where; then it may write.
      checkLane(opened).then(
        () => {
          const took = since() - openedAt;
          laneStartMaxMs = Math.max(laneStartMaxMs, took);
          laneStartTotalMs += took;
          lane.ready = true;
          pump();
        },
        (error: unknown) => {
          if (error instanceof ExchangeError && classifyError(error.info) === 'transient') {
            // Exchange too busy to let it sign in or be checked (its reads meet the budget the
            // other lanes fill): it has written nothing; the run goes on with the lanes it has,
            // and opens no more.
            lanesRefused = true;
          } else failure ??= { error };
          pump();
        },
      );
    };
    const dispatch = (lane: Lane, index: number): void => {
      const batch = batches[index] as readonly CmdletRequest[];
      lane.busy = true;
      account();
      inFlight++;
      peak = Math.max(peak, inFlight);
      remainingItems -= batch.length;
      const ticket = controller.ticket(inFlight);
      const running = { ticket, before: throttledByLane(lanes)[lanes.indexOf(lane)] ?? 0, throttled: false };
      lane.running = running;
      const started = Date.now();
      lane.backend.invokeBatch(batch).then(
        (results) => {
          look();
          controller.done(ticket, running.throttled);
          noteLimit();
          const perItem = (Date.now() - started) / Math.max(1, batch.length);
          itemMs = itemMs === undefined ? perItem : itemMs * 0.7 + perItem * 0.3;
          lane.busy = false;
          lane.running = undefined;
          account();
          inFlight--;
          onDone(index, results);
          pump();
        },
        (error: unknown) => {
          failure ??= { error };
          lane.busy = false;
          lane.running = undefined;
          account();
          inFlight--;
          pump();
        },
      );
    };
    pump();
  }).finally(() => clearInterval(timer));
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
