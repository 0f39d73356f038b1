/**
 * Loads and saves a simulator state file. Reads are cached and re-parsed only when the file
 * changed on disk, and only a regular file is read (a FIFO would block forever); writes happen
 * under the file lock, on the latest state, through writeFileSafely (random O_EXCL temp file
 * beside the state, fsync, rename; only over a regular file; a killed writer's temp files
 * removed), so a crash or a concurrent process never leaves a torn file.
 */
import { promises as fs } from 'node:fs';
import { fileKind, NotRegularFileError, readRegularFile } from '../files/regular-file';
import { checkWritable, writeFileSafely, type SafeWriteOptions } from '../files/safe-write';
import { DEFAULT_STALE_MS, withFileLock, type LockOptions } from './lock';
import { parseState } from './validate-state';
import { serialiseState, type SimulatorState } from './state';

/** Modification time in nanoseconds, size and inode: each atomic write changes at least one. */
type Fingerprint = string;

/** Throws NotRegularFileError for anything but a regular file (links followed). */
async function fingerprint(path: string): Promise<Fingerprint> {
  const stat = await fs.stat(path, { bigint: true });
  if (!stat.isFile()) throw new NotRegularFileError(path, fileKind(stat));
  return `${stat.mtimeNs}:${stat.ctimeNs}:${stat.size}:${stat.ino}`;
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/**
 * How a state file is written. Under the lock no other writer is mid-write, so a temp file older
 * than the lock's lease is a killed writer's.
 */
function stateWrite(lock: LockOptions, overwrite: boolean): SafeWriteOptions {
  return { overwrite, staleTempMs: lock.staleMs ?? DEFAULT_STALE_MS };
}

/**
 * Saves a whole state. `overwrite: false` (`sim init` without --force) refuses an existing file;
 * anything but a regular file is refused either way, before the lock is taken beside it.
 */
export async function saveState(path: string, state: SimulatorState, lock: LockOptions = {}, options: { readonly overwrite?: boolean } = {}): Promise<void> {
  const write = stateWrite(lock, options.overwrite ?? true);
  await checkWritable(path, write);
  await withFileLock(path, () => writeFileSafely(path, serialiseState(state), write), lock);
}

export class StateStore {
  private cached: SimulatorState | undefined;
  private fingerprint: Fingerprint | undefined;
  /** Serialises this process's writes; the file lock serialises processes. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly lock: LockOptions = {},
  ) {}

  /** The current state, re-read if another writer changed the file. */
  async read(): Promise<SimulatorState> {
    let print: Fingerprint;
    try {
      print = await fingerprint(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StateFileError(`${this.path}: no such simulator state (create one with: mailpolicy sim init --state ${this.path})`);
      throw e;
    }
    if (this.cached && this.fingerprint === print) return this.cached;
    const text = await readRegularFile(this.path);
    this.cached = parseState(text, this.path);
    this.fingerprint = print;
    return this.cached;
  }

  /**
   * Runs `change` on the latest state under the lock; saves when it reports a change. If
   * `change` throws, the in-memory state is dropped so the next read starts from the file.
   */
  async update<T>(change: (state: SimulatorState) => { result: T; changed: boolean } | Promise<{ result: T; changed: boolean }>): Promise<T> {
    const run = async (): Promise<T> => {
      // A missing or non-regular state fails here, before a lock is made beside it.
      await this.read();
      return withFileLock(
        this.path,
        async () => {
          const state = await this.read();
          let outcome: { result: T; changed: boolean };
          try {
            outcome = await change(state);
          } catch (e) {
            this.invalidate();
            throw e;
          }
          if (outcome.changed) {
            try {
              await writeFileSafely(this.path, serialiseState(state), stateWrite(this.lock, true));
              this.fingerprint = await fingerprint(this.path);
            } catch (e) {
              this.invalidate();
              throw e;
            }
          }
          return outcome.result;
        },
        this.lock,
      );
    };
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => undefined);
    return next;
  }

  invalidate(): void {
    this.cached = undefined;
    this.fingerprint = undefined;
  }
}
