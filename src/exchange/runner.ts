/**
 * The PowerShell runner: one long-lived `pwsh -NoLogo -NoProfile -NonInteractive` process
 * running powershell/mailpolicy-host.ps1, connected once and reused. Requests are queued and
 * sent one at a time (the host runs them in order), matched to responses by id.
 *
 * Failure handling, per request:
 * - per-cmdlet timeout: each cmdlet gets the call timeout, a batch item from the moment the host
 *   announces it has started it (a progress line), so a batch of 200 is not one deadline for
 *   200 cmdlets and a hang names the cmdlet that hung; the process is killed, the call fails,
 *   the next call starts a new one;
 * - the process exits mid-call: it is restarted once and the call retried if it only reads;
 * - transient errors (throttling, server busy, TransientException): retried with capped
 *   exponential backoff and jitter, the waits of one call adding up to at most the call timeout;
 *   an expired token: reconnect, then retry;
 * - anything else fails fast with Exchange's own message.
 * Every error, warning and log line passes through the redactor first.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { CALL_TIMEOUT_ERROR, callTimedOut, DEFAULT_CALL_TIMEOUT_MS } from './call-timeout';
import { cloudOfConnectionUri } from '../model/clouds';
import { CATALOG, isCmdletName } from './catalog';
import { buildRequest, secretParameters } from './request';
import { readBack, resultList } from './read-back';
import { buildConnectRequest, connectionSecrets, type PowerShellConnectionSettings } from './connection';
import { classifyError, isThrottling, retryAfterMs, unwrapExchangeError } from './errors';
import { moduleInstallHint } from './module-versions';
import { HOST_SCRIPT_NAME, powershellDir } from './host-config';
import { childEnvironment } from './secret-env';
import { isRecord } from './is-record';
import { batchItems, HOST_ERROR, LineSplitter, parseHostLine, type HostProgress, type HostRequest, type HostResponse } from './host-protocol';
import { Redactor, REDACTED } from './redact';
import { escapeControls } from '../text/escape';
import { ExchangeError, type BackendStats, type BatchItemResult, type CmdletErrorInfo, type CmdletRequest, type ConnectionInfo, type InvokeOptions, type JsonValue } from './types';

export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly attempts: number;
  /** First backoff (default 1 s); doubles per attempt. */
  readonly baseDelayMs: number;
  /** Cap of one backoff (default 30 s). */
  readonly maxDelayMs: number;
}

export interface RunnerTuning {
  /** The PowerShell 7 executable (default: $MAILPOLICY_PWSH, else `pwsh` on PATH). */
  readonly pwshPath?: string;
  /** Defaults to the package's powershell/mailpolicy-host.ps1. */
  readonly hostScriptPath?: string;
  /**
   * Per cmdlet, each item of a batch on its own (default 15 minutes, the REST cmdlets' own
   * limit); also the most the retries of one call wait in all.
   */
  readonly callTimeoutMs?: number;
  /** Start and connect (default 2 minutes). */
  readonly connectTimeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Extra environment for the child (secret-bearing variables are removed from it: `childEnvironment`). */
  readonly env?: Readonly<Record<string, string>>;
  /** Debug lines, already redacted. */
  readonly log?: (line: string) => void;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, maxDelayMs: 30_000 };
const DEFAULT_CONNECT_TIMEOUT_MS = 2 * 60_000;
const STDERR_TAIL_LINES = 20;
/** Log lines quote at most this much of a request or stray output. */
const LOG_EXCERPT = 300;

/** Environment variable naming the pwsh executable when no pwshPath is given. */
export const PWSH_PATH_ENV = 'MAILPOLICY_PWSH';

export const PWSH_ARGS = ['-NoLogo', '-NoProfile', '-NonInteractive', '-File'] as const;

/** A failure of the runner itself (not an Exchange error): timeout, crash, missing pwsh or module. */
export const RUNNER_ERROR = {
  timeout: CALL_TIMEOUT_ERROR,
  exited: 'MailpolicyRunner.HostExited',
  pwshNotFound: 'MailpolicyRunner.PwshNotFound',
  moduleNotFound: 'MailpolicyRunner.ModuleNotFound',
  connectFailed: 'MailpolicyRunner.ConnectFailed',
  protocol: 'MailpolicyRunner.ProtocolError',
  closed: 'MailpolicyRunner.Closed',
} as const;

class HostExitedError extends Error {
  constructor(
    /** The cmdlet running when the process went away. */
    readonly cmdlet: string,
    message: string,
  ) {
    super(message);
  }
}

function runnerError(type: string, message: string): CmdletErrorInfo {
  return { message, type, fullyQualifiedErrorId: type, category: 'ConnectionError', transient: false };
}

/** A request as the host reads it: the cmdlet, its parameters, for a service cmdlet the server it runs on, and the optional properties a read asks for. */
function wire(request: CmdletRequest): CmdletRequest {
  return {
    cmdlet: request.cmdlet,
    parameters: request.parameters,
    ...(request.computerName === undefined ? {} : { computerName: request.computerName }),
    ...(request.properties === undefined ? {} : { properties: request.properties }),
  };
}

function isRead(request: CmdletRequest): boolean {
  return isCmdletName(request.cmdlet) && CATALOG[request.cmdlet].effect === 'read';
}

/** What a request runs, for its deadline and its messages. */
interface Running {
  /** The cmdlet running now: the request's, or the batch item the host last said it started. */
  cmdlet: string;
  /** A batch: its cmdlets in order (progress lines give an index into them). */
  readonly items?: readonly string[];
  /** The batch item running now, once the host has announced one. */
  item?: number;
  readonly timeoutMs: number;
  /** The error for a request that got no answer in time. */
  readonly timedOut: (running: Running) => ExchangeError;
  /** A read's caller, told how many objects the host has collected so far. */
  readonly onItems?: (received: number) => void;
}

interface InFlight {
  readonly id: number;
  readonly child: ChildProcessWithoutNullStreams;
  readonly running: Running;
  readonly resolve: (response: HostResponse) => void;
  readonly reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** "Set-CASMailbox", or "Set-CASMailbox (item 4 of 200 of a batch)". */
function describeRunning(running: Running): string {
  return running.items && running.item !== undefined ? `${running.cmdlet} (item ${running.item + 1} of ${running.items.length} of a batch)` : running.cmdlet;
}

export class PowerShellRunner {
  readonly pwshPath: string;
  readonly hostScriptPath: string;
  private readonly retry: RetryPolicy;
  private readonly redactor: Redactor;
  private readonly connectRequest: CmdletRequest;
  private child: ChildProcessWithoutNullStreams | undefined;
  private inFlight: InFlight | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private stderrTail: string[] = [];
  private info: ConnectionInfo | undefined;
  private closed = false;
  private counters = { processSpawns: 0, connects: 0, roundTrips: 0, throttled: 0, throttleWaitMs: 0 };
  /** How long the last start and sign-in took (what another host would cost). */
  private lastConnectMs: number | undefined;
  private readonly calls: Record<string, number> = {};

  constructor(
    private readonly settings: PowerShellConnectionSettings,
    private readonly tuning: RunnerTuning = {},
  ) {
    this.pwshPath = tuning.pwshPath ?? process.env[PWSH_PATH_ENV] ?? 'pwsh';
    this.hostScriptPath = tuning.hostScriptPath ?? join(powershellDir(), HOST_SCRIPT_NAME);
    this.retry = { ...DEFAULT_RETRY, ...tuning.retry };
    // Built (and checked) now, so bad settings fail before any process starts.
    this.connectRequest = buildConnectRequest(settings);
    this.redactor = new Redactor(connectionSecrets(settings));
  }

  stats(): BackendStats {
    return { ...this.counters, calls: { ...this.calls }, ...(this.lastConnectMs === undefined ? {} : { connectMs: this.lastConnectMs }) };
  }

  /** The host process id while it runs (for benchmarks reading its memory). */
  processId(): number | undefined {
    return this.child?.pid;
  }

  redact(text: string): string {
    return this.redactor.redact(text);
  }

  async invoke(request: CmdletRequest, options: InvokeOptions = {}): Promise<JsonValue> {
    this.noteRequest(request);
    const read = isRead(request);
    let crashRetried = false;
    let reconnected = false;
    let waited = 0;
    // A retried read counts again from 0: its caller hears only counts beyond the highest yet.
    let most = 0;
    const report = options.onItems;
    const onItems = report
      ? (received: number): void => {
          if (received <= most) return;
          most = received;
          report(received);
        }
      : undefined;
    for (let attempt = 1; ; attempt++) {
      let response: HostResponse;
      try {
        const running = this.callRunning(request.cmdlet);
        response = await this.exchange((id) => ({ id, type: 'invoke', ...wire(request) }), onItems ? { ...running, onItems } : running);
      } catch (e) {
        if (e instanceof HostExitedError && read && !crashRetried && !this.closed) {
          crashRetried = true;
          this.log(`${request.cmdlet}: the host exited mid-call; restarting and retrying the read once`);
          continue;
        }
        throw this.asExchangeError(request.cmdlet, e);
      }
      this.logWarnings(request.cmdlet, response.warnings);
      if (response.ok) return response.data;
      const error = this.redactInfo(response.error);
      const disposition = classifyError(error);
      if (disposition === 'reconnect' && !reconnected) {
        reconnected = true;
        this.log(`${request.cmdlet}: ${error.message} — reconnecting`);
        await this.reconnect();
        continue;
      }
      if (disposition === 'transient' && isThrottling(error)) this.counters.throttled++;
      const delay = Math.max(this.backoff(attempt), retryAfterMs(error) ?? 0);
      if (disposition === 'transient' && this.mayRetry(attempt, waited, delay)) {
        this.log(`${request.cmdlet}: transient error (attempt ${attempt}/${this.retry.attempts}), retrying in ${delay} ms: ${error.message}`);
        if (isThrottling(error)) this.counters.throttleWaitMs += delay;
        waited += delay;
        await sleep(delay);
        continue;
      }
      throw new ExchangeError(request.cmdlet, { ...error, transient: disposition === 'transient' });
    }
  }

  /** One round trip for many requests; transiently failed items are retried together. */
  async invokeBatch(requests: readonly CmdletRequest[]): Promise<BatchItemResult[]> {
    for (const r of requests) this.noteRequest(r);
    const results: (BatchItemResult | undefined)[] = new Array<BatchItemResult | undefined>(requests.length);
    if (requests.length === 0) return [];
    const allReads = requests.every(isRead);
    let pending = requests.map((_, i) => i);
    let crashRetried = false;
    let reconnected = false;
    let waited = 0;
    const label = `batch of ${requests.length}`;
    for (let attempt = 1; pending.length > 0; attempt++) {
      const subset = pending.map((i) => requests[i] as CmdletRequest);
      let response: HostResponse;
      try {
        response = await this.exchange(
          (id) => ({ id, type: 'batch', requests: subset.map(wire) }),
          this.callRunning(subset[0]?.cmdlet ?? 'batch', subset.map((r) => r.cmdlet)),
        );
      } catch (e) {
        if (e instanceof HostExitedError && allReads && !crashRetried && !this.closed) {
          crashRetried = true;
          attempt--;
          continue;
        }
        throw this.asExchangeError(subset[0]?.cmdlet ?? 'batch', e);
      }
      if (!response.ok) throw new ExchangeError(subset[0]?.cmdlet ?? 'batch', this.redactInfo(response.error));
      let items: BatchItemResult[];
      try {
        items = batchItems(response.data, subset.length);
      } catch (e) {
        throw new ExchangeError('batch', runnerError(RUNNER_ERROR.protocol, this.redact((e as Error).message)));
      }
      const retry: number[] = [];
      let needReconnect = false;
      let throttledNow = false;
      // The longest retry-after any throttled item asks for, at least the backoff.
      const delay = items.reduce((most, item) => (item.ok ? most : Math.max(most, retryAfterMs(item.error) ?? 0)), this.backoff(attempt));
      items.forEach((item, k) => {
        const index = pending[k] as number;
        const warnings = item.warnings.map((w) => this.redact(w));
        this.logWarnings(subset[k]?.cmdlet ?? 'batch', warnings);
        if (item.ok) {
          results[index] = { ok: true, data: item.data, warnings };
          return;
        }
        const error = this.redactInfo(item.error);
        const disposition = classifyError(error);
        if (disposition === 'transient' && isThrottling(error)) {
          this.counters.throttled++;
          throttledNow = true;
        }
        if (disposition === 'reconnect' && !reconnected) {
          needReconnect = true;
          retry.push(index);
        } else if (disposition === 'transient' && this.mayRetry(attempt, waited, delay)) {
          retry.push(index);
        } else {
          results[index] = { ok: false, error: { ...error, transient: disposition === 'transient' }, warnings };
        }
      });
      pending = retry;
      if (pending.length === 0) break;
      if (needReconnect) {
        reconnected = true;
        await this.reconnect();
      } else {
        this.log(`${label}: ${pending.length} item(s) failed transiently (attempt ${attempt}/${this.retry.attempts}), retrying in ${delay} ms`);
        if (throttledNow) this.counters.throttleWaitMs += delay;
        waited += delay;
        await sleep(delay);
      }
    }
    return results.map((r) => r ?? { ok: false, error: runnerError(RUNNER_ERROR.protocol, 'no result for this request'), warnings: [] });
  }

  /**
   * The platform connected to, and for Exchange Online the cloud of the endpoint Exchange reports
   * (Get-ConnectionInformation's ConnectionUri). `organization` is the name it was asked to
   * connect to: Get-ConnectionInformation's Organization only echoes it, so verifyTarget checks
   * it against the accepted domains.
   */
  async connection(): Promise<ConnectionInfo> {
    if (this.info) return this.info;
    const organization = this.settings.organization;
    if (this.settings.platform === 'exchangeServer') {
      await this.enqueue(() => this.ensureStarted());
      this.info = { platform: 'exchangeServer', organization };
      return this.info;
    }
    const first = resultList(await this.invoke(buildRequest('Get-ConnectionInformation')))[0];
    const reported = isRecord(first) ? readBack('Get-ConnectionInformation', first) : {};
    const uri = typeof reported.connectionUri === 'string' ? reported.connectionUri : '';
    this.info = { platform: 'exchangeOnline', cloud: cloudOfConnectionUri(uri, this.settings.cloud), organization };
    return this.info;
  }

  /** Ends the host: stdin closes (the host disconnects and exits), then a kill if it lingers. */
  async close(): Promise<void> {
    this.closed = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 2000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin.end();
    });
    this.child = undefined;
  }

  // ---- internals ----

  private noteRequest(request: CmdletRequest): void {
    this.calls[request.cmdlet] = (this.calls[request.cmdlet] ?? 0) + 1;
    if (!isCmdletName(request.cmdlet)) return;
    for (const name of secretParameters(request.cmdlet)) {
      const value = request.parameters[name];
      if (typeof value === 'string') this.redactor.add(value);
    }
  }

  private callTimeout(): number {
    return this.tuning.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** A cmdlet call (or a batch: its cmdlets), each cmdlet with the call timeout. */
  private callRunning(cmdlet: string, items?: readonly string[]): Running {
    return {
      cmdlet,
      ...(items ? { items } : {}),
      timeoutMs: this.callTimeout(),
      timedOut: (running) =>
        callTimedOut(
          running.cmdlet,
          running.timeoutMs,
          `the PowerShell process running ${describeRunning(running)} was stopped${running.items && (running.item ?? 0) > 0 ? ' (the items before it ran)' : ''}`,
        ),
    };
  }

  /**
   * Another attempt after a transient error: while attempts remain and the waits of this call,
   * this one included, add up to at most the call timeout — retries never make one call
   * outlast what the admin allowed it.
   */
  private mayRetry(attempt: number, waited: number, delay: number): boolean {
    return attempt < this.retry.attempts && waited + delay <= this.callTimeout();
  }

  /** Capped exponential backoff with jitter: half fixed, half random, so retries spread out but never fire at once. */
  private backoff(attempt: number): number {
    const cap = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return Math.round(cap / 2 + (Math.random() * cap) / 2);
  }

  private log(line: string): void {
    // Lines quote Exchange (warnings, errors, stderr): escaped, so a log line stays one line.
    this.tuning.log?.(escapeControls(this.redact(`mailpolicy pwsh${this.child?.pid ? `[${this.child.pid}]` : ''}: ${line}`)));
  }

  private logWarnings(cmdlet: string, warnings: readonly string[]): void {
    for (const w of warnings) this.log(`${cmdlet}: WARNING: ${w}`);
  }

  /** What users see: Exchange's own type and text, unwrapped from Write-ErrorMessage, secrets masked. */
  private redactInfo(given: CmdletErrorInfo): CmdletErrorInfo {
    const info = unwrapExchangeError(given);
    return {
      message: this.redact(info.message),
      type: this.redact(info.type),
      fullyQualifiedErrorId: this.redact(info.fullyQualifiedErrorId),
      category: this.redact(info.category),
      transient: info.transient,
    };
  }

  private asExchangeError(cmdlet: string, e: unknown): ExchangeError {
    if (e instanceof ExchangeError) return new ExchangeError(e.cmdlet, this.redactInfo(e.info));
    // The cmdlet the host was running when it died, which in a batch need not be the first.
    if (e instanceof HostExitedError) return new ExchangeError(e.cmdlet, runnerError(RUNNER_ERROR.exited, this.redact(e.message)));
    return new ExchangeError(cmdlet, runnerError(RUNNER_ERROR.protocol, this.redact(e instanceof Error ? e.message : String(e))));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const run = (): Promise<T> => {
      if (this.closed) return Promise.reject(new ExchangeError('runner', runnerError(RUNNER_ERROR.closed, 'the PowerShell backend is closed')));
      return job();
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private exchange(build: (id: number) => HostRequest, running: Running): Promise<HostResponse> {
    return this.enqueue(async () => {
      await this.ensureStarted();
      this.counters.roundTrips++;
      return this.send(build(this.nextId++), running);
    });
  }

  private reconnect(): Promise<void> {
    return this.enqueue(async () => {
      if (!this.child) return this.ensureStarted();
      await this.connect();
    });
  }

  private async ensureStarted(): Promise<void> {
    if (this.child) return;
    const child = await this.spawnHost();
    this.child = child;
    try {
      await this.connect();
    } catch (e) {
      this.kill();
      throw e;
    }
  }

  private async connect(): Promise<void> {
    const started = Date.now();
    const cmdlet = this.connectRequest.cmdlet;
    const response = await this.send(
      { id: this.nextId++, type: 'connect', cmdlet, parameters: this.connectRequest.parameters },
      {
        cmdlet,
        timeoutMs: this.tuning.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
        timedOut: (running) => new ExchangeError(cmdlet, runnerError(RUNNER_ERROR.timeout, `no answer from PowerShell within ${running.timeoutMs} ms while starting and signing in: the process was stopped`)),
      },
    ).catch((e: unknown) => {
      throw this.asExchangeError(this.connectRequest.cmdlet, e);
    });
    if (!response.ok) {
      const error = this.redactInfo(response.error);
      if (error.fullyQualifiedErrorId === HOST_ERROR.moduleNotFound) {
        throw new ExchangeError(
          this.connectRequest.cmdlet,
          runnerError(
            RUNNER_ERROR.moduleNotFound,
            moduleInstallHint(this.pwshPath, error.message),
          ),
        );
      }
      if (error.fullyQualifiedErrorId === HOST_ERROR.windowsOnly) {
        throw new ExchangeError(this.connectRequest.cmdlet, runnerError(RUNNER_ERROR.connectFailed, `${error.message} Run mailpolicy on Windows (or on the Exchange server) for Exchange Server organisations.`));
      }
      throw new ExchangeError(this.connectRequest.cmdlet, { ...error, message: `could not connect to ${this.settings.organization}: ${error.message}` });
    }
    this.counters.connects++;
    this.lastConnectMs = Date.now() - started;
    this.log(`connected to ${this.settings.organization} with ${this.connectRequest.cmdlet} in ${Date.now() - started} ms`);
  }

  private spawnHost(): Promise<ChildProcessWithoutNullStreams> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.pwshPath, [...PWSH_ARGS, this.hostScriptPath], {
        stdio: ['pipe', 'pipe', 'pipe'],
        // Secrets reach the host only in the connect request, never through its environment.
        env: childEnvironment(process.env, this.tuning.env ?? {}, connectionSecrets(this.settings)),
        windowsHide: true,
      });
      this.counters.processSpawns++;
      child.once('error', (e: NodeJS.ErrnoException) => {
        const message =
          e.code === 'ENOENT'
            ? `PowerShell 7 was not found at '${this.pwshPath}': install PowerShell 7.4 or later (https://aka.ms/powershell), or set the pwsh path`
            : `could not start '${this.pwshPath}': ${e.message}`;
        reject(new ExchangeError(this.connectRequest.cmdlet, runnerError(RUNNER_ERROR.pwshNotFound, this.redact(message))));
      });
      child.once('spawn', () => {
        this.wire(child);
        this.log(`started ${this.pwshPath} ${[...PWSH_ARGS, this.hostScriptPath].join(' ')}`);
        resolve(child);
      });
    });
  }

  private wire(child: ChildProcessWithoutNullStreams): void {
    this.stderrTail = [];
    const stdout = new LineSplitter((line) => this.onLine(child, line));
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    const stderr = new LineSplitter((line) => {
      const clean = this.redact(line);
      this.stderrTail.push(clean.length > LOG_EXCERPT ? `${clean.slice(0, LOG_EXCERPT)}…` : clean);
      if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      this.log(`stderr: ${clean.slice(0, LOG_EXCERPT)}`);
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    // A write to a dead process fails with EPIPE: the exit handler reports it.
    child.stdin.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const pending = this.inFlight;
      // A process killed after a timeout exits while its successor may already be busy.
      if (!pending || pending.child !== child) return;
      this.inFlight = undefined;
      clearTimeout(pending.timer);
      const tail = this.stderrTail.length > 0 ? `; stderr: ${this.stderrTail.join(' | ')}` : '';
      pending.reject(new HostExitedError(pending.running.cmdlet, `${this.pwshPath} exited (${signal ?? `code ${code}`}) while running ${describeRunning(pending.running)}${tail}`));
    });
    this.setActive(child, false);
  }

  private onLine(child: ChildProcessWithoutNullStreams, line: string): void {
    const parsed = parseHostLine(line);
    const pending = this.inFlight;
    if (!parsed) {
      this.log(`ignored non-protocol output on stdout: ${line.slice(0, LOG_EXCERPT)}`);
      return;
    }
    if ('progress' in parsed) {
      this.onProgress(child, parsed.progress);
      return;
    }
    if ('received' in parsed) {
      // Progress only: the deadline stays the cmdlet's (a read is one cmdlet), the result is the response's.
      if (pending && parsed.received.id === pending.id && pending.child === child) pending.running.onItems?.(parsed.received.received);
      return;
    }
    const response = parsed.response;
    if (!pending || response.id !== pending.id || pending.child !== child) {
      this.log(`ignored a response for request ${String(response.id)}`);
      return;
    }
    this.inFlight = undefined;
    clearTimeout(pending.timer);
    this.setActive(child, false);
    pending.resolve(response);
  }

  /** A batch item started: it gets the whole call timeout, and a hang from now on is its hang. */
  private onProgress(child: ChildProcessWithoutNullStreams, progress: HostProgress): void {
    const pending = this.inFlight;
    const cmdlet = pending?.running.items?.[progress.started];
    if (!pending || progress.id !== pending.id || pending.child !== child || cmdlet === undefined) {
      this.log(`ignored a progress line for request ${progress.id}, item ${progress.started}`);
      return;
    }
    pending.running.cmdlet = cmdlet;
    pending.running.item = progress.started;
    clearTimeout(pending.timer);
    pending.timer = this.deadline(pending);
  }

  /** Kills the host and fails the request when it gets no answer (or no progress) in time. */
  private deadline(pending: Omit<InFlight, 'timer'>): NodeJS.Timeout {
    const { running } = pending;
    return setTimeout(() => {
      if (this.inFlight?.id !== pending.id) return;
      this.inFlight = undefined;
      this.log(`${describeRunning(running)}: no answer in ${running.timeoutMs} ms; killing the host`);
      this.kill();
      pending.reject(running.timedOut(running));
    }, running.timeoutMs);
  }

  private send(request: HostRequest, running: Running): Promise<HostResponse> {
    const child = this.child;
    if (!child) return Promise.reject(new HostExitedError(running.cmdlet, `${this.pwshPath} is not running`));
    return new Promise<HostResponse>((resolve, reject) => {
      const pending = { id: request.id, child, running, resolve, reject };
      this.inFlight = { ...pending, timer: this.deadline(pending) };
      this.setActive(child, true);
      this.log(`→ #${request.id} ${this.describeRequest(request)}`);
      child.stdin.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** A request for the debug log: secret parameters masked, then the whole line redacted and cut short. */
  private describeRequest(request: HostRequest): string {
    const mask = (cmdlet: string, parameters: Readonly<Record<string, JsonValue>>): string => {
      const secrets = isCmdletName(cmdlet) ? secretParameters(cmdlet) : [];
      const shown = Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, secrets.includes(k) ? REDACTED : v]));
      const text = JSON.stringify(shown);
      return `${cmdlet} ${text.length > LOG_EXCERPT ? `${text.slice(0, LOG_EXCERPT)}…` : text}`;
    };
    if (request.type === 'batch') return `batch of ${request.requests.length}: ${request.requests[0] ? mask(request.requests[0].cmdlet, request.requests[0].parameters) : ''}…`;
    return `${request.type} ${mask(request.cmdlet, request.parameters)}`;
  }

  private kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  /** The process keeps Node alive only while a call is waiting for it. */
  private setActive(child: ChildProcessWithoutNullStreams, active: boolean): void {
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as unknown as { ref?: () => void; unref?: () => void }[]) {
      if (active) handle.ref?.();
      else handle.unref?.();
    }
  }
}
