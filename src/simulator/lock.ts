/**
 * An exclusive lock on a state file between processes: `<state>.lock` created with O_EXCL,
 * holding the owner's pid. A lock whose owner is gone, or that is older than `staleMs`, is
 * taken over, so a crashed writer never blocks the next one for long.
 */
import { promises as fs } from 'node:fs';

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  readonly timeoutMs?: number;
  /** A lock older than this is considered abandoned (default 30 s). */
  readonly staleMs?: number;
}

export class LockTimeoutError extends Error {
  override readonly name = 'LockTimeoutError';
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function abandoned(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    const pid = Number(text.trim());
    if (pid === process.pid) return false;
    return !alive(pid) || Date.now() - stat.mtimeMs > staleMs;
  } catch {
    // Vanished or half-written: a half-written lock is young; retry rather than steal.
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the lock on `path`. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const staleMs = options.staleMs ?? 30_000;
  let wait = 2;
  for (;;) {
    try {
      const handle = await fs.open(lockPath, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (await abandoned(lockPath, staleMs)) {
        // Rename first: of two processes stealing at once, only one rename succeeds.
        const grave = `${lockPath}.stale.${process.pid}`;
        await fs.rename(lockPath, grave).then(
          () => fs.rm(grave, { force: true }),
          () => undefined,
        );
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(`could not lock ${path}: ${lockPath} is held by another process`);
      await sleep(wait + Math.random() * wait);
      wait = Math.min(wait * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}
