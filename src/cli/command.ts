import type { CommandSpec } from './args/spec';

/** Where a command writes: injectable so tests run the CLI in-process. */
export interface CliIO {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * One CLI command per module under src/cli/commands/, exported as its spec (args/spec.ts:
 * `defineCommand`): what it takes, and a `run` that resolves to the exit code.
 */
export type CliCommand = CommandSpec;
