/**
 * The one way mailpolicy writes a file (export's --output, the simulator's state, `sim init`):
 *
 * - only a regular file is replaced. A device, FIFO, directory, socket or symbolic link at the
 *   target is refused: renaming a new file over it would replace `/dev/null` with a regular file,
 *   or drop a link for a file;
 * - an existing file is replaced only when the caller says so (`--force`), and keeps its mode
 *   (and, where the process may, its owner);
 * - never a protected file (the simulator state in use), compared by device and inode, so a
 *   second spelling of the path or a hard link is caught too;
 * - the text goes to a temp file beside the target, named at random and created with O_EXCL
 *   (`wx`: a file or a planted symlink of that name is never followed or reused), fsynced, then
 *   renamed over the target: a crash leaves the old file or the new one, never half of one;
 * - temp files of the same target older than `staleTempMs`, left by a killed writer, are removed
 *   first (only names of the form this module makes: `.<name>.<16 hex digits>.tmp`).
 */
import { randomBytes } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileKind } from './regular-file';

/** Why a write was refused; the message says it in full. */
export type FileWriteRefusal = 'exists' | 'not-regular' | 'protected';

export class FileWriteError extends Error {
  override readonly name = 'FileWriteError';
  constructor(
    readonly reason: FileWriteRefusal,
    message: string,
  ) {
    super(message);
  }
}

/** A file that must never be written over, and how to name it in a message. */
export interface ProtectedFile {
  readonly path: string;
  /** e.g. `the simulator state in use (--state org.json)`. */
  readonly what: string;
}

export interface SafeWriteOptions {
  /** Replace an existing regular file (its mode kept). Without it an existing file is refused. */
  readonly overwrite: boolean;
  /** How to ask for `overwrite`, for the message (default `use --force to overwrite it`). */
  readonly overwriteHint?: string;
  /** Appended to the refusal of a non-regular target, e.g. `write to stdout with -o -`. */
  readonly nonRegularHint?: string;
  readonly protect?: readonly ProtectedFile[];
  /** Temp files of this target older than this are a killed writer's and are removed (default 1 hour). */
  readonly staleTempMs?: number;
}

const DEFAULT_STALE_TEMP_MS = 60 * 60_000;
const TEMP_SUFFIX = /^[0-9a-f]{16}\.tmp$/;

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function tempName(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
}

/**
 * Checks that `target` may be written as asked, without writing: what `writeFileSafely` checks
 * first. Callers with work to do before writing (an export, a lock) check here first, to fail
 * before the work. Resolves to the target's stats when it exists.
 */
export async function checkWritable(target: string, options: SafeWriteOptions): Promise<Stats | undefined> {
  const stats = await lstatOrUndefined(target);
  if (!stats) return undefined;
  if (!stats.isFile()) {
    const hint = options.nonRegularHint ? ` (${options.nonRegularHint})` : '';
    throw new FileWriteError('not-regular', `${target} is not a regular file (${fileKind(stats)}): not replacing it${hint}`);
  }
  for (const guarded of options.protect ?? []) {
    const other = await fs.stat(guarded.path).catch(() => undefined);
    if (other && other.dev === stats.dev && other.ino === stats.ino) throw new FileWriteError('protected', `${target} is ${guarded.what}: not overwriting it`);
  }
  if (!options.overwrite) throw new FileWriteError('exists', `${target} already exists (${options.overwriteHint ?? 'use --force to overwrite it'})`);
  return stats;
}

/** Removes the regular files of `dir` whose names `matches` and that were last modified more than `olderThanMs` ago. */
export async function removeOldFiles(dir: string, matches: (name: string) => boolean, olderThanMs: number): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  await Promise.all(
    names.filter(matches).map(async (name) => {
      const path = join(dir, name);
      const stats = await lstatOrUndefined(path);
      if (stats?.isFile() && stats.mtimeMs < cutoff) await fs.rm(path, { force: true });
    }),
  );
}

/** Removes `target`'s temp files (this module's names only) older than `olderThanMs`. */
function removeStaleTemps(target: string, olderThanMs: number): Promise<void> {
  const prefix = `.${basename(target)}.`;
  return removeOldFiles(dirname(target), (name) => name.startsWith(prefix) && TEMP_SUFFIX.test(name.slice(prefix.length)), olderThanMs);
}

/** Writes `text` to `target` as the module comment says. */
export async function writeFileSafely(target: string, text: string, options: SafeWriteOptions): Promise<void> {
  const existing = await checkWritable(target, options);
  await removeStaleTemps(target, options.staleTempMs ?? DEFAULT_STALE_TEMP_MS);
  const temp = tempName(target);
  const handle = await fs.open(temp, 'wx', existing ? existing.mode & 0o7777 : 0o666);
  try {
    try {
      if (existing) {
        // The mode given to open is reduced by the umask: set it exactly, and the owner where allowed.
        await handle.chmod(existing.mode & 0o7777);
        await handle.chown(existing.uid, existing.gid).catch(() => undefined);
      }
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (e) {
    await fs.rm(temp, { force: true });
    throw e;
  }
}
