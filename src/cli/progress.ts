/**
 * The CLI's side of progress (src/report/progress.ts formats it): `--quiet` turns it off, stderr
 * being a terminal picks the updating line, and MAILPOLICY_PROGRESS_INTERVAL_MS sets how often a
 * non-terminal stderr (a CI log) gets a line (default 10 s; tests lower it).
 */
import { countingReads } from '../exchange/counting-reads';
import type { ExchangeBackend } from '../exchange/types';
import { PROGRESS_INTERVAL_ENV, progressInterval, startProgress, type Progress } from '../report/progress';
import type { OptionSpecs } from './args/spec';
import type { CliIO } from './io';
import { UsageError } from './exit-codes';

export const QUIET_OPTION = {
  quiet: { short: 'q', description: 'no progress on stderr (by default long reads and writes report counts and an ETA: one updating line on a terminal, a line every 10 s otherwise)' },
} as const satisfies OptionSpecs;

function intervalMs(): number {
  const ms = progressInterval(process.env[PROGRESS_INTERVAL_ENV]);
  if (ms === undefined) throw new UsageError(`${PROGRESS_INTERVAL_ENV} must be a whole number of milliseconds, at least 1`);
  return ms;
}

/** A progress reporter on the CLI's stderr, or undefined with --quiet. */
export function cliProgress(io: CliIO, quiet: boolean | undefined, label: string, noun: string, total?: number): Progress | undefined {
  if (quiet === true) return undefined;
  return startProgress({ write: io.stderr, terminal: process.stderr.isTTY === true, intervalMs: intervalMs(), label, noun, ...(total === undefined ? {} : { total }) });
}

/** Where a command's reads are counted: a line labelled `label` (`mailpolicy plan: reading`), none with --quiet. */
export interface ReadProgress {
  readonly quiet: boolean | undefined;
  readonly label: string;
}

/**
 * Runs `work` (the reads of drift, plan, apply) on the backend counting its mailbox reads, the
 * progress line stopped however it ends and closed with the count when it succeeds.
 */
export async function countingWhile<T>(io: CliIO, reading: ReadProgress, backend: ExchangeBackend, work: (counted: ExchangeBackend) => Promise<T>): Promise<T> {
  const progress = cliProgress(io, reading.quiet, reading.label, 'mailboxes');
  const counting = countingReads(backend, progress);
  let result: T;
  try {
    result = await work(counting.backend);
  } finally {
    progress?.stop();
  }
  progress?.finish(counting.read());
  return result;
}
