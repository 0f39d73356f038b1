/** The `mailpolicy` program: its global options and the commands it is given. */
import { defineGroup, type CommandSpec } from './args/spec';

export function programSpec(commands: readonly CommandSpec[]): CommandSpec {
  return defineGroup({
    name: 'mailpolicy',
    description: 'Exchange mail-protocol policy as code: validate, check, plan, drift, export.',
    // Accepted before or after any command; flags only (see parseCommandLine).
    options: {
      version: { short: 'V', description: 'output the version number' },
      debug: { description: 'print stack traces of internal errors' },
    },
    subcommands: commands,
  });
}
