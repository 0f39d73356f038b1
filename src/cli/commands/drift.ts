/**
 * `mailpolicy drift FILE`: compares the organisation with the document and reports every
 * drifted setting (desired, actual, the fixing cmdlet, FILE:LINE:COL). Exit 0 in sync, 1 drift,
 * 2 could not check (invalid document, usage, Exchange error: a failed read is never drift).
 */
import { Option, type Command } from 'commander';
import { openBackend } from '../../exchange/backend';
import type { ExchangeBackend } from '../../exchange/types';
import { checkDrift } from '../../drift/check';
import { DEFAULT_LIMIT, DRIFT_FORMATS, renderDrift, type DriftFormat } from '../../drift/render';
import { inSync } from '../../drift/report';
import { formatProblem, loadPolicyFile } from '../../model/load';
import { addBackendOptions, backendOptions, type BackendCliOptions } from '../backend-options';
import type { CliCommand, CliIO } from '../command';
import { EXIT_ERROR, EXIT_FOUND, EXIT_OK, UsageError, type ExitCode } from '../exit-codes';

interface DriftOptions extends BackendCliOptions {
  readonly format: DriftFormat;
  readonly limit: number;
}

export async function runDrift(file: string, options: DriftOptions, io: CliIO, toolVersion = '0.0.0'): Promise<ExitCode> {
  const loaded = loadPolicyFile(file);
  if (!loaded.ok) {
    io.stderr(loaded.problems.map((p) => `${formatProblem(p)}\n`).join(''));
    return EXIT_ERROR;
  }
  const backendConfig = backendOptions(options, loaded.loaded.policy.target);
  let backend: ExchangeBackend | undefined;
  try {
    backend = openBackend(backendConfig);
    const report = await checkDrift(loaded.loaded, backend);
    io.stdout(renderDrift(report, options.format, { limit: options.limit, version: toolVersion }));
    return inSync(report) ? EXIT_OK : EXIT_FOUND;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Exchange's own message, after the line that says which organisation was being read.
    if (backend) io.stderr(`${backend.describe()}\n`);
    io.stderr(`mailpolicy drift: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_ERROR;
  } finally {
    await backend?.close();
  }
}

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--limit must be a whole number (0 = no limit), not ${text}`);
  return n;
}

export const driftCommand: CliCommand = {
  register(program: Command, io: CliIO, setExit: (code: ExitCode) => void): void {
    const command = program
      .command('drift')
      .description('report every setting where the organisation differs from the document: exit 0 in sync, 1 drift, 2 error')
      .argument('<file>', 'MailPolicy YAML file')
      .addOption(new Option('-f, --format <format>', 'text (terminals, CI logs), markdown (job summaries, tickets), json (alerting), sarif (code scanning)').choices(DRIFT_FORMATS).default('text'))
      .addOption(new Option('--limit <n>', 'text/markdown: drifted settings shown per resource, 0 = all (json and sarif list all)').argParser(parseLimit).default(DEFAULT_LIMIT));
    addBackendOptions(command).action(async (file: string, options: DriftOptions) => {
      setExit(await runDrift(file, options, io, program.version() ?? '0.0.0'));
    });
  },
};
