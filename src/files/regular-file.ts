/**
 * Reading only regular files. A document or a simulator state that is a FIFO would block the
 * command forever (opening a FIFO for reading waits for a writer), and a device or socket is
 * never what was meant: they are opened without blocking (O_NONBLOCK), checked with fstat on
 * the open descriptor (no race with a rename), and refused as "not a regular file".
 */
import { constants, closeSync, fstatSync, openSync, promises as fs, type Stats } from 'node:fs';

type KindOf = Pick<Stats, 'isFile' | 'isDirectory' | 'isSymbolicLink' | 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>;

/** What a path is, for messages: `a FIFO`, `a directory`, … */
export function fileKind(stats: KindOf): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

export class NotRegularFileError extends Error {
  override readonly name = 'NotRegularFileError';
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path}: not a regular file (${kind})`);
  }
}

/** Read-only, never waiting for a FIFO's writer (O_NONBLOCK does not exist on Windows, where no FIFO blocks an open). */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

/** Opens `path` for reading; throws NotRegularFileError (the descriptor closed) unless it is a regular file. */
export function openRegularFileSync(path: string): number {
  const fd = openSync(path, READ_FLAGS);
  const stats = fstatSync(fd);
  if (!stats.isFile()) {
    closeSync(fd);
    throw new NotRegularFileError(path, fileKind(stats));
  }
  return fd;
}

/** The whole of a regular file as UTF-8; throws NotRegularFileError for anything else. */
export async function readRegularFile(path: string): Promise<string> {
  const handle = await fs.open(path, READ_FLAGS);
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new NotRegularFileError(path, fileKind(stats));
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
