/**
 * Reads a policy file as text: a regular file only (a FIFO would block forever), bounded in
 * size, strictly UTF-8 (checked natively by `buffer.isUtf8`). Nothing here parses YAML.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, readSync } from 'node:fs';
import { NotRegularFileError, openRegularFileSync } from '../files/regular-file';
import { LOAD_LIMITS } from './limits';
import type { Problem } from './problem';

export type SourceRead =
  | { readonly ok: true; readonly text: string }
  /** `unreadable`: the file could not be read at all (missing, not a regular file, no permission). */
  | { readonly ok: false; readonly problem: Problem; readonly unreadable: boolean };

export function tooLargeProblem(file: string): Problem {
  const limit = LOAD_LIMITS.maxFileBytes;
  return { file, line: 1, column: 1, message: `file is larger than the ${limit / (1024 * 1024)} MiB limit (${limit} bytes)` };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let length: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
    else return i;
    let codePoint = b & (0xff >> (length + 1));
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return i;
      codePoint = (codePoint << 6) | (next & 0x3f);
    }
    if (codePoint < min || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) return i;
    i += length;
  }
  return -1;
}

/**
 * Decodes UTF-8; anything else is reported where it goes wrong. A leading byte order mark stays
 * in the text: the loader drops it for files and text alike.
 */
export function decodeUtf8(bytes: Uint8Array, file: string): SourceRead {
  if (isUtf8(bytes)) return { ok: true, text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  const offset = Math.max(0, firstInvalidUtf8(bytes));
  const before = Buffer.from(bytes.buffer, bytes.byteOffset, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const byte = (bytes[offset] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  const hint = offset === 0 && (bytes[0] === 0xff || bytes[0] === 0xfe) ? ' (the file looks like UTF-16: save it as UTF-8)' : '';
  return {
    ok: false,
    unreadable: false,
    problem: { file, line, column: before.length - lineStart + 1, message: `file is not valid UTF-8: byte 0x${byte} cannot start or continue a character${hint}` },
  };
}

/** Reads at most the size limit plus one byte, so an endless or huge file cannot exhaust memory. */
export function readSourceFile(path: string): SourceRead {
  let fd: number;
  try {
    fd = openRegularFileSync(path);
  } catch (err) {
    return { ok: false, unreadable: true, problem: { file: path, line: 0, column: 0, message: `cannot read file: ${describeFsError(err)}` } };
  }
  try {
    const cap = LOAD_LIMITS.maxFileBytes + 1;
    // Every byte used is read into the buffer first: no need to zero a mebibyte per file.
    const buffer = Buffer.allocUnsafe(cap);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, cap - length, null);
      if (n === 0) break;
      length += n;
      if (length >= cap) return { ok: false, unreadable: false, problem: tooLargeProblem(path) };
    }
    return decodeUtf8(buffer.subarray(0, length), path);
  } catch (err) {
    return { ok: false, unreadable: true, problem: { file: path, line: 0, column: 0, message: `cannot read file: ${describeFsError(err)}` } };
  } finally {
    closeSync(fd);
  }
}

const FS_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  ENOTDIR: 'a part of the path is not a directory',
};

function describeFsError(err: unknown): string {
  if (err instanceof NotRegularFileError) return err.kind === 'a directory' ? FS_ERRORS.EISDIR ?? err.kind : `not a regular file (${err.kind})`;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_ERRORS[code]) return FS_ERRORS[code];
  return err instanceof Error ? err.message : String(err);
}
