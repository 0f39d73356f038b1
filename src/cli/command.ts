import type { Command } from 'commander';
import type { ExitCode } from './exit-codes';

/** Where a command writes: injectable so tests run the CLI in-process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * One CLI command per module under src/cli/commands/. `register` adds the subcommand to the
 * program; its action resolves to the exit code through `setExit`.
 */
export interface CliCommand {
  register(program: Command, io: CliIO, setExit: (code: ExitCode) => void): void;
}
