/**
 * The stand-in pwsh: a Node program that speaks exactly the host protocol of
 * powershell/mailpolicy-host.ps1 on stdin/stdout and serves requests from the simulator, so the
 * real runner is tested end to end against a real child process. It is started the way the
 * runner starts pwsh (`-NoLogo -NoProfile -NonInteractive -File <host.ps1>`), enforces the same
 * allowlist (host-config.json beside the script) and shapes results as the host does: a read
 * keeps only the catalog's returned properties in their string forms, one object comes back
 * unwrapped and none as null; a write returns nothing. Like the host it announces each batch item
 * as it starts (`{"id":3,"started":0}`), then runs it; an item the allowlist refuses is announced
 * too, as the host announces every item before checking it. While an `invoke` read's objects
 * arrive (the simulator's latency model spreads them over the read's time) it says how many it
 * has, at most once every RECEIVED_EVERY_MS (`{"id":2,"received":4000}`), as the host does while
 * it collects them. A conformance test
 * (test/pwsh/conformance.test.ts) holds these responses to the real host's.
 *
 * Switches (environment, all optional except the state):
 *   MAILPOLICY_STANDIN_STATE        simulator state file to serve
 *   MAILPOLICY_STANDIN_HANG         cmdlet name (or *): never answer once a request starts running it
 *   MAILPOLICY_STANDIN_CRASH        cmdlet name (or *): once a request starts running it, write half a response line, then die
 *   MAILPOLICY_STANDIN_ONCE         directory: each HANG/CRASH fires once across processes
 *   MAILPOLICY_STANDIN_ITEM_MS      each cmdlet of a request takes this long (a slow Exchange)
 *   MAILPOLICY_STANDIN_STDERR_NOISE lines of noise written to stderr per request
 *   MAILPOLICY_STANDIN_ECHO_STDERR  1: echo every request line to stderr (as a chatty module might)
 *   MAILPOLICY_STANDIN_STDOUT_NOISE 1: a stray non-protocol line on stdout before each response
 *   MAILPOLICY_STANDIN_CHUNK_BYTES  write responses in chunks of this many bytes
 *   MAILPOLICY_STANDIN_PAD_BYTES    add a string of this many bytes to every object a read returns
 *   MAILPOLICY_STANDIN_NO_MODULE    1: connect fails as if ExchangeOnlineManagement were missing
 *   MAILPOLICY_STANDIN_PS_VERSION   the PowerShell version the stand-in reports (default 7.4.6)
 *   MAILPOLICY_STANDIN_FAULTS       JSON list of simulator faults (added to the state's)
 *   MAILPOLICY_STANDIN_LOG          file that receives argv, the environment (JSON) and every request line as received
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HostCmdletConfig, HostConfig, ReturnForm } from '../../src/exchange/host-config';
import { HOST_CONFIG_NAME } from '../../src/exchange/host-config';
import { HOST_ERROR, LineSplitter, RECEIVED_EVERY_MS } from '../../src/exchange/host-protocol';
import { isRecord } from '../../src/exchange/is-record';
import { ExchangeError, type BatchItemResult, type CmdletErrorInfo, type CmdletRequest, type JsonValue } from '../../src/exchange/types';
import { SimulatorBackend } from '../../src/simulator/backend';
import type { FaultSpec } from '../../src/simulator/state';

const ENV = 'MAILPOLICY_STANDIN_';

function env(name: string): string | undefined {
  const v = process.env[ENV + name];
  return v === undefined || v === '' ? undefined : v;
}

class HostError extends Error {
  constructor(
    readonly id: string,
    message: string,
  ) {
    super(message);
  }
}

/** One object as the host's ConvertTo-ResultObject makes it: every returned property, missing ones null. */
function shapeObject(item: JsonValue, returns: NonNullable<HostCmdletConfig['returns']>): Record<string, JsonValue> {
  const shaped: Record<string, JsonValue> = {};
  for (const [name, form] of Object.entries(returns)) {
    const value = isRecord(item) ? (item as Record<string, JsonValue>)[name] : undefined;
    if (value === null || value === undefined) shaped[name] = null;
    else if (form === 'string') shaped[name] = String(value);
    else if (form === 'list') shaped[name] = (Array.isArray(value) ? value : [value]).filter((entry) => entry !== null).map(String);
    else shaped[name] = value;
  }
  return shaped;
}

/**
 * What the host's Get-ReturnedProperties shapes a read to: the cmdlet's returns, then the
 * optional properties the request names, each allowlisted in optionalReturns.
 */
function returnedProperties(raw: Record<string, unknown>, entry: HostCmdletConfig): HostCmdletConfig['returns'] {
  const asked = raw.properties;
  if (asked === undefined || asked === null) return entry.returns;
  if (!Array.isArray(asked)) throw new HostError(HOST_ERROR.badRequest, 'properties must be a JSON array of names');
  const shape: Record<string, ReturnForm> = { ...entry.returns };
  for (const name of asked.map(String)) {
    const form = entry.optionalReturns !== null && Object.prototype.hasOwnProperty.call(entry.optionalReturns, name) ? entry.optionalReturns[name] : undefined;
    if (form === undefined) throw new HostError(HOST_ERROR.notAllowed, `'${name}' is not an allowlisted optional property of ${String(raw.cmdlet)}`);
    shape[name] = form;
  }
  return shape;
}

/** A read's output as the host's Invoke-Allowed sends it: shaped objects, one unwrapped, none as null. */
function hostShaped(data: JsonValue, returns: HostCmdletConfig['returns']): JsonValue {
  const items = data === null ? [] : Array.isArray(data) ? data : [data];
  const shaped = returns ? items.map((item) => shapeObject(item, returns)) : items;
  if (shaped.length === 0) return null;
  return shaped.length === 1 ? (shaped[0] as JsonValue) : shaped;
}

/**
 * An Exchange Online error as the real host reports it (test/pwsh/conformance.test.ts holds this):
 * the module raises it through Write-ErrorMessage, whose id is
 * `[Server=…,RequestId=<GUID>,TimeStamp=<now>],Write-ErrorMessage` (docs/exchange-facts.md, "Running
 * cmdlets from a program"); the host unwraps the embedded type and text, which are the
 * simulator's, and judges `transient` with its own patterns (host-config.json).
 */
function asWriteErrorMessage(info: CmdletErrorInfo, config: HostConfig): CmdletErrorInfo {
  const fullyQualifiedErrorId = `[Server=BN8PR04MB6241,RequestId=${randomUUID()},TimeStamp=${new Date().toUTCString()}],Write-ErrorMessage`;
  const any = (text: string, patterns: readonly string[]): boolean => patterns.some((p) => text.toLowerCase().includes(p.toLowerCase()));
  const identity = `${info.type}\n${fullyQualifiedErrorId}\n${info.type.slice(info.type.lastIndexOf('.') + 1)}`;
  const transient = !any(identity, config.permanentPatterns) && any(`${identity}\n${info.message}`, config.transientPatterns);
  return { ...info, fullyQualifiedErrorId, transient };
}

function hostErrorInfo(e: HostError): CmdletErrorInfo {
  return { message: e.message, type: 'System.InvalidOperationException', fullyQualifiedErrorId: e.id, category: 'InvalidOperation', transient: false };
}

/** True once per switch when MAILPOLICY_STANDIN_ONCE is set (a marker file records it), always otherwise. */
function fires(kind: string): boolean {
  return firesOnce(env('ONCE'), kind);
}

/**
 * Whether a HANG/CRASH switch fires: always without a directory, else once across every process
 * sharing it (a marker file per kind). Also used by the real-PowerShell tier's bridge.
 */
export function firesOnce(dir: string | undefined, kind: string): boolean {
  if (!dir) return true;
  try {
    closeSync(openSync(join(dir, `${kind}.fired`), 'wx'));
    return true;
  } catch {
    return false;
  }
}

function matches(switchValue: string | undefined, cmdlets: readonly string[]): boolean {
  return switchValue !== undefined && (switchValue === '*' || cmdlets.some((c) => c.toLowerCase() === switchValue.toLowerCase()));
}

export function main(argv: readonly string[] = process.argv.slice(2)): void {
  const log = env('LOG');
  if (log) appendFileSync(log, `argv ${JSON.stringify(argv)}\nenv ${JSON.stringify(process.env)}\n`);
  const fileAt = argv.indexOf('-File');
  const expected = ['-NoLogo', '-NoProfile', '-NonInteractive'];
  if (fileAt < 0 || !expected.every((a) => argv.includes(a)) || argv[fileAt + 1] === undefined) {
    process.stderr.write(`stand-in pwsh: expected ${expected.join(' ')} -File <script>, got ${argv.join(' ')}\n`);
    process.exit(64);
  }
  const script = argv[fileAt + 1] as string;
  if (!existsSync(script)) {
    process.stderr.write(`The argument '${script}' is not recognized as the name of a script file.\n`);
    process.exit(64);
  }
  const config = JSON.parse(readFileSync(join(dirname(script), HOST_CONFIG_NAME), 'utf8')) as HostConfig;
  const statePath = env('STATE');
  if (!statePath) {
    process.stderr.write(`stand-in pwsh: set ${ENV}STATE to a simulator state file\n`);
    process.exit(2);
  }
  const psVersion = env('PS_VERSION') ?? '7.4.6';
  const faults = env('FAULTS') ? (JSON.parse(env('FAULTS') as string) as FaultSpec[]) : [];
  const chunkBytes = Number(env('CHUNK_BYTES') ?? 0);
  const padBytes = Number(env('PAD_BYTES') ?? 0);
  const stderrNoise = Number(env('STDERR_NOISE') ?? 0);
  const itemMs = Number(env('ITEM_MS') ?? 0);
  const padding = padBytes > 0 ? 'x'.repeat(padBytes) : '';
  let connected = false;
  // Connected through Connect-ExchangeOnline: Exchange's errors arrive as Write-ErrorMessage raises them.
  let online = false;
  const exchangeError = (info: CmdletErrorInfo): CmdletErrorInfo => (online ? asWriteErrorMessage(info, config) : info);
  let currentId: JsonValue = null;

  const crash = (): never => {
    // Half a response, then an abrupt death: what a crashing pwsh looks like to the runner.
    writeSync(1, `{"id":${JSON.stringify(currentId)},"ok":true,"data":[{"Identity":"trunc`);
    process.kill(process.pid, 'SIGKILL');
    throw new Error('unreachable');
  };
  // The invoke or batch request running now (not a connect): where its items sit in the request as sent.
  let running: { readonly batch: boolean; readonly positions: readonly number[]; readonly refused: readonly boolean[]; next: number } | undefined;
  // Like the host, a batch announces every item in order, those the allowlist refuses included
  // (the host announces an item before it checks it): the refused ones before `limit` go now.
  const announceRefused = (limit: number): void => {
    if (!running?.batch) return;
    while (running.next < limit && running.refused[running.next] === true) {
      process.stdout.write(`${JSON.stringify({ id: currentId, started: running.next })}\n`);
      running.next++;
    }
  };
  // As an item starts: a batch announces it (a line written at once, before the response that
  // waits for the whole batch), then the switches act on it.
  const onCallStart = async (cmdlet: string, index: number): Promise<void> => {
    if (!running) return;
    if (running.batch) {
      const position = running.positions[index] ?? index;
      announceRefused(position);
      process.stdout.write(`${JSON.stringify({ id: currentId, started: position })}\n`);
      running.next = position + 1;
    }
    if (matches(env('CRASH'), [cmdlet]) && fires('crash')) crash();
    if (matches(env('HANG'), [cmdlet]) && fires('hang')) await new Promise<never>(() => undefined);
    if (itemMs > 0) await new Promise((resolve) => setTimeout(resolve, itemMs));
  };
  // A `hang` fault never answers: the runner's deadline is what is tested.
  // Throttled cmdlets fail with the 429 (the runner under test retries them), as a host's would.
  const backend = new SimulatorBackend({ statePath, faults, onCrash: crash, onCallStart, callTimeoutMs: Infinity, retryThrottled: false });

  const write = async (text: string): Promise<void> => {
    const out = process.stdout;
    const pieces = chunkBytes > 0 ? Math.ceil(text.length / chunkBytes) : 1;
    for (let i = 0; i < pieces; i++) {
      const piece = chunkBytes > 0 ? text.slice(i * chunkBytes, (i + 1) * chunkBytes) : text;
      if (!out.write(piece)) await new Promise((resolve) => out.once('drain', resolve));
      if (chunkBytes > 0) await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const respond = async (response: Record<string, JsonValue>): Promise<void> => {
    if (env('STDOUT_NOISE') === '1') await write('WARNING: this line is not part of the protocol\n');
    await write(`${JSON.stringify(response)}\n`);
  };

  const spec = (cmdlet: unknown, effects: readonly string[]): HostCmdletConfig => {
    const name = String(cmdlet);
    if (!Object.prototype.hasOwnProperty.call(config.cmdlets, name)) throw new HostError(HOST_ERROR.notAllowed, `'${name}' is not an allowlisted cmdlet`);
    const entry = config.cmdlets[name] as HostCmdletConfig;
    if (!effects.includes(entry.effect)) throw new HostError(HOST_ERROR.badRequest, `'${name}' cannot be run as this kind of request`);
    return entry;
  };

  const checkRequest = (raw: unknown, effects: readonly string[]): { request: CmdletRequest; entry: HostCmdletConfig; returns: HostCmdletConfig['returns'] } => {
    if (!isRecord(raw)) throw new HostError(HOST_ERROR.badRequest, 'a batch item must be a JSON object');
    const entry = spec(raw.cmdlet, effects);
    const parameters = raw.parameters ?? {};
    if (!isRecord(parameters)) throw new HostError(HOST_ERROR.badRequest, 'parameters must be a JSON object');
    for (const name of Object.keys(parameters)) {
      if (!entry.parameters.includes(name)) throw new HostError(HOST_ERROR.notAllowed, `'${name}' is not an allowlisted parameter of ${String(raw.cmdlet)}`);
    }
    // As the host: computerName names the server of a Windows service cmdlet, and only of one.
    const computerName = raw.computerName;
    if (entry.remoteService !== (typeof computerName === 'string' && computerName.length > 0)) {
      throw new HostError(HOST_ERROR.badRequest, `computerName names the Exchange server of a Windows service cmdlet, and only of one (${String(raw.cmdlet)})`);
    }
    const target = typeof computerName === 'string' ? { computerName } : {};
    const returns = returnedProperties(raw, entry);
    // The simulator is told which optional properties will be kept, so it builds no others (the host's shaping, in-process).
    const asked = Array.isArray(raw.properties) ? { properties: raw.properties.map(String) } : {};
    return { request: { cmdlet: String(raw.cmdlet), parameters: parameters as Record<string, JsonValue>, ...target, ...asked }, entry, returns };
  };

  const pad = (data: JsonValue): JsonValue => {
    if (!padding) return data;
    const padOne = (v: JsonValue): JsonValue => (isRecord(v) ? { ...(v as Record<string, JsonValue>), Padding: padding } : v);
    return Array.isArray(data) ? data.map(padOne) : padOne(data);
  };

  // Like the host: a count of a read's objects once RECEIVED_EVERY_MS have passed since the request (or the last count).
  const receivedFrames = (): ((received: number) => void) => {
    const id = currentId;
    let last = Date.now();
    return (received) => {
      if (Date.now() - last < RECEIVED_EVERY_MS) return;
      last = Date.now();
      process.stdout.write(`${JSON.stringify({ id, received })}\n`);
    };
  };

  /** Runs items like the host's Invoke-Allowed: each succeeds or fails on its own; a batch announces each as it starts. */
  const runItems = async (raws: readonly unknown[], batch: boolean): Promise<Record<string, JsonValue>[]> => {
    const checked: ({ request: CmdletRequest; entry: HostCmdletConfig; returns: HostCmdletConfig['returns'] } | HostError)[] = raws.map((raw) => {
      try {
        if (!connected) throw new HostError(HOST_ERROR.notConnected, 'not connected: the runner must send a connect request first');
        return checkRequest(raw, ['read', 'write']);
      } catch (e) {
        if (e instanceof HostError) return e;
        throw e;
      }
    });
    const positions: number[] = [];
    checked.forEach((c, i) => {
      if (!(c instanceof HostError)) positions.push(i);
    });
    const runnable = checked.filter((c): c is { request: CmdletRequest; entry: HostCmdletConfig; returns: HostCmdletConfig['returns'] } => !(c instanceof HostError));
    let results: BatchItemResult[] = [];
    running = { batch, positions, refused: checked.map((c) => c instanceof HostError), next: 0 };
    try {
      if (runnable.length > 0) results = [...(await backend.invokeBatch(runnable.map((c) => c.request), !batch && runnable[0]?.entry.effect === 'read' ? { onItems: receivedFrames() } : {}))];
      announceRefused(checked.length);
    } finally {
      running = undefined;
    }
    let k = 0;
    return checked.map((c): Record<string, JsonValue> => {
      if (c instanceof HostError) return { ok: false, error: hostErrorInfo(c) as unknown as JsonValue, warnings: [] };
      const r = results[k++] as BatchItemResult;
      if (!r.ok) return { ok: false, error: exchangeError(r.error) as unknown as JsonValue, warnings: [...r.warnings] };
      // Padding is added after shaping: it stands for a very large result, not for a property the host keeps.
      return { ok: true, data: c.entry.effect === 'read' ? pad(hostShaped(r.data, c.returns)) : null, warnings: [...r.warnings] };
    });
  };

  const handle = async (line: string): Promise<void> => {
    if (log) appendFileSync(log, `request ${line}\n`);
    if (env('ECHO_STDERR') === '1') process.stderr.write(`DEBUG: received ${line}\n`);
    for (let i = 0; i < stderrNoise; i++) {
      process.stderr.write(i % 2 === 0 ? `VERBOSE: noise line ${i} {"id":${JSON.stringify(currentId)},"ok":true}\n` : `${'#'.repeat(200)}\n`);
    }
    currentId = null;
    try {
      const raw: unknown = JSON.parse(line);
      if (!isRecord(raw)) throw new HostError(HOST_ERROR.badRequest, 'a request must be a JSON object');
      currentId = (raw.id ?? null) as JsonValue;
      if (raw.type === 'connect') {
        const { request } = checkRequest(raw, ['connect']);
        if (env('NO_MODULE') === '1') throw new HostError(HOST_ERROR.moduleNotFound, `The ExchangeOnlineManagement module is not installed for this pwsh (PowerShell ${psVersion}).`);
        connected = false;
        online = request.cmdlet === 'Connect-ExchangeOnline';
        await backend.invoke(request);
        connected = true;
        await respond({ id: currentId, ok: true, data: { psVersion: `${psVersion} (stand-in)` }, warnings: [] });
      } else if (raw.type === 'invoke') {
        const [item] = await runItems([raw], false);
        await respond({ id: currentId, ...(item as Record<string, JsonValue>) });
      } else if (raw.type === 'batch') {
        const items = Array.isArray(raw.requests) ? raw.requests : [];
        await respond({ id: currentId, ok: true, data: await runItems(items, true), warnings: [] });
      } else {
        throw new HostError(HOST_ERROR.badRequest, `unknown request type '${String(raw.type)}'`);
      }
    } catch (e) {
      const error: CmdletErrorInfo =
        e instanceof HostError
          ? hostErrorInfo(e)
          : e instanceof ExchangeError
            ? exchangeError(e.info)
            : { message: (e as Error).message, type: 'System.ArgumentException', fullyQualifiedErrorId: HOST_ERROR.badRequest, category: 'InvalidArgument', transient: false };
      await respond({ id: currentId, ok: false, error: error as unknown as JsonValue, warnings: [] });
    }
  };

  // One request at a time, in order, like the PowerShell host's read loop.
  let chain: Promise<void> = Promise.resolve();
  const lines = new LineSplitter((line) => {
    chain = chain.then(() => handle(line));
  });
  process.stdin.on('data', (chunk: Buffer) => lines.push(chunk));
  process.stdin.on('end', () => {
    void chain.then(() => backend.close()).then(() => process.exit(0));
  });
}

if (require.main === module) main();
