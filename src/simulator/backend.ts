/**
 * The simulator as an ExchangeBackend: the catalog's cmdlets run in-process over a state file.
 * Reads use the cached state (re-read when the file changes); writes run under the file lock
 * and save atomically. A batch is one round trip and, when it writes, one save.
 */
import { callTimedOut, DEFAULT_CALL_TIMEOUT_MS } from '../exchange/call-timeout';
import { CATALOG, isCmdletName } from '../exchange/catalog';
import { ExchangeError, type BackendStats, type BatchItemResult, type CmdletRequest, type ConnectionInfo, type ExchangeBackend, type JsonValue } from '../exchange/types';
import { recordWrite } from './audit';
import { execute, type ExecuteResult } from './engine';
import { injectedFault } from './errors';
import { FaultInjector, latencyMs, MICRO_DELAY_WARNING, sleep, WRITE_ONLY_FAULT_KINDS } from './faults';
import type { LockOptions } from './lock';
import type { FaultSpec, LatencyModel, SimulatorState } from './state';
import { StateStore } from './store';

export interface SimulatorBackendOptions {
  readonly statePath: string;
  /** Replaces the state file's latency model. */
  readonly latency?: LatencyModel;
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
}

function isWrite(request: CmdletRequest): boolean {
  return isCmdletName(request.cmdlet) && CATALOG[request.cmdlet].effect === 'write';
}

function itemCount(data: JsonValue): number {
  return Array.isArray(data) ? data.length : 1;
}

export class SimulatorBackend implements ExchangeBackend {
  readonly kind = 'simulator' as const;
  private readonly store: StateStore;
  private readonly faults = new FaultInjector();
  private roundTrips = 0;
  private connected = false;
  private readonly calls: Record<string, number> = {};
  private closed = false;
  private readonly hanging = new Set<(reason: Error) => void>();

  constructor(private readonly options: SimulatorBackendOptions) {
    this.store = new StateStore(options.statePath, options.lock);
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

  async invoke(request: CmdletRequest): Promise<JsonValue> {
    const [result] = await this.run([request]);
    if (!result) throw new Error('simulator returned no result');
    if (!result.ok) throw new ExchangeError(request.cmdlet, result.error);
    return result.data;
  }

  invokeBatch(requests: readonly CmdletRequest[]): Promise<readonly BatchItemResult[]> {
    return this.run(requests);
  }

  stats(): BackendStats {
    return { processSpawns: 0, connects: this.connected ? 1 : 0, roundTrips: this.roundTrips, calls: { ...this.calls } };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const reject of this.hanging) reject(new Error('simulator backend closed while a call was hanging'));
    this.hanging.clear();
  }

  private async run(requests: readonly CmdletRequest[]): Promise<BatchItemResult[]> {
    if (this.closed) throw new Error('simulator backend is closed');
    this.roundTrips++;
    this.connected = true;
    const state = await this.store.read();
    const faults = [...(state.faults ?? []), ...(this.options.faults ?? [])];
    const latency = this.options.latency ?? state.latency;
    const planned = requests.map((request) => {
      this.calls[request.cmdlet] = (this.calls[request.cmdlet] ?? 0) + 1;
      const applicable = isWrite(request) ? faults : faults.filter((f) => !WRITE_ONLY_FAULT_KINDS.includes(f.kind));
      return { request, fault: applicable.length > 0 ? this.faults.check(request.cmdlet, applicable) : undefined };
    });
    for (const [index, { request, fault }] of planned.entries()) {
      if (this.options.onCallStart) await this.options.onCallStart(request.cmdlet, index);
      if (fault?.kind === 'hang') await this.hang(request.cmdlet);
      if (fault?.kind === 'crash') {
        this.options.onCrash?.(request.cmdlet);
        throw new ExchangeError(request.cmdlet, { message: 'The PowerShell process exited unexpectedly (injected crash).', type: 'SimulatedCrash', fullyQualifiedErrorId: 'SimulatedCrash', category: 'ConnectionError', transient: false });
      }
    }
    const runOne = (s: SimulatorState, request: CmdletRequest, fault: FaultSpec | undefined): BatchItemResult & { changed: boolean } => {
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
        // A logged write is saved even when it changed nothing: the log is part of the state.
        const logged = isWrite(request) && recordWrite(s, request, r.changed);
        return { ok: true, data: r.data, warnings: r.warnings, changed: r.changed || logged };
      } catch (e) {
        if (!(e instanceof ExchangeError)) throw e;
        return { ok: false, error: e.info, warnings: [], changed: false };
      }
    };
    let results: (BatchItemResult & { changed: boolean })[];
    if (planned.some((p) => isWrite(p.request))) {
      results = await this.store.update((s) => {
        const out = planned.map((p) => runOne(s, p.request, p.fault));
        return { result: out, changed: out.some((r) => r.changed) };
      });
    } else {
      results = planned.map((p) => runOne(state, p.request, p.fault));
    }
    const items = results.reduce((n, r) => n + (r.ok ? itemCount(r.data) : 1), 0);
    await sleep(latencyMs(latency, items));
    return results.map((r) => (r.ok ? { ok: true, data: r.data, warnings: r.warnings } : { ok: false, error: r.error, warnings: r.warnings }));
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
