/**
 * The throttling budget's places, shared by every process serving one state file (the CLI's
 * in-process backend, every stand-in pwsh host): a place is a file `<state>.slot.<k>` created
 * exclusively and holding its owner's pid, removed when the cmdlet ends. A place whose owner died
 * (kill -9 mid-cmdlet) is freed by the next caller that finds the budget full.
 *
 * Files rather than a counter in memory because the hosts a concurrent apply runs are separate
 * processes, and Exchange's budget is the tenant's, not one connection's. Synchronous calls: a
 * place is taken and given back thousands of times a second, and each is a few microseconds.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export interface BudgetPlace {
  /** This cmdlet took the last free place: Exchange's budget is now full (the micro-delay moment). */
  readonly filled: boolean;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Looks over the places this many times before a cmdlet is refused. One look is not atomic: a
 * place freed behind it and another taken ahead of it (two hosts between cmdlets) would refuse a
 * cmdlet while only limit - 1 run — with exactly `limit` hosts, Exchange would refuse none.
 */
const SCANS = 3;

export class ConcurrencyBudget {
  /** The place this process held last: tried first, so hosts between cmdlets keep their own place instead of taking each other's. */
  private home: number | undefined;

  constructor(private readonly statePath: string) {}

  private slot(k: number): string {
    return `${this.statePath}.slot.${k}`;
  }

  /** A free place of `limit`, or undefined when `limit` cmdlets run already. */
  acquire(limit: number): BudgetPlace | undefined {
    for (let scan = 0; scan < SCANS; scan++) {
      const place = this.tryAcquire(limit);
      if (place) return place;
    }
    if (this.freeAbandoned(limit) === 0) return undefined;
    return this.tryAcquire(limit);
  }

  private tryAcquire(limit: number): BudgetPlace | undefined {
    let taken = 0;
    // Home first; else start anywhere: callers spread over the places instead of all racing for place 0.
    const start = this.home !== undefined && this.home < limit ? this.home : Math.floor(Math.random() * limit);
    for (let i = 0; i < limit; i++) {
      const k = (start + i) % limit;
      const path = this.slot(k);
      let fd: number;
      try {
        fd = openSync(path, 'wx');
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        taken++;
        continue;
      }
      writeSync(fd, String(process.pid));
      closeSync(fd);
      this.home = k;
      let released = false;
      return {
        filled: taken === limit - 1,
        release: () => {
          if (released) return;
          released = true;
          try {
            unlinkSync(path);
          } catch {
            // Already freed as abandoned: nothing to give back.
          }
        },
      };
    }
    return undefined;
  }

  /** Frees the places of processes that died holding them; how many were freed. */
  private freeAbandoned(limit: number): number {
    let freed = 0;
    for (let k = 0; k < limit; k++) {
      const path = this.slot(k);
      try {
        const pid = Number(readFileSync(path, 'utf8'));
        // An empty file is one being written this instant: its owner is alive.
        if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
          unlinkSync(path);
          freed++;
        }
      } catch {
        // Freed meanwhile.
      }
    }
    return freed;
  }
}
