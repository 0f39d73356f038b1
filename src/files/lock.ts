/**
 * An exclusive lock on a file between processes (the simulator's state, apply's record of restarts
 * owed): `<file>.lock` made by hard-linking a file that already holds the owner's pid. A lock whose
 * owner is gone, or that is older than `staleMs`, is taken over, so a crashed writer never blocks
 * the next one for long.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname } from 'node:path';
import { removeOldFiles } from './safe-write';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LockOptions {
  /** Give up after this long (default 15 s). */
  readonly timeoutMs?: number;
  /** A lock older than this is considered abandoned (default 30 s). */
  readonly staleMs?: number;
  /** The longest wait between two tries while another holds the lock (default 100 ms; waits start at 2 ms and double). */
  readonly pollMaxMs?: number;
}

/** The lease of a lock: older, it is abandoned; so are the claim files and graves of a killed taker. */
export const DEFAULT_STALE_MS = 30_000;

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

/** The lock's inode when its owner is gone (or it is older than staleMs); undefined while it is live. */
async function abandoned(lockPath: string, staleMs: number): Promise<number | undefined> {
  try {
    const [text, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    const pid = Number(text.trim());
    const old = Date.now() - stat.mtimeMs > staleMs;
    // An empty lock is one being written this instant: only its age can make it abandoned.
    if (!/^\d+$/.test(text.trim())) return old ? stat.ino : undefined;
    if (pid === process.pid) return undefined;
    return !alive(pid) || old ? stat.ino : undefined;
  } catch {
    // Vanished: retry rather than steal.
    return undefined;
  }
}

/**
 * Removes an abandoned lock. Renaming first means of two processes stealing at once only one
 * succeeds; if what was renamed is not the lock judged abandoned (another process took the lock
 * in between), it is put back.
 */
async function steal(lockPath: string, ino: number): Promise<void> {
  const grave = `${lockPath}.stale.${process.pid}.${Date.now()}`;
  try {
    await fs.rename(lockPath, grave);
  } catch {
    return;
  }
  const stat = await fs.stat(grave).catch(() => undefined);
  if (stat && stat.ino !== ino) {
    await fs.link(grave, lockPath).catch(() => undefined);
  }
  await fs.rm(grave, { force: true });
}

/** Runs `fn` holding the lock on `path`. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  let wait = 2;
  // The lock appears with its owner's pid already in it (hard link of a finished file, which
  // fails if the lock exists): a process killed while taking the lock never leaves an empty
  // lock that only its age could release.
  const claim = `${lockPath}.claim.${process.pid}.${randomBytes(8).toString('hex')}`;
  await fs.writeFile(claim, String(process.pid), { flag: 'wx' });
  try {
    for (;;) {
      try {
        await fs.link(claim, lockPath);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const ino = await abandoned(lockPath, staleMs);
        if (ino !== undefined) {
          await steal(lockPath, ino);
          continue;
        }
        if (Date.now() > deadline) throw new LockTimeoutError(`could not lock ${path}: ${lockPath} is held by another process`);
        await sleep(wait + Math.random() * wait);
        wait = Math.min(wait * 2, options.pollMaxMs ?? 100);
      }
    }
  } finally {
    await fs.rm(claim, { force: true });
  }
  try {
    await removeStaleLockFiles(lockPath, staleMs);
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

/**
 * Claim files and graves (`<lock>.claim.*`, `<lock>.stale.*`) live for an instant while a lock is
 * taken: older than the lease, a killed process left them. Removed by the next lock holder.
 */
function removeStaleLockFiles(lockPath: string, staleMs: number): Promise<void> {
  const prefixes = [`${basename(lockPath)}.claim.`, `${basename(lockPath)}.stale.`];
  return removeOldFiles(dirname(lockPath), (name) => prefixes.some((prefix) => name.startsWith(prefix)), staleMs);
}
