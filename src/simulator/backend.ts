/**
 * The simulator as an ExchangeBackend: the catalog's cmdlets run in-process over a state file.
 * Reads use the cached state (re-read when the file changes); writes run under the file lock
 * and are saved (appended to the journal of a large state: store.ts). A batch is one round trip;
 * its writes in a row are saved together.
 *
 * Time is Exchange's (docs/simulator.md, "Latency and throttling"): each cmdlet takes its
 * latency, one after another, and holds a place of the throttling budget while it runs; a cmdlet
 * that finds no place fails with HTTP 429 and a retry-after. In-process (`retryThrottled`), the
 * backend waits the retry-after and tries again, as the PowerShell runner does for a host.
 */
import { performance } from 'node:perf_hooks';
import { callTimedOut, DEFAULT_CALL_TIMEOUT_MS } from '../exchange/call-timeout';
import { CATALOG, isCmdletName } from '../exchange/catalog';
import { ExchangeError, type BackendStats, type BatchItemResult, type CmdletRequest, type ConnectionInfo, type ExchangeBackend, type InvokeOptions, type JsonValue } from '../exchange/types';
import { recordWrite } from './audit';
import { ConcurrencyBudget, type BudgetPlace } from './budget';
import { execute, prepareMailboxIndex, type ExecuteResult } from './engine';
import { budgetExceeded, injectedFault } from './errors';
import { cmdletMs, DEFAULT_RETRY_AFTER_SECONDS, FaultInjector, MICRO_DELAY_WARNING, microDelayWarning, readItemsMs, sleep, WRITE_ONLY_FAULT_KINDS } from './faults';
import type { LockOptions } from '../files/lock';
import type { FaultSpec, LatencyModel, SimulatorState, ThrottleModel } from './state';
import { StateStore } from './store';

export interface SimulatorBackendOptions {
  readonly statePath: string;
  /** Replaces the state file's latency model. */
  readonly latency?: LatencyModel;
  /** Replaces the state file's throttling budget. */
  readonly throttle?: ThrottleModel;
  /**
   * A cmdlet the budget refuses waits its retry-after and tries again (within the call timeout)
   * instead of failing: in-process, where no runner retries (default true). The stand-in pwsh
   * turns it off: the runner under test must do the retrying.
   */
  readonly retryThrottled?: boolean;
  /** Added to the state file's faults. */
  readonly faults?: readonly FaultSpec[];
  /**
   * What a `crash` fault does. The stand-in pwsh exits the process; in-process the call fails
   * with a non-transient error.
   */
  readonly onCrash?: (cmdlet: string) => void;
  /**
   * How long a `hang` fault waits before its call fails naming the cmdlet, as the PowerShell
   * runner fails a cmdlet PowerShell never answers (default 15 minutes). `Infinity`: never (the
   * stand-in pwsh, where the runner under test keeps the time).
   */
  readonly callTimeoutMs?: number;
  /**
   * Called (and awaited) as each request of a call starts, before its fault fires: the stand-in
   * pwsh announces batch items here, as the PowerShell host does.
   */
  readonly onCallStart?: (cmdlet: string, index: number) => void | Promise<void>;
  /** Receives the warnings Exchange would print. */
  readonly onWarning?: (cmdlet: string, warning: string) => void;
  readonly lock?: LockOptions;
  /** Journal a state file larger than this many bytes instead of rewriting it (store.ts; default there). */
  readonly journalAboveBytes?: number;
}

function isWrite(request: CmdletRequest): boolean {
  return isCmdletName(request.cmdlet) && CATALOG[request.cmdlet].effect === 'write';
}

function isConnect(request: CmdletRequest): boolean {
  return isCmdletName(request.cmdlet) && CATALOG[request.cmdlet].effect === 'connect';
}

function itemCount(data: JsonValue): number {
  return data === null ? 0 : Array.isArray(data) ? data.length : 1;
}

type ItemResult = BatchItemResult & { changed: boolean };

/** How often an in-process read says how many objects have arrived (a callback, so more often than a host's frames). */
const ARRIVING_EVERY_MS = 200;

/**
 * A read's objects arriving over the time it takes (`start` to `end`, its latency), evenly, as
 * Exchange's pages would: `onItems` hears the count so far every ARRIVING_EVERY_MS, never the
 * whole (the result says that). A read faster than one tick says nothing.
 */
async function arriving(items: number, start: number, end: number, onItems: (received: number) => void): Promise<void> {
  const span = end - start;
  if (items === 0 || span <= 0) return;
  while (performance.now() + ARRIVING_EVERY_MS < end) {
    await sleep(ARRIVING_EVERY_MS);
    const received = Math.floor((items * (performance.now() - start)) / span);
    if (received > 0 && received < items) onItems(received);
  }
}

/** Writes saved together while a batch runs (simulator.md, "Latency and throttling"). */
const SAVE_CHUNK = 50;

/** The shortest wait before a throttled cmdlet tries again in-process. */
const MIN_RETRY_WAIT_MS = 5;

/** What the lanes of one backend share: one state in memory, one count of each fault, one budget. */
interface Shared {
  readonly store: StateStore;
  readonly faults: FaultInjector;
  readonly budget: ConcurrencyBudget;
}

export class SimulatorBackend implements ExchangeBackend {
  readonly kind = 'simulator' as const;
  private readonly shared: Shared;
  private roundTrips = 0;
  private throttled = 0;
  private throttleWaitMs = 0;
  private connected = false;
  private readonly calls: Record<string, number> = {};
  private closed = false;
  private readonly hanging = new Set<(reason: Error) => void>();
  private readonly lanes: SimulatorBackend[] = [];

  constructor(
    private readonly options: SimulatorBackendOptions,
    shared?: Shared,
  ) {
    this.shared = shared ?? {
      store: new StateStore(options.statePath, options.lock, options.journalAboveBytes === undefined ? {} : { journalAboveBytes: options.journalAboveBytes }),
      faults: new FaultInjector(),
      budget: new ConcurrencyBudget(options.statePath),
    };
  }

  private get store(): StateStore {
    return this.shared.store;
  }

  describe(): string {
    return `backend: simulator (state: ${this.options.statePath})`;
  }

  async connection(): Promise<ConnectionInfo> {
    const { organization } = await this.store.read();
    return organization.platform === 'exchangeOnline' ? { platform: organization.platform, cloud: organization.cloud ?? 'worldwide', organization: organization.name } : { platform: organization.platform, organization: organization.name };
  }

  /** The state as it is now (for `sim show` and tests). */
  state(): Promise<SimulatorState> {
    return this.store.read();
  }

  async invoke(request: CmdletRequest, options: InvokeOptions = {}): Promise<JsonValue> {
    const [result] = await this.run([request], options);
    if (!result) throw new Error('simulator returned no result');
    if (!result.ok) throw new ExchangeError(request.cmdlet, result.error);
    return result.data;
  }

  /** `options`: the stand-in pwsh runs an `invoke` request as a batch of one, its read's progress included. */
  invokeBatch(requests: readonly CmdletRequest[], options?: InvokeOptions): Promise<readonly BatchItemResult[]> {
    return this.run(requests, options);
  }

  /**
   * Another connection to the same organisation, for parallel writes: in-process it costs
   * nothing to open and shares this backend's state, faults and budget; its counters add to
   * this backend's stats.
   */
  openLane(): SimulatorBackend {
    const lane = new SimulatorBackend(this.options, this.shared);
    this.lanes.push(lane);
    return lane;
  }

  stats(): BackendStats {
    const calls: Record<string, number> = { ...this.calls };
    let roundTrips = this.roundTrips;
    let throttled = this.throttled;
    let throttleWaitMs = this.throttleWaitMs;
    let connects = this.connected ? 1 : 0;
    for (const lane of this.lanes) {
      const s = lane.stats();
      roundTrips += s.roundTrips;
      throttled += s.throttled ?? 0;
      throttleWaitMs += s.throttleWaitMs ?? 0;
      connects += s.connects;
      for (const [cmdlet, n] of Object.entries(s.calls)) calls[cmdlet] = (calls[cmdlet] ?? 0) + n;
    }
    return { processSpawns: 0, connects, roundTrips, calls, throttled, throttleWaitMs };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const reject of this.hanging) reject(new Error('simulator backend closed while a call was hanging'));
    this.hanging.clear();
    await Promise.all(this.lanes.map((lane) => lane.close()));
  }

  private async run(requests: readonly CmdletRequest[], options: InvokeOptions = {}): Promise<BatchItemResult[]> {
    if (this.closed) throw new Error('simulator backend is closed');
    this.roundTrips++;
    this.connected = true;
    const state = await this.store.read();
    const faults = [...(state.faults ?? []), ...(this.options.faults ?? [])];
    const latency = this.options.latency ?? state.latency;
    const throttle = this.options.throttle ?? state.throttle;
    const planned = requests.map((request) => {
      this.calls[request.cmdlet] = (this.calls[request.cmdlet] ?? 0) + 1;
      const applicable = isWrite(request) ? faults : faults.filter((f) => !WRITE_ONLY_FAULT_KINDS.includes(f.kind));
      return { request, fault: applicable.length > 0 ? this.shared.faults.check(request.cmdlet, applicable) : undefined };
    });
    // Cmdlets take their time one after another; `due` is when the running one ends, so the
    // timer's lateness never adds up over a batch.
    let due = performance.now() + (latency?.perCallMs ?? 0);
    const results: ItemResult[] = new Array<ItemResult>(planned.length);
    const extraWarnings: string[][] = planned.map(() => []);
    // Writes in a row are saved in chunks while the cmdlets take their time, the last as the last
    // cmdlet starts (its result is returned once saved); before a read, which must see them, every
    // one is saved first. Saved at the end of the batch instead, a lane would sit out the budget
    // while it saves (and while the other lanes of this process save: one at a time).
    let pendingWrites: number[] = [];
    const saving: Promise<void>[] = [];
    // One chunk after the other, in the order the cmdlets ran.
    let chain: Promise<void> = Promise.resolve();
    const saveInBackground = (): void => {
      if (pendingWrites.length === 0) return;
      const indexes = pendingWrites;
      pendingWrites = [];
      const p = chain.then(() => saveWrites(indexes));
      // Awaited (and its error thrown) at the next read or the end; never an unhandled rejection meanwhile.
      chain = p.catch(() => undefined);
      saving.push(p);
    };
    const saved = async (): Promise<void> => {
      saveInBackground();
      await Promise.all(saving.splice(0));
    };
    const saveWrites = async (indexes: readonly number[]): Promise<void> => {
      // Outside the lock: the index a large organisation's first write needs takes seconds to build.
      prepareMailboxIndex(await this.store.read());
      const out = await this.store.update((s) => {
        const done = indexes.map((i) => this.runOne(s, planned[i]!.request, planned[i]!.fault));
        return { result: done, changed: done.some((r) => r.changed) };
      });
      indexes.forEach((i, k) => (results[i] = out[k]!));
    };
    for (const [index, { request, fault }] of planned.entries()) {
      if (this.options.onCallStart) await this.options.onCallStart(request.cmdlet, index);
      if (fault?.kind === 'hang') await this.hang(request.cmdlet);
      if (fault?.kind === 'crash') {
        this.options.onCrash?.(request.cmdlet);
        throw new ExchangeError(request.cmdlet, { message: 'The PowerShell process exited unexpectedly (injected crash).', type: 'SimulatedCrash', fullyQualifiedErrorId: 'SimulatedCrash', category: 'ConnectionError', transient: false });
      }
      let place: BudgetPlace | undefined;
      // Signing in is not a cmdlet run against the budget.
      if (throttle && !isConnect(request)) {
        const admitted = await this.admit(request.cmdlet, throttle);
        // Time spent waiting for a place is not the cmdlet's: it starts when admitted.
        if (admitted.waited) due = Math.max(due, performance.now());
        if (!admitted.ok) {
          results[index] = { ok: false, error: admitted.error.info, warnings: [], changed: false };
          continue;
        }
        place = admitted.place;
      }
      try {
        let cost = cmdletMs(latency, request.cmdlet);
        const microDelay = place?.filled === true ? (throttle?.microDelayMs ?? 0) : 0;
        if (microDelay > 0) {
          cost += microDelay;
          extraWarnings[index]!.push(microDelayWarning(microDelay));
        }
        if (isWrite(request)) {
          pendingWrites.push(index);
          due += cost;
          if (pendingWrites.length >= SAVE_CHUNK || index === planned.length - 1) saveInBackground();
        } else {
          await saved();
          const r = this.runOne(await this.store.read(), request, fault);
          results[index] = r;
          const start = due;
          due += cost + readItemsMs(latency, r.ok ? itemCount(r.data) : 0);
          if (options.onItems && r.ok) await arriving(itemCount(r.data), start, due, options.onItems);
        }
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
      } finally {
        place?.release();
      }
    }
    await saved();
    return results.map((r, i) => {
      const warnings = [...r.warnings, ...extraWarnings[i]!];
      for (const w of extraWarnings[i]!) this.options.onWarning?.(planned[i]!.request.cmdlet, w);
      return r.ok ? { ok: true, data: r.data, warnings } : { ok: false, error: r.error, warnings };
    });
  }

  /**
   * A place in the budget; none free: the 429, or in-process (`retryThrottled`) a wait of the
   * retry-after and another try, until the call timeout.
   */
  private async admit(cmdlet: string, throttle: ThrottleModel): Promise<({ ok: true; place: BudgetPlace } | { ok: false; error: ExchangeError }) & { waited: boolean }> {
    const retryAfterSeconds = throttle.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    const retry = this.options.retryThrottled ?? true;
    const deadline = Date.now() + (this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);
    let waited = false;
    for (;;) {
      const place = this.shared.budget.acquire(throttle.concurrency);
      if (place) return { ok: true, place, waited };
      this.throttled++;
      const error = budgetExceeded(cmdlet, throttle.concurrency, retryAfterSeconds);
      const waitMs = retryAfterSeconds * 1000;
      if (!retry || this.closed || Date.now() + waitMs > deadline) return { ok: false, error, waited: true };
      waited = true;
      // A retry-after of 0 still yields to the timers: the cmdlets holding the places must end.
      const wait = Math.max(waitMs, MIN_RETRY_WAIT_MS);
      this.throttleWaitMs += wait;
      await sleep(wait);
    }
  }

  private runOne(s: SimulatorState, request: CmdletRequest, fault: FaultSpec | undefined): ItemResult {
    try {
      if (fault?.kind === 'ignoreWrite') return { ok: true, data: null, warnings: [], changed: false };
      if (fault && fault.kind !== 'hang' && fault.kind !== 'crash' && fault.kind !== 'microDelay') throw injectedFault(request.cmdlet, fault.kind, fault.message);
      const executed: ExecuteResult = execute(s, request);
      const r = fault?.kind === 'microDelay' ? { ...executed, warnings: [...executed.warnings, fault.message ?? MICRO_DELAY_WARNING] } : executed;
      for (const w of r.warnings) this.options.onWarning?.(request.cmdlet, w);
      if (r.changed) {
        s.writes ??= {};
        s.writes[request.cmdlet] = (s.writes[request.cmdlet] ?? 0) + 1;
      }
      // A logged write is saved even when it changed nothing: the log is part of the state (and
      // of the journal, whose replay logs it again).
      const logged = isWrite(request) && recordWrite(s, request, r.changed);
      if (r.changed || logged) this.store.journal(request);
      return { ok: true, data: r.data, warnings: r.warnings, changed: r.changed || logged };
    } catch (e) {
      if (!(e instanceof ExchangeError)) throw e;
      return { ok: false, error: e.info, warnings: [], changed: false };
    }
  }

  /** Never answers: fails after the call timeout (or when the backend closes), naming the cmdlet. */
  private hang(cmdlet: string): Promise<never> {
    const timeoutMs = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    return new Promise<never>((_, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const fail = (reason: Error): void => {
        clearTimeout(timer);
        this.hanging.delete(fail);
        reject(reason);
      };
      this.hanging.add(fail);
      if (Number.isFinite(timeoutMs)) timer = setTimeout(() => fail(callTimedOut(cmdlet, timeoutMs, 'the simulated call (a `hang` fault) was abandoned')), timeoutMs);
    });
  }
}
