import { writeSync } from 'node:fs';
import { packageVersion } from '../package-root';
import { renderHelp } from './args/help';
import { parseCommandLine, type Invocation } from './args/parse';
import type { CliCommand, CliIO } from './command';
import { loadCommands } from './commands';
import { EXIT_ERROR, EXIT_OK, UsageError, type ExitCode } from './exit-codes';
import { programSpec } from './program';
import { escapeControls } from '../text/escape';

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

/** Usage errors in argv get a hint; those a command finds later (a bad date, an unwritable file) do not. */
function parse(argv: readonly string[], commands: readonly CliCommand[], io: CliIO): Invocation | undefined {
  try {
    return parseCommandLine(programSpec(commands), argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr(`mailpolicy: ${escapeControls(err.message)}\n(run with --help for usage)\n`);
    return undefined;
  }
}

/** Runs the CLI and resolves to the exit status; never throws. `commands`: only these (tests), instead of what argv names. */
export async function main(argv: readonly string[], io: CliIO = processIO, commands?: readonly CliCommand[]): Promise<ExitCode> {
  // Until argv is parsed (after `--`, "--debug" is a file name).
  let debug = argv.includes('--debug');
  try {
    const invocation = parse(argv, commands ?? (await loadCommands(argv)), io);
    if (invocation === undefined) return EXIT_ERROR;
    switch (invocation.kind) {
      case 'version':
        io.stdout(`${packageVersion()}\n`);
        return EXIT_OK;
      case 'help':
        // A group named without its command (`mailpolicy sim`) is a usage error that shows the help.
        (invocation.asked ? io.stdout : io.stderr)(renderHelp(invocation.path));
        return invocation.asked ? EXIT_OK : EXIT_ERROR;
      case 'run': {
        const command = invocation.path[invocation.path.length - 1] as CliCommand;
        if (command.run === undefined) throw new Error(`${command.name} has nothing to run`);
        debug = invocation.globals.debug === true;
        return await command.run(invocation.args, invocation.options, { io, toolVersion: packageVersion });
      }
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    io.stderr(`mailpolicy: ${escapeControls(message)}\n`);
    if (debug && err instanceof Error && err.stack && !(err instanceof UsageError)) io.stderr(`${err.stack}\n`);
    return EXIT_ERROR;
  }
}

/**
 * Runs the CLI as this process (bin/mailpolicy.js). The exit status is 2 until the command's
 * promise settles: the status is its code then, or 2 for an internal error. If Node runs out of
 * work while that promise is still pending (it waits on something that can never happen: no
 * timer, no process, no socket), 'beforeExit' says so and exits 2 — a command never ends with
 * 0, "nothing to report", unless its work completed.
 */
export function runAsProcess(argv: readonly string[], io: CliIO = processIO, commands?: readonly CliCommand[]): void {
  let settled = false;
  process.exitCode = EXIT_ERROR;
  process.once('beforeExit', () => {
    if (settled) return;
    io.stderr(`mailpolicy: internal error: the command stopped before its work completed (it waited on something that can never happen); nothing was reported as done\n`);
    process.exit(EXIT_ERROR);
  });
  main(argv, io, commands).then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (err: unknown) => {
      settled = true;
      io.stderr(`mailpolicy: internal error: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
      process.exitCode = EXIT_ERROR;
    },
  );
}
