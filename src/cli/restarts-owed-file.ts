/**
 * Where `mailpolicy apply` keeps the restarts it owes (src/reconcile/restarts-owed.ts): one JSON
 * file, `restarts-owed.json`, in $MAILPOLICY_STATE_DIR, else $XDG_STATE_HOME/mailpolicy, else
 * ~/.local/state/mailpolicy. Keyed by organisation: the simulator's state file (its absolute
 * path), or the platform, cloud or connection URI, and organisation of a real one. Each entry
 * lists `server/protocol` keys. Written atomically (writeFileSafely) under a file lock, so a kill
 * mid-write leaves the old record or the new one. It holds no secret: server names and protocols.
 */
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BackendOptions } from '../backends/open-backend';
import { isRecord } from '../exchange/is-record';
import { writeFileSafely } from '../files/safe-write';
import { withFileLock } from '../files/lock';

const FILE_NAME = 'restarts-owed.json';

export function stateDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAILPOLICY_STATE_DIR) return env.MAILPOLICY_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'mailpolicy');
  return join(homedir(), '.local', 'state', 'mailpolicy');
}

/** The organisation a record belongs to. */
export function organisationKey(backend: BackendOptions): string {
  if (backend.kind === 'simulator') return `simulator ${resolve(backend.statePath)}`;
  const where = backend.platform === 'exchangeOnline' ? (backend.cloud ?? 'worldwide') : (backend.connectionUri ?? '');
  return `${backend.platform} ${where} ${backend.organization.toLowerCase()}`;
}

type Record_ = Record<string, string[]>;

async function readAll(file: string): Promise<Record_> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not a record of owed restarts (remove it to forget them)`);
  }
  const out: Record_ = {};
  if (isRecord(parsed)) for (const [key, list] of Object.entries(parsed)) if (Array.isArray(list)) out[key] = list.filter((k): k is string => typeof k === 'string');
  return out;
}

export class RestartsOwedFile {
  readonly path: string;

  constructor(
    private readonly key: string,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.path = join(stateDirectory(env), FILE_NAME);
  }

  async read(): Promise<Set<string>> {
    return new Set((await readAll(this.path))[this.key] ?? []);
  }

  /** Records exactly `owed` for this organisation (none: its entry goes); nothing is written when that is what the file says. */
  async write(owed: ReadonlySet<string>): Promise<void> {
    const sorted = [...owed].sort();
    const current = (await readAll(this.path))[this.key] ?? [];
    if (JSON.stringify(current) === JSON.stringify(sorted)) return;
    await fs.mkdir(resolve(this.path, '..'), { recursive: true });
    await withFileLock(this.path, async () => {
      const all = await readAll(this.path);
      if (sorted.length === 0) delete all[this.key];
      else all[this.key] = sorted;
      await writeFileSafely(this.path, `${JSON.stringify(all, null, 2)}\n`, { overwrite: true });
    });
  }
}
