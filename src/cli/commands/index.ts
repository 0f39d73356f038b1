import type { CliCommand } from '../command';

/** Every CLI command, in the order `--help` lists them. One module per command. */
export const COMMANDS: readonly CliCommand[] = [];
