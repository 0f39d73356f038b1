import type { CommandSpec } from './args/spec';

// CliIO lives in io.ts so args/spec.ts can name it without importing this module back.
export type { CliIO } from './io';

/**
 * One CLI command per module under src/cli/commands/, exported as its spec (args/spec.ts:
 * `defineCommand`): what it takes, and a `run` that resolves to the exit code.
 */
export type CliCommand = CommandSpec;
