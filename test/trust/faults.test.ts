/**
 * The fault table (issue 11, "Done when"): every fault kind the simulator and the stand-in pwsh
 * offer, made persistent so no retry can save the call, against every command that talks to
 * Exchange — plan, apply, drift and export as CLI processes, and the providers' read, create,
 * update and delete over gRPC through the real plugin — on both backends: the in-process
 * simulator, and the PowerShell backend (the real runner) with the stand-in pwsh serving the
 * same state file. Each case asserts:
 *   - exit 2 (or the provider's error), with one line naming the cmdlet and what went wrong;
 *   - nothing written beyond the writes that completed before the fault (the state's `writes`
 *     counters; a command that only reads leaves the state file byte for byte as it was);
 *   - after the fault is cleared, the same command works again and the organisation converges
 *     (after apply: plan and drift clean; after a provider write: a read shows no drift).
 * Then, on the PowerShell backend, the variants that legitimately recover (one transient
 * error, one throttled call, one expired token, one crashed read) succeed.
 *
 * Runtime is kept short by the call timeout itself: `--call-timeout` / `mailpolicy:callTimeoutSeconds`
 * bound both a hang and the runner's retries (its waits add up to at most the call timeout).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { planLive } from '../../src/reconcile/live';
import { SimulatorBackend } from '../../src/simulator/backend';
import { newOrganisation } from '../../src/simulator/defaults';
import { FAULT_KINDS, type FailingFaultKind, type FaultSpec, type SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { TOKEN } from '../exchange/stand-in';
import { assertBuilt, ProviderPlugin } from '../providers/provider-plugin';
import { tempDir } from '../simulator/helpers';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/mailpolicy.js');
const DOCUMENT = path.join(ROOT, 'test/fixtures/trust/online.mailpolicy.yaml');
const ORGANIZATION = 'contoso.onmicrosoft.com';
const MAILBOXES = 3;
/** A case runs up to five CLI processes, several at once: generous, for a busy 2-core machine. */
const CLI_CASE_TIMEOUT_MS = 120_000;
/** Enough matching calls that the fault never stops firing: no retry, restart or reconnect saves the call. */
const PERSISTENT = 1_000_000;

/** What the one line naming the cmdlet says for each fault kind (both backends). */
const SAYS: Readonly<Record<FailingFaultKind, RegExp>> = {
  hang: /no answer within \d+ s \(the call timeout/,
  // In-process the simulated crash fails the call; through PowerShell the host dies under the runner.
  crash: /The PowerShell process exited unexpectedly \(injected crash\)|stand-in-pwsh exited \(SIGKILL\) while running/,
  transient: /The server is busy\. Try again later\./,
  throttle: /\(429\) Too Many Requests/,
  tokenExpired: /the access token has expired/,
  permanent: /The operation failed \(injected fault\)\./,
};

interface Backend {
  readonly name: 'simulator' | 'powershell';
  /** Seconds: short, so a hang (and the runner's retries) end quickly; the stand-in's round trips need a little headroom. */
  readonly callTimeout: number;
  readonly args: (state: string) => string[];
  readonly env: (state: string) => Record<string, string>;
}

const BACKENDS: readonly Backend[] = [
  { name: 'simulator', callTimeout: 1, args: (state) => ['--state', state], env: () => ({}) },
  {
    name: 'powershell',
    callTimeout: 2,
    args: () => ['--backend', 'powershell', '--pwsh', STAND_IN_PWSH],
    env: (state) => ({ ...standInEnv(state, { compiled: true }), MAILPOLICY_ACCESS_TOKEN: TOKEN }),
  },
];

const dir = tempDir('mailpolicy-faults-');
let counter = 0;

function readState(statePath: string): SimulatorState {
  return JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
}

const writesOf = (statePath: string): Record<string, number> => readState(statePath).writes ?? {};

async function setFaults(statePath: string, faults: FaultSpec[]): Promise<void> {
  const state = readState(statePath);
  if (faults.length > 0) state.faults = faults;
  else delete state.faults;
  await saveState(statePath, state);
}

/** A fresh organisation (Exchange's defaults, 3 mailboxes) in its own state file. */
async function organisation(edit?: (s: SimulatorState) => void, statePath = path.join(dir, `org-${++counter}.json`)): Promise<string> {
  const state = newOrganisation({ platform: 'exchangeOnline', organization: ORGANIZATION, mailboxes: MAILBOXES });
  edit?.(state);
  await saveState(statePath, state);
  return statePath;
}

function persistent(kind: FailingFaultKind, cmdlet: string): FaultSpec[] {
  return [{ kind, cmdlet, times: PERSISTENT }];
}

/** The one line of `text` that names the cmdlet and says what went wrong. */
function lineNaming(text: string, cmdlet: string, says: RegExp): string | undefined {
  return text.split('\n').find((line) => line.includes(cmdlet) && says.test(line));
}

function counts(cmdlets: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cmdlets) out[c] = (out[c] ?? 0) + 1;
  return out;
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function mailpolicy(backend: Backend, state: string, args: readonly string[], extra: readonly string[] = []): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args, ...backend.args(state), ...extra],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...backend.env(state) } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}

// ---- the CLI: plan, apply, drift, export ----

interface CliCommand {
  readonly command: 'plan' | 'apply' | 'drift' | 'export';
  /** The cmdlet the fault hits: a read every reading command does, a bulk write (a batch) for apply. */
  readonly cmdlet: string;
  readonly args: (output: string) => string[];
  /** Exit status once the fault is gone, on the organisation as it was. */
  readonly cleanExit: number;
}

const CLI_COMMANDS: readonly CliCommand[] = [
  { command: 'plan', cmdlet: 'Get-TransportConfig', args: () => ['plan', DOCUMENT], cleanExit: 1 },
  { command: 'apply', cmdlet: 'Set-CASMailbox', args: () => ['apply', DOCUMENT], cleanExit: 0 },
  { command: 'drift', cmdlet: 'Get-TransportConfig', args: () => ['drift', DOCUMENT], cleanExit: 1 },
  { command: 'export', cmdlet: 'Get-TransportConfig', args: (output) => ['export', '--organization', ORGANIZATION, '--output', output], cleanExit: 0 },
];

/** What a clean apply writes, per cmdlet, and what it writes before its first Set-CASMailbox. */
let applyWrites: { all: Record<string, number>; beforeMailboxes: Record<string, number> };

beforeAll(async () => {
  assertBuilt();
  const backend = new SimulatorBackend({ statePath: await organisation() });
  const { plan } = await planLive(loadPolicyFileOrThrow(DOCUMENT).policy, backend);
  const cmdlets = plan.changes.map((c) => c.request.cmdlet);
  const firstMailbox = cmdlets.indexOf('Set-CASMailbox');
  expect(firstMailbox).toBeGreaterThan(0);
  applyWrites = { all: counts(cmdlets), beforeMailboxes: counts(cmdlets.slice(0, firstMailbox)) };
  expect(applyWrites.all['Set-CASMailbox']).toBe(MAILBOXES);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const started = Date.now();
let cases = 0;
afterAll(() => {
  process.stdout.write(`fault table: ${FAULT_KINDS.length} faults × ${CLI_COMMANDS.length + PROVIDER_OPS.length} commands × ${BACKENDS.length} backends = ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
});

describe.each(BACKENDS)('CLI, $name backend', (backend) => {
  const table = CLI_COMMANDS.flatMap((c) => FAULT_KINDS.map((kind) => [c.command, kind, c] as const));

  it.concurrent.each(table)('%s with a persistent %s fault: exit 2 naming the cmdlet, nothing written beyond completed writes, a re-run converges', async (_name, kind, c) => {
    cases++;
    const state = await organisation((s) => {
      s.faults = persistent(kind, c.cmdlet);
    });
    const output = path.join(dir, `export-${++counter}.yaml`);
    const before = fs.readFileSync(state, 'utf8');

    const failed = await mailpolicy(backend, state, c.args(output), ['--call-timeout', String(backend.callTimeout)]);
    expect(lineNaming(failed.stderr, c.cmdlet, SAYS[kind]), failed.stderr).toBeDefined();
    expect(failed.stderr).not.toMatch(/^\s+at /m);
    expect(failed.code, failed.stderr).toBe(2);
    if (c.command === 'apply') {
      const { [c.cmdlet]: faulted, ...others } = writesOf(state);
      expect(faulted).toBeUndefined();
      expect(others).toEqual(applyWrites.beforeMailboxes);
    } else {
      expect(fs.readFileSync(state, 'utf8')).toBe(before);
    }
    expect(fs.existsSync(output)).toBe(false);

    await setFaults(state, []);
    const again = await mailpolicy(backend, state, c.args(output));
    expect(again.code, again.stderr).toBe(c.cleanExit);
    if (c.command === 'apply') {
      // The re-run wrote exactly what the failed run had not: together, one clean apply.
      expect(writesOf(state)).toEqual(applyWrites.all);
      expect((await mailpolicy(backend, state, ['plan', DOCUMENT])).code).toBe(0);
      expect((await mailpolicy(backend, state, ['drift', DOCUMENT])).code).toBe(0);
    }
    if (c.command === 'export') expect((await mailpolicy(backend, state, ['drift', output])).code).toBe(0);
  }, CLI_CASE_TIMEOUT_MS);
});

describe('CLI, powershell backend: the variants the runner legitimately recovers from', () => {
  const backend = BACKENDS[1] as Backend;
  const [, apply, drift] = CLI_COMMANDS as [CliCommand, CliCommand, CliCommand, CliCommand];
  // A state fault counts calls per process, so a crash that restarts the host would fire again:
  // the stand-in's CRASH switch with ONCE fires once across processes.
  const once = (): Record<string, string> => ({ MAILPOLICY_STANDIN_CRASH: 'Get-TransportConfig', MAILPOLICY_STANDIN_ONCE: fs.mkdtempSync(path.join(dir, 'once-')) });
  const recovering: [string, CliCommand, FaultSpec[], () => Record<string, string>][] = [
    ['one transient error', drift, [{ kind: 'transient', cmdlet: 'Get-TransportConfig' }], () => ({})],
    ['one throttled call', drift, [{ kind: 'throttle', cmdlet: 'Get-TransportConfig' }], () => ({})],
    ['one expired token (reconnect)', drift, [{ kind: 'tokenExpired', cmdlet: 'Get-TransportConfig' }], () => ({})],
    ['one crashed read (restart)', drift, [], once],
    ['one transient error in a batch', apply, [{ kind: 'transient', cmdlet: 'Set-CASMailbox' }], () => ({})],
    ['one expired token in a batch', apply, [{ kind: 'tokenExpired', cmdlet: 'Set-CASMailbox' }], () => ({})],
  ];

  it.concurrent.each(recovering)('%s: succeeds', async (_name, c, faults, switches) => {
    const state = await organisation((s) => {
      if (faults.length > 0) s.faults = faults;
    });
    const run = await mailpolicy({ ...backend, env: (st) => ({ ...backend.env(st), ...switches() }) }, state, c.args(''), ['--call-timeout', String(backend.callTimeout)]);
    expect(run.code, run.stderr).toBe(c.cleanExit);
    if (c.command === 'apply') {
      expect(writesOf(state)).toEqual(applyWrites.all);
      expect((await mailpolicy(backend, state, ['drift', DOCUMENT])).code).toBe(0);
    }
  }, CLI_CASE_TIMEOUT_MS);
});

// ---- the providers over gRPC: read, create, update, delete ----

const TARGET = { platform: 'exchangeOnline', cloud: 'worldwide', organization: ORGANIZATION };
const POLICY = { name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true };
const INPUTS = { target: TARGET, policy: POLICY };
const ID = `${ORGANIZATION}/AuthenticationPolicy/${POLICY.name}`;

/** The policy as it exists before the operation (not the default: update and delete have work to do). */
function existing(allowBasicAuthPop: boolean): (s: SimulatorState) => void {
  return (s) => {
    s.authenticationPolicies = [{ name: POLICY.name, allowBasicAuthPop, allowBasicAuthImap: false, allowBasicAuthSmtp: false }];
  };
}

interface ProviderOp {
  readonly op: 'read' | 'create' | 'update' | 'delete';
  readonly cmdlet: string;
  readonly setup?: (s: SimulatorState) => void;
  /** Writes that complete before the faulted cmdlet. */
  readonly completed: Record<string, number>;
  readonly run: (plugin: ProviderPlugin) => Promise<unknown>;
  /** After the fault is cleared and the operation re-run: the organisation is where the operation puts it. */
  readonly converged: (plugin: ProviderPlugin, statePath: string) => Promise<void>;
}

async function readsAsDesired(plugin: ProviderPlugin): Promise<void> {
  const read = await plugin.read('AuthenticationPolicy', ID, INPUTS);
  expect(read.id).toBe(ID);
  expect(read.inputs).toMatchObject({ policy: POLICY });
}

const PROVIDER_OPS: readonly ProviderOp[] = [
  { op: 'read', cmdlet: 'Get-AuthenticationPolicy', setup: existing(false), completed: {}, run: (p) => p.read('AuthenticationPolicy', ID, INPUTS), converged: async (p) => {
    const read = await p.read('AuthenticationPolicy', ID, INPUTS);
    expect(read.id).toBe(ID);
    // Not the organisation default in Exchange: the read says so (drift a refresh shows).
    expect(read.inputs).toMatchObject({ policy: { ...POLICY, default: false } });
  } },
  { op: 'create', cmdlet: 'Set-OrganizationConfig', completed: { 'New-AuthenticationPolicy': 1 }, run: (p) => p.create('AuthenticationPolicy', INPUTS), converged: readsAsDesired },
  {
    op: 'update',
    cmdlet: 'Set-OrganizationConfig',
    setup: existing(true),
    completed: { 'Set-AuthenticationPolicy': 1 },
    run: (p) => p.update('AuthenticationPolicy', ID, { target: TARGET, policy: { ...POLICY, allowBasicAuthPop: true, default: false } }, INPUTS),
    converged: readsAsDesired,
  },
  {
    op: 'delete',
    cmdlet: 'Remove-AuthenticationPolicy',
    setup: existing(false),
    completed: {},
    run: (p) => p.delete('AuthenticationPolicy', ID, { target: TARGET, policy: { ...POLICY, default: false }, restoreDefaultsOnDelete: true }),
    converged: async (p, statePath) => {
      expect(readState(statePath).authenticationPolicies ?? []).toEqual([]);
      expect((await p.read('AuthenticationPolicy', ID, INPUTS)).id).toBe('');
    },
  },
];

describe.each(BACKENDS)('providers over gRPC, $name backend', (backend) => {
  // One plugin per backend, as one `pulumi up` has one; the organisation is rewritten per case.
  const statePath = path.join(dir, `provider-${backend.name}.json`);
  let plugin: ProviderPlugin;

  beforeAll(async () => {
    await organisation(undefined, statePath);
    plugin = await ProviderPlugin.start(ROOT, backend.name === 'powershell' ? standInEnv(statePath, { compiled: true }) : {});
    const config: Record<string, string> = {
      'mailpolicy:policyFile': 'unused.yaml',
      'mailpolicy:callTimeoutSeconds': String(backend.callTimeout),
    };
    if (backend.name === 'simulator') Object.assign(config, { 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath });
    else Object.assign(config, { 'mailpolicy:backend': 'powershell', 'mailpolicy:pwshPath': STAND_IN_PWSH, 'mailpolicy:managedIdentity': 'true' });
    await plugin.configure(config);
  });

  afterAll(async () => {
    await plugin?.stop();
  });

  const table = PROVIDER_OPS.flatMap((o) => FAULT_KINDS.map((kind) => [o.op, kind, o] as const));

  it.each(table)('%s with a persistent %s fault: the provider\'s error names the cmdlet, nothing written beyond completed writes, a re-run converges', async (_name, kind, o) => {
    cases++;
    await organisation((s) => {
      o.setup?.(s);
      s.faults = persistent(kind, o.cmdlet);
    }, statePath);
    const before = fs.readFileSync(statePath, 'utf8');

    const error = await o.run(plugin).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error, 'the operation must fail').toBeDefined();
    expect(lineNaming(error?.message ?? '', o.cmdlet, SAYS[kind]), error?.message).toBeDefined();
    expect(writesOf(statePath)).toEqual(o.completed);
    if (Object.keys(o.completed).length === 0) expect(fs.readFileSync(statePath, 'utf8')).toBe(before);

    await setFaults(statePath, []);
    await o.run(plugin);
    await o.converged(plugin, statePath);
  });
});
