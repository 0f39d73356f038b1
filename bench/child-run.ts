/**
 * One run of a child Node process with bench/child-usage preloaded: the wall time this process
 * sees, and the child's own CPU time and peak RSS as it reports them on exit (start-up included).
 * CPU time is far less disturbed by other work on the machine than wall time.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const USAGE_PRELOAD = path.join(__dirname, 'child-usage.js');

export interface ChildRun {
  readonly wallMs: number;
  /** User + system CPU time of the child. */
  readonly cpuMs: number;
  readonly peakRssBytes: number;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ChildRunOptions {
  readonly cwd?: string;
  /** Added to this process's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/** `node --require bench/child-usage ARGS`, waited for. */
export function runNode(args: readonly string[], options: ChildRunOptions = {}): ChildRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-bench-usage-'));
  const usageFile = path.join(dir, 'usage.json');
  try {
    const started = process.hrtime.bigint();
    const child = spawnSync(process.execPath, ['--require', USAGE_PRELOAD, ...args], {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, ...options.env, MAILPOLICY_BENCH_USAGE: usageFile },
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (child.error) throw child.error;
    if (!fs.existsSync(usageFile)) throw new Error(`node ${args.join(' ')} reported no resource usage (exit ${child.status ?? child.signal}): ${child.stderr.slice(0, 500)}`);
    // process.resourceUsage(): CPU times in microseconds, maxRSS in kilobytes.
    const usage = JSON.parse(fs.readFileSync(usageFile, 'utf8')) as { userCPUTime: number; systemCPUTime: number; maxRSS: number };
    return { wallMs, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, peakRssBytes: usage.maxRSS * 1024, status: child.status, stdout: child.stdout, stderr: child.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
