/**
 * Loads and saves a simulator state file. Reads are cached and re-parsed only when the file
 * changed on disk; writes happen under the file lock, on the latest state, and are atomic
 * (temp file in the same directory, fsync, rename), so a crash or a concurrent process never
 * leaves a torn file.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { withFileLock, type LockOptions } from './lock';
import { parseState } from './validate-state';
import { serialiseState, type SimulatorState } from './state';

/** Modification time in nanoseconds, size and inode: each atomic write changes at least one. */
type Fingerprint = string;

async function fingerprint(path: string): Promise<Fingerprint> {
  const stat = await fs.stat(path, { bigint: true });
  return `${stat.mtimeNs}:${stat.ctimeNs}:${stat.size}:${stat.ino}`;
}

export class StateFileError extends Error {
  override readonly name = 'StateFileError';
}

/** Writes `text` to `path` atomically. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.rename(temp, path);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}

export async function saveState(path: string, state: SimulatorState, lock: LockOptions = {}): Promise<void> {
  await withFileLock(path, () => writeFileAtomic(path, serialiseState(state)), lock);
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
    const text = await fs.readFile(this.path, 'utf8');
    this.cached = parseState(text, this.path);
    this.fingerprint = print;
    return this.cached;
  }

  /**
   * Runs `change` on the latest state under the lock; saves when it reports a change. If
   * `change` throws, the in-memory state is dropped so the next read starts from the file.
   */
  async update<T>(change: (state: SimulatorState) => { result: T; changed: boolean } | Promise<{ result: T; changed: boolean }>): Promise<T> {
    const run = async (): Promise<T> =>
      withFileLock(
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
              await writeFileAtomic(this.path, serialiseState(state));
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
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => undefined);
    return next;
  }

  invalidate(): void {
    this.cached = undefined;
    this.fingerprint = undefined;
  }
}
