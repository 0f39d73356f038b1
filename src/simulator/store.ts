/**
 * Loads and saves a simulator state file. Reads are cached and re-parsed only when the file
 * changed on disk, and only a regular file is read (a FIFO would block forever); writes happen
 * under the file lock, on the latest state, through writeFileSafely (random O_EXCL temp file
 * beside the state, fsync, rename; only over a regular file; a killed writer's temp files
 * removed), so a crash or a concurrent process never leaves a torn file.
 *
 * A large state (over `journalAboveBytes`, about 10,000 mailboxes) is not rewritten for each
 * write: the cmdlets that changed it are appended to its journal (journal.ts), which every
 * reader replays, and which is folded back into the file (compacted) when it grows to several times
 * the state or a write is not a cmdlet's (`sim faults`). Rewriting a 100,000-mailbox file takes
 * 0.1–0.45 s; an append takes microseconds, so concurrent hosts are not held up by the storage.
 */
import { promises as fs, statSync } from 'node:fs';
import { fileKind, NotRegularFileError, readRegularFile } from '../files/regular-file';
import { checkWritable, writeFileSafely, type SafeWriteOptions } from '../files/safe-write';
import type { CmdletRequest } from '../exchange/types';
import { ExchangeError } from '../exchange/types';
import { execute } from './engine';
import { recordWrite } from './audit';
import { appendJournal, journalPath, readJournal, removeJournal } from './journal';
import { DEFAULT_STALE_MS, withFileLock, type LockOptions } from '../files/lock';
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
  await withFileLock(
    path,
    async () => {
      await writeFileSafely(path, serialiseState(state), write);
      await removeJournal(journalPath(path));
    },
    lock,
  );
}

/** Above this size a state's writes go to its journal (about 10,000 mailboxes). */
export const DEFAULT_JOURNAL_ABOVE_BYTES = 1024 * 1024;

/**
 * The journal is folded into the file once it is this many times the file's size: rarely, since
 * every process serving the state must then parse the whole file again (a first apply of every
 * mailbox makes a journal about the size of the state).
 */
const COMPACT_FACTOR = 4;
/**
 * Hosts serving one state hold its lock a few milliseconds per save, many times a second: a
 * host waiting for it tries again within 10 ms rather than the lock's default 100 (a batch
 * answers only once its writes are saved, and its lane sits out the budget meanwhile).
 */
const LOCK_POLL_MAX_MS = 10;

export interface StoreOptions {
  /** Journal the writes of a state file larger than this (default DEFAULT_JOURNAL_ABOVE_BYTES; 0: always). */
  readonly journalAboveBytes?: number;
}

export class StateStore {
  private cached: SimulatorState | undefined;
  private fingerprint: Fingerprint | undefined;
  /** Serialises this process's writes; the file lock serialises processes. */
  private writing: Promise<unknown> = Promise.resolve();
  private stateBytes = 0;
  /** Where the journal's next unread whole line starts (0: not read yet, or none). */
  private journalOffset = 0;
  /** The journal read extends the cached state file (its header names the file's fingerprint). */
  private journalValid = false;
  /** The size of a journal ignored as another file's, so it is not read again until it changes. */
  private ignoredJournalSize: number | undefined;
  private journalSize = 0;
  /** The cmdlets that changed the state in the update running now (`journal()`). */
  private pending: CmdletRequest[] = [];
  private updating = false;
  private readonly journalAboveBytes: number;

  constructor(
    readonly path: string,
    private readonly lock: LockOptions = {},
    options: StoreOptions = {},
  ) {
    this.journalAboveBytes = options.journalAboveBytes ?? DEFAULT_JOURNAL_ABOVE_BYTES;
  }

  private get journalFile(): string {
    return journalPath(this.path);
  }

  /** The current state, re-read if another writer changed the file or its journal. */
  async read(): Promise<SimulatorState> {
    let print: Fingerprint;
    try {
      print = await fingerprint(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new StateFileError(`${this.path}: no such simulator state (create one with: mailpolicy sim init --state ${this.path})`);
      throw e;
    }
    if (this.cached && this.fingerprint === print) {
      // While this process updates the state, the cached state already has what it writes.
      if (!this.updating) this.catchUp(this.cached);
      if (this.cached) return this.cached;
    }
    const text = await readRegularFile(this.path);
    const state = parseState(text, this.path);
    this.cached = state;
    this.fingerprint = print;
    this.stateBytes = Buffer.byteLength(text);
    this.journalOffset = 0;
    this.journalValid = false;
    this.ignoredJournalSize = undefined;
    this.catchUp(state);
    return state;
  }

  /**
   * Records a cmdlet that changed the state in the update running now: with a large state it
   * is what goes to the journal.
   */
  journal(request: CmdletRequest): void {
    if (this.updating) this.pending.push(request);
  }

  /** Replays what other writers appended to the journal since this store last looked. */
  private catchUp(state: SimulatorState): void {
    if (this.journalOffset === 0 && this.ignoredJournalSize !== undefined && journalSizeNow(this.journalFile) === this.ignoredJournalSize) return;
    const j = readJournal(this.journalFile, this.journalOffset);
    if (this.journalOffset > 0 && j.size < this.journalOffset) {
      // Replaced under us (compacted): the state file changed too; read everything again.
      this.invalidate();
      return;
    }
    this.journalSize = j.size;
    if (this.journalOffset === 0) {
      if (j.base === undefined || j.base !== this.fingerprint) {
        this.journalValid = false;
        this.ignoredJournalSize = j.size;
        return;
      }
      this.journalValid = true;
    }
    for (const request of j.requests) replay(state, request);
    this.journalOffset = j.offset;
  }

  /**
   * Runs `change` on the latest state under the lock; saves when it reports a change (a large
   * state: appends the cmdlets `change` recorded with `journal()`). If `change` throws, the
   * in-memory state is dropped so the next read starts from the file.
   */
  async update<T>(change: (state: SimulatorState) => { result: T; changed: boolean } | Promise<{ result: T; changed: boolean }>): Promise<T> {
    const run = async (): Promise<T> => {
      // A missing or non-regular state fails here, before a lock is made beside it.
      await this.read();
      return withFileLock(
        this.path,
        async () => {
          const state = await this.read();
          this.updating = true;
          this.pending = [];
          try {
            let outcome: { result: T; changed: boolean };
            try {
              outcome = await change(state);
            } catch (e) {
              this.invalidate();
              throw e;
            }
            if (outcome.changed) {
              try {
                await this.save(state);
              } catch (e) {
                this.invalidate();
                throw e;
              }
            }
            return outcome.result;
          } finally {
            this.updating = false;
            this.pending = [];
          }
        },
        { pollMaxMs: LOCK_POLL_MAX_MS, ...this.lock },
      );
    };
    const next = this.writing.then(run, run);
    this.writing = next.catch(() => undefined);
    return next;
  }

  /** Under the lock: an append to the journal when that is cheaper, else the whole file (and no journal). */
  private async save(state: SimulatorState): Promise<void> {
    const journalled = this.pending.length > 0 && this.stateBytes > this.journalAboveBytes && this.journalSize < COMPACT_FACTOR * Math.max(this.stateBytes, this.journalAboveBytes);
    if (journalled && this.fingerprint !== undefined) {
      const start = this.journalValid ? undefined : { base: this.fingerprint };
      this.journalOffset = appendJournal(this.journalFile, this.pending, this.journalOffset, start);
      this.journalSize = this.journalOffset;
      this.journalValid = true;
      this.ignoredJournalSize = undefined;
      return;
    }
    const text = serialiseState(state);
    await writeFileSafely(this.path, text, stateWrite(this.lock, true));
    this.fingerprint = await fingerprint(this.path);
    this.stateBytes = Buffer.byteLength(text);
    // The file has everything now: a journal left would be another file's (its header says so), removed all the same.
    await removeJournal(this.journalFile);
    this.journalOffset = 0;
    this.journalSize = 0;
    this.journalValid = false;
    this.ignoredJournalSize = undefined;
  }

  invalidate(): void {
    this.cached = undefined;
    this.fingerprint = undefined;
  }
}

function journalSizeNow(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A journalled cmdlet, run again on the state it was first run on (counted in `writes` as then). */
function replay(state: SimulatorState, request: CmdletRequest): void {
  try {
    const changed = execute(state, request).changed;
    if (changed) {
      state.writes ??= {};
      state.writes[request.cmdlet] = (state.writes[request.cmdlet] ?? 0) + 1;
    }
    // Journalled because it changed the state or because the write log is on (audit.ts): logged again as then.
    recordWrite(state, request, changed);
  } catch (e) {
    // It changed the state when it ran; on the same state it cannot fail. Anything else is a bug.
    if (!(e instanceof ExchangeError)) throw e;
  }
}
