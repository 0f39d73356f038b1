/**
 * The journal of a large state file: `<state>.journal`, one line per write that changed
 * something (the request, as the simulator ran it), appended under the state's lock, so a write
 * costs one short append instead of rewriting a 10 MB file. Replayed on load: the simulator is
 * deterministic, so the same requests on the same state give the same organisation.
 *
 * The first line binds the journal to the state file it extends (the file's fingerprint when
 * the journal began): a journal left by a crash between compacting the state and removing the
 * journal names an older file and is ignored. A torn last line (a writer killed mid-append) has
 * no newline: readers ignore it and the next writer cuts it off before appending.
 */
import { closeSync, constants, fstatSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { promises as fs } from 'node:fs';
import type { CmdletRequest } from '../exchange/types';
import { isRecord } from '../exchange/is-record';

export const JOURNAL_VERSION = 1;

export function journalPath(statePath: string): string {
  return `${statePath}.journal`;
}

/** What a journal holds beyond `offset`: whole lines only. */
export interface JournalRead {
  /** The fingerprint of the state file the journal extends (undefined: no journal, or no header yet). */
  readonly base: string | undefined;
  readonly requests: readonly CmdletRequest[];
  /** Where the next whole line starts. */
  readonly offset: number;
  /** The file's size (beyond `offset`: a torn line). */
  readonly size: number;
}

function parseRequest(line: string): CmdletRequest | undefined {
  try {
    const value: unknown = JSON.parse(line);
    if (!isRecord(value) || typeof value.cmdlet !== 'string' || !isRecord(value.parameters)) return undefined;
    return value as unknown as CmdletRequest;
  } catch {
    return undefined;
  }
}

/** Reads the whole lines from `offset` (0: from the header). A missing journal reads as empty. */
export function readJournal(path: string, offset: number): JournalRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { base: undefined, requests: [], offset: 0, size: 0 };
    throw e;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { base: undefined, requests: [], offset: Math.min(offset, size), size };
    const buffer = Buffer.alloc(size - offset);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, offset + read);
      if (n === 0) break;
      read += n;
    }
    const text = buffer.subarray(0, read).toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return { base: undefined, requests: [], offset, size };
    const lines = text.slice(0, end).split('\n');
    let base: string | undefined;
    if (offset === 0) {
      const header = lines.shift() ?? '';
      try {
        const parsed: unknown = JSON.parse(header);
        if (isRecord(parsed) && parsed.journal === JOURNAL_VERSION && typeof parsed.base === 'string') base = parsed.base;
      } catch {
        base = undefined;
      }
    }
    const requests = lines.map(parseRequest).filter((r): r is CmdletRequest => r !== undefined);
    return { base, requests, offset: offset + Buffer.byteLength(text.slice(0, end + 1)), size };
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends requests (under the state's lock). `validUpTo` is where the last whole line of the
 * journal the caller has read ends: anything after it is a torn line and is cut off first.
 * `base` starts a new journal (or replaces one that extends another file). Returns the new size.
 */
export function appendJournal(path: string, requests: readonly CmdletRequest[], validUpTo: number, start: { readonly base: string } | undefined): number {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
  try {
    const cut = start ? 0 : validUpTo;
    if (fstatSync(fd).size !== cut) ftruncateSync(fd, cut);
    const header = start ? `${JSON.stringify({ journal: JOURNAL_VERSION, base: start.base })}\n` : '';
    const body = requests.map((r) => JSON.stringify({ cmdlet: r.cmdlet, parameters: r.parameters, ...(r.computerName === undefined ? {} : { computerName: r.computerName }) })).join('\n');
    const bytes = Buffer.from(`${header}${body}\n`);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written, cut + written);
    return cut + bytes.length;
  } finally {
    closeSync(fd);
  }
}

export async function removeJournal(path: string): Promise<void> {
  await fs.rm(path, { force: true });
}
