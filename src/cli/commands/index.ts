import type { CliCommand } from '../command';

/**
 * Every CLI command, in the order `--help` lists them: one module per command, loaded only
 * when it runs. A one-file command's time is mostly start-up, so `mailpolicy validate` must
 * not pay for the backends, the simulator or the planner that other commands import.
 */
export const COMMAND_LOADERS: Readonly<Record<string, () => Promise<CliCommand>>> = {
  validate: async () => (await import('./validate')).validateCommand,
  check: async () => (await import('./check')).checkCommand,
  endpoints: async () => (await import('./endpoints')).endpointsCommand,
  drift: async () => (await import('./drift')).driftCommand,
  plan: async () => (await import('./plan')).planCommand,
  apply: async () => (await import('./apply')).applyCommand,
  export: async () => (await import('./export')).exportCommand,
  sim: async () => (await import('./sim')).simCommand,
  init: async () => (await import('./init')).initCommand,
};

export const COMMAND_NAMES = Object.keys(COMMAND_LOADERS);

/** The commands `argv` needs: the one it names (global options are flags, so it is the first word that is not one), or all of them (help, usage errors). */
export async function loadCommands(argv: readonly string[] = []): Promise<CliCommand[]> {
  const named = argv.find((arg) => !arg.startsWith('-'));
  const loader = named === undefined ? undefined : COMMAND_LOADERS[named];
  if (loader) return [await loader()];
  return Promise.all(COMMAND_NAMES.map((name) => COMMAND_LOADERS[name]()));
}
