/**
 * The shape every command that compares a document with an organisation shares: load the
 * document, open the backend its target names, run, close. A failure is reported once, after
 * the line naming the organisation's backend, so Exchange's own message says where it came from.
 */
import { openBackend, type BackendOptions } from '../backends/open-backend';
import type { ExchangeBackend } from '../exchange/types';
import type { LoadedPolicy } from '../model/types';
import { planLive } from '../reconcile/live';
import { ExceptionConflictError } from '../reconcile/plan';
import { escapeControls } from '../text/escape';
import { backendOptions, type BackendCliOptions } from './backend-options';
import type { CliIO } from './command';
import { EXIT_ERROR, UsageError, type ExitCode } from './exit-codes';
import { loadOrReport } from './load-or-report';
import { countingWhile, type ReadProgress } from './progress';
import { organisationKey, RestartsOwedFile } from './restarts-owed-file';

/** Runs after loading and before connecting: an exit code stops the command there, with Exchange never contacted. */
export type Preflight = (loaded: LoadedPolicy) => Promise<ExitCode | undefined>;

export async function withDocumentBackend(
  command: string,
  file: string,
  options: BackendCliOptions,
  io: CliIO,
  run: (loaded: LoadedPolicy, backend: ExchangeBackend, config: BackendOptions) => Promise<ExitCode>,
  preflight?: Preflight,
): Promise<ExitCode> {
  const loaded = loadOrReport(file, io);
  if (!loaded.ok) return EXIT_ERROR;
  const stop = await preflight?.(loaded.loaded);
  if (stop !== undefined) return stop;
  const config = backendOptions(options, loaded.loaded.policy.target);
  let backend: ExchangeBackend | undefined;
  try {
    backend = openBackend(config);
    return await run(loaded.loaded, backend, config);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (backend) io.stderr(`${escapeControls(backend.describe())}\n`);
    // A document that contradicts itself is reported where it does: FILE:LINE:COL of both declarations.
    if (err instanceof ExceptionConflictError) io.stderr(`${err.locatedLines(loaded.loaded.locate).map(escapeControls).join('\n')}\n`);
    // Exchange's message quotes identities and values as Exchange has them.
    else io.stderr(`mailpolicy ${command}: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT_ERROR;
  } finally {
    await backend?.close();
  }
}

/** The restarts an earlier apply left owed to this organisation, and where they are kept (restarts-owed-file.ts). */
export interface OwedRestarts {
  readonly file: RestartsOwedFile;
  readonly owed: ReadonlySet<string>;
}

/**
 * Loads, connects, plans (with the restarts an earlier apply left owed), then hands the plan
 * (and the document, for FILE:LINE:COL) to `run` (`plan` prints it, `apply` also runs it).
 * With `reading`, the mailboxes the plan reads are counted on stderr as they arrive.
 */
export function withPlan(
  command: string,
  file: string,
  options: BackendCliOptions,
  io: CliIO,
  run: (backend: ExchangeBackend, planned: Awaited<ReturnType<typeof planLive>> & { loaded: LoadedPolicy; restarts: OwedRestarts }) => Promise<ExitCode>,
  preflight?: Preflight,
  reading?: ReadProgress,
): Promise<ExitCode> {
  return withDocumentBackend(
    command,
    file,
    options,
    io,
    async (loaded, backend, config) => {
      const restartsFile = new RestartsOwedFile(organisationKey(config));
      const owed = await restartsFile.read();
      const planned = reading ? await countingWhile(io, reading, backend, (counted) => planLive(loaded.policy, counted, owed)) : await planLive(loaded.policy, backend, owed);
      return run(backend, { ...planned, loaded, restarts: { file: restartsFile, owed } });
    },
    preflight,
  );
}
