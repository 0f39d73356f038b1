/**
 * Running a child Node process from a benchmark: the wall time this process sees and, when asked,
 * the child's own CPU time and peak RSS as bench/child-usage (preloaded with `--require`) reports
 * them on exit, start-up included. CPU time is far less disturbed by other work on the machine
 * than wall time; the preload itself costs a couple of milliseconds of start-up, so wall times
 * that are compared with a bare `node -e ""` come from runs without it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const USAGE_PRELOAD = path.join(__dirname, 'child-usage.js');

export interface ChildRun {
  readonly wallMs: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildUsageRun extends ChildRun {
  /** User + system CPU time of the child. */
  readonly cpuMs: number;
  readonly peakRssBytes: number;
}

export interface ChildRunOptions {
  readonly cwd?: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

function spawnNode(args: readonly string[], options: ChildRunOptions, extraEnv: Readonly<Record<string, string>>): ChildRun {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, ...options.env, ...extraEnv },
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.error) throw child.error;
  return { wallMs, status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** `node ARGS`, waited for: wall time and output. */
export function runNode(args: readonly string[], options: ChildRunOptions = {}): ChildRun {
  return spawnNode(args, options, {});
}

/** `node --require bench/child-usage ARGS`, waited for: also the child's CPU time and peak RSS. */
export function runNodeWithUsage(args: readonly string[], options: ChildRunOptions = {}): ChildUsageRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-usage-'));
  const usageFile = path.join(dir, 'usage.json');
  try {
    const run = spawnNode(['--require', USAGE_PRELOAD, ...args], options, { MAILPOLICY_BENCH_USAGE: usageFile });
    if (!fs.existsSync(usageFile)) throw new Error(`node ${args.join(' ')} reported no resource usage (exit ${run.status}): ${run.stderr.slice(0, 500)}`);
    // process.resourceUsage(): CPU times in microseconds, maxRSS in kilobytes.
    const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
    return { ...run, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssBytes: usage.maxRSS * 1024 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
