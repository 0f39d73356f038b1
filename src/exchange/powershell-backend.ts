/**
 * The PowerShell backend: an ExchangeBackend over a shared PowerShellRunner. Exchange Online
 * allows few concurrent sessions per account, so every backend opened in this Node process for
 * the same organisation, signed in the same way, shares one host process; it ends when the last
 * one closes.
 */
import type { PowerShellConnectionSettings } from './connection';
import { PowerShellRunner, PWSH_PATH_ENV, type RunnerTuning } from './runner';
import type { BackendStats, BatchItemResult, CmdletRequest, ConnectionInfo, ExchangeBackend, InvokeOptions, JsonValue } from './types';

export type PowerShellBackendOptions = PowerShellConnectionSettings & RunnerTuning;

interface Shared {
  readonly runner: PowerShellRunner;
  refs: number;
}

const shared = new Map<string, Shared>();

/**
 * Backends share a process only when it would do exactly what each asked: the same pwsh and
 * script, the same organisation signed in the same way (app, certificate file, managed identity,
 * WSMan authentication) and the same timeouts and retries. Secrets are not part of the key (and
 * never stored in it): two backends differing only in the token or certificate password share
 * the process of the first. The debug `log` of the backend that started the process receives its
 * lines.
 */
function sharingKey(o: PowerShellBackendOptions): string {
  return JSON.stringify([
    o.pwshPath ?? process.env[PWSH_PATH_ENV] ?? 'pwsh',
    o.hostScriptPath ?? '',
    o.env ?? {},
    o.platform,
    o.cloud ?? '',
    o.organization.toLowerCase(),
    o.connectionUri ?? '',
    o.authentication ?? '',
    o.remotingUser ?? '',
    o.appId ?? '',
    o.certificateFilePath ?? '',
    o.managedIdentity === true,
    o.callTimeoutMs ?? null,
    o.connectTimeoutMs ?? null,
    o.retry ?? {},
  ]);
}

export class PowerShellBackend implements ExchangeBackend {
  readonly kind = 'powershell' as const;
  private closed = false;
  private readonly lanes: PowerShellBackend[] = [];

  constructor(
    private readonly key: string,
    private readonly entry: Shared,
    private readonly options: PowerShellBackendOptions,
  ) {}

  describe(): string {
    const where = this.options.platform === 'exchangeOnline' ? `Exchange Online ${this.options.cloud ?? 'worldwide'}` : `Exchange Server ${this.options.connectionUri ?? ''}`.trim();
    return `backend: powershell (${where}, organization: ${this.options.organization}, pwsh: ${this.entry.runner.pwshPath})`;
  }

  connection(): Promise<ConnectionInfo> {
    return this.entry.runner.connection();
  }

  invoke(request: CmdletRequest, options?: InvokeOptions): Promise<JsonValue> {
    return this.entry.runner.invoke(request, options);
  }

  invokeBatch(requests: readonly CmdletRequest[]): Promise<readonly BatchItemResult[]> {
    return this.entry.runner.invokeBatch(requests);
  }

  /**
   * A host of its own for parallel writes (several hosts rather than runspaces in one: each
   * host is the runner as it is, with its own deadline, crash handling and sign-in; see
   * docs/powershell.md, "Concurrency"). Not shared with other backends; closed with this one.
   */
  openLane(): PowerShellBackend {
    const lane = new PowerShellBackend('', { runner: new PowerShellRunner(this.options, this.options), refs: 1 }, this.options);
    this.lanes.push(lane);
    return lane;
  }

  /** Counters of the shared host process, with those of this backend's lanes. */
  stats(): BackendStats {
    const own = this.entry.runner.stats();
    const calls: Record<string, number> = { ...own.calls };
    let { processSpawns, connects, roundTrips } = own;
    let throttled = own.throttled ?? 0;
    let throttleWaitMs = own.throttleWaitMs ?? 0;
    for (const lane of this.lanes) {
      const s = lane.stats();
      processSpawns += s.processSpawns;
      connects += s.connects;
      roundTrips += s.roundTrips;
      throttled += s.throttled ?? 0;
      throttleWaitMs += s.throttleWaitMs ?? 0;
      for (const [cmdlet, n] of Object.entries(s.calls)) calls[cmdlet] = (calls[cmdlet] ?? 0) + n;
    }
    return { ...own, processSpawns, connects, roundTrips, calls, throttled, throttleWaitMs };
  }

  processId(): number | undefined {
    return this.entry.runner.processId();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.lanes.map((lane) => lane.close()));
    this.entry.refs--;
    if (this.entry.refs > 0) return;
    if (shared.get(this.key) === this.entry) shared.delete(this.key);
    await this.entry.runner.close();
  }
}

export function openPowerShellBackend(options: PowerShellBackendOptions): PowerShellBackend {
  const key = sharingKey(options);
  let entry = shared.get(key);
  if (!entry) {
    entry = { runner: new PowerShellRunner(options, options), refs: 0 };
    shared.set(key, entry);
  }
  entry.refs++;
  return new PowerShellBackend(key, entry, options);
}
