/**
 * What the benchmarks that read through the stand-in pwsh share: the environment pointing the
 * stand-in at a simulated organisation, and the child's peak memory.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The compiled stand-in beside the compiled benchmarks (dist/bench → dist/src/simulator). */
const STAND_IN_JS = resolve(__dirname, '..', 'src', 'simulator', 'stand-in.js');

/** Environment for the stand-in pwsh serving the organisation saved at `statePath`. */
export function standInEnv(statePath: string): Record<string, string> {
  return { MAILPOLICY_STANDIN_STATE: statePath, ...(existsSync(STAND_IN_JS) ? { MAILPOLICY_STANDIN_JS: STAND_IN_JS } : {}) };
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** Peak resident set of a live process (Linux), in bytes. */
export function peakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
