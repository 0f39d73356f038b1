/**
 * The PowerShell backend: an ExchangeBackend over a shared PowerShellRunner. Exchange Online
 * allows few concurrent sessions per account, so every backend opened in this Node process for
 * the same organisation (and pwsh) shares one host process; it ends when the last one closes.
 */
import type { PowerShellConnectionSettings } from './connection';
import { PowerShellRunner, type RunnerTuning } from './runner';
import type { BackendStats, BatchItemResult, CmdletRequest, ConnectionInfo, ExchangeBackend, JsonValue } from './types';

export type PowerShellBackendOptions = PowerShellConnectionSettings & RunnerTuning;

interface Shared {
  readonly runner: PowerShellRunner;
  refs: number;
}

const shared = new Map<string, Shared>();

/** One process per organisation per pwsh: secrets are not part of the key (and never stored in it). */
function sharingKey(o: PowerShellBackendOptions): string {
  return JSON.stringify([o.pwshPath ?? 'pwsh', o.hostScriptPath ?? '', o.platform, o.cloud ?? '', o.organization.toLowerCase(), o.connectionUri ?? '', o.env ?? {}]);
}

export class PowerShellBackend implements ExchangeBackend {
  readonly kind = 'powershell' as const;
  private closed = false;

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

  invoke(request: CmdletRequest): Promise<JsonValue> {
    return this.entry.runner.invoke(request);
  }

  invokeBatch(requests: readonly CmdletRequest[]): Promise<readonly BatchItemResult[]> {
    return this.entry.runner.invokeBatch(requests);
  }

  /** Counters of the shared host process. */
  stats(): BackendStats {
    return this.entry.runner.stats();
  }

  processId(): number | undefined {
    return this.entry.runner.processId();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
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
