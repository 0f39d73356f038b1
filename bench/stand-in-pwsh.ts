/**
 * The stand-in pwsh (tools/stand-in-pwsh), shared by the benchmarks and the tests: where it is,
 * and the environment that points it at a simulated organisation. Its switches are documented
 * in tools/stand-in/stand-in.ts.
 */
import { packagePath } from '../src/package-root';

/** Given as the pwsh path to the runner, in place of PowerShell 7. */
export const STAND_IN_PWSH = packagePath('tools', 'stand-in-pwsh');

/** The compiled stand-in (`npm run build`): starts faster than the TypeScript sources the script runs otherwise. */
export const COMPILED_STAND_IN = packagePath('dist', 'tools', 'stand-in', 'stand-in.js');

const SWITCH_PREFIX = 'MAILPOLICY_STANDIN_';

export interface StandInEnvOptions {
  /** Switches by name without the MAILPOLICY_STANDIN_ prefix, e.g. `{ LOG: file, HANG: '*' }`. */
  readonly switches?: Readonly<Record<string, string>>;
  /** Run COMPILED_STAND_IN instead of the sources (what the benchmarks and the plugin tests want). */
  readonly compiled?: boolean;
}

/** Environment for the stand-in pwsh serving the organisation saved at `statePath`. */
export function standInEnv(statePath: string, options: StandInEnvOptions = {}): Record<string, string> {
  const env: Record<string, string> = { [`${SWITCH_PREFIX}STATE`]: statePath };
  for (const [name, value] of Object.entries(options.switches ?? {})) env[`${SWITCH_PREFIX}${name}`] = value;
  if (options.compiled) env[`${SWITCH_PREFIX}JS`] = COMPILED_STAND_IN;
  return env;
}
