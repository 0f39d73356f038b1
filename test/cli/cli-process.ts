/**
 * The CLI as a real child process: `node bin/mailpolicy.js …` (after `npm run build`), as a
 * pipeline runs it. The one way tests spawn the CLI.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { packagePath } from '../../src/package-root';
import type { CliRun } from './run-cli';

export interface CliProcessOptions {
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
  /** The child is killed after this long (default 60 s); its status is then null. */
  readonly timeoutMs?: number;
  /** Written to the child's stdin (default: none, stdin closed). */
  readonly input?: string;
  readonly cwd?: string;
}

export interface CliProcessRun extends CliRun {
  /** The exit status; null when the child was killed (the timeout, or a signal). */
  readonly status: number | null;
  /** Wall time of the run, in milliseconds. */
  readonly ms: number;
}

/**
 * `apply` records restarts it owes in a state directory (docs/commands/apply.md): the tests' own,
 * one per test process, unless the test or its environment names one.
 */
const STATE_DIR = path.join(os.tmpdir(), `mailpolicy-test-state-${process.pid}`);
function childEnv(extra: Readonly<Record<string, string>> | undefined): NodeJS.ProcessEnv {
  return { MAILPOLICY_STATE_DIR: STATE_DIR, ...process.env, ...extra };
}

export function runCliProcess(argv: readonly string[], options: CliProcessOptions = {}): CliProcessRun {
  const started = Date.now();
  const r = spawnSync(process.execPath, [packagePath('bin', 'mailpolicy.js'), ...argv], {
    encoding: 'utf8',
    env: childEnv(options.env),
    timeout: options.timeoutMs ?? 60_000,
    maxBuffer: 64 * 1024 * 1024,
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  // A timeout is a result (status null), not a failure of the test's machinery.
  if (r.error && (r.error as NodeJS.ErrnoException).code !== 'ETIMEDOUT') throw r.error;
  return { status: r.status, code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

export interface StartedCliProcess {
  readonly child: ChildProcess;
  /** Resolves when the child has exited: its status, or the signal that ended it. */
  readonly exited: Promise<CliProcessRun & { readonly signal: NodeJS.Signals | null }>;
}

/**
 * The CLI as a running child process, for tests that signal or kill it mid-run. `group`: in a
 * process group of its own, so `process.kill(-child.pid, …)` reaches its children too (a
 * PowerShell host), as a cancelled CI job or a machine going down ends them all.
 */
export function startCliProcess(argv: readonly string[], options: Omit<CliProcessOptions, 'timeoutMs' | 'input'> & { readonly group?: boolean } = {}): StartedCliProcess {
  const started = Date.now();
  const child = spawn(process.execPath, [packagePath('bin', 'mailpolicy.js'), ...argv], {
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.group === true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<CliProcessRun & { readonly signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, code: status ?? -1, stdout, stderr, ms: Date.now() - started }));
  });
  return { child, exited };
}
