import { writeSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT_ERROR, EXIT_OK, UsageError, type ExitCode } from './exit-codes';
import type { CliCommand, CliIO } from './command';
import { loadCommands } from './commands';

/**
 * Writes straight to the file descriptor: creating process.stdout's stream costs a one-file
 * command several milliseconds of its start-up budget. EAGAIN (a non-blocking pipe that is
 * full) is retried, so large outputs are never cut.
 */
function writeAll(fd: number, text: string): void {
  let buffer = Buffer.from(text, 'utf8');
  while (buffer.length > 0) {
    try {
      const written = writeSync(fd, buffer);
      buffer = buffer.subarray(written);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    }
  }
}

const processIO: CliIO = {
  stdout: (text) => writeAll(1, text),
  stderr: (text) => writeAll(2, text),
};

function version(): string {
  // package.json sits two levels above dist/src/cli and src/cli alike.
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      return (require(rel) as { version: string }).version;
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
}

/** Runs the CLI and resolves to the exit status; never throws. */
export async function main(argv: readonly string[], io: CliIO = processIO, commands?: readonly CliCommand[]): Promise<ExitCode> {
  const debug = argv.includes('--debug');
  let exitCode: ExitCode = EXIT_OK;
  const program = new Command('mailpolicy')
    .description('Exchange mail-protocol policy as code: validate, check, plan, drift, export.')
    .version(version(), '-V, --version')
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  for (const command of commands ?? (await loadCommands(argv))) {
    command.register(program, io, (code) => {
      exitCode = code;
    });
  }
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here with exit code 0.
      return err.exitCode === 0 ? EXIT_OK : EXIT_ERROR;
    }
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`mailpolicy: ${message}\n`);
    if (debug && err instanceof Error && err.stack && !(err instanceof UsageError)) io.stderr(`${err.stack}\n`);
    return EXIT_ERROR;
  }
}
