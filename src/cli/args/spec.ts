/**
 * The declarative shape of a CLI command: its arguments, its options and what it runs. The
 * parser (parse.ts) and the help (help.ts) both read it, so a flag is declared once. The types
 * derive what `run` receives from the declaration, so a command's options object is typed
 * without casts: `{ format: { value: 'format', choices: ['text', 'json'], default: 'text' } }`
 * gives `run` an `options.format` of type `'text' | 'json'`.
 */
import type { CliIO } from '../io';
import type { ExitCode } from '../exit-codes';

/** A positional argument; required unless `optional`, one word unless `variadic` (the last one only). */
export interface ArgumentSpec {
  readonly name: string;
  readonly description: string;
  readonly optional?: boolean;
  readonly variadic?: boolean;
}

/**
 * An option, named by its key in the command's `options`: the key `asOf` is the flag `--as-of`
 * and arrives in `run` as `options.asOf`.
 */
export interface OptionSpec {
  readonly description: string;
  /** One letter: `f` for `-f`. */
  readonly short?: string;
  /** The value's name in help (`--format <format>`); without it the option is a flag (true when given). */
  readonly value?: string;
  readonly choices?: readonly string[];
  /** Turns the text into the value; throws UsageError for text it refuses. Runs after `choices`. */
  readonly parse?: (text: string) => unknown;
  readonly default?: unknown;
  readonly required?: boolean;
  /** Every occurrence adds to a list (after splitting at `separator`, when set). */
  readonly repeatable?: boolean;
  readonly separator?: string;
  /** A flag that also takes `--no-<name>` (false); this text describes that form in help. */
  readonly negation?: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** What every command's `run` is given besides its arguments and options. */
export interface RunContext {
  readonly io: CliIO;
  /** The package's version (read only by the commands that report it). */
  readonly toolVersion: () => string;
}

/** Argument values by name, as the parser hands them to `run`. */
export type ArgumentValueMap = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A command as the parser and the help see it: `defineCommand` checks the typed form. */
export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly arguments: readonly ArgumentSpec[];
  readonly options: OptionSpecs;
  /** A command with subcommands (`sim init`) has no `run` of its own. */
  readonly subcommands: readonly CommandSpec[];
  // Method syntax on purpose: a command's narrower typed run must be assignable here.
  run?(args: ArgumentValueMap, options: Readonly<Record<string, unknown>>, context: RunContext): Promise<ExitCode>;
}

type ArgumentValue<A extends ArgumentSpec> = A extends { variadic: true } ? string[] : A extends { optional: true } ? string | undefined : string;

/** `[{ name: 'file', variadic: true }]` → `{ file: string[] }`. */
export type ArgumentValues<A extends readonly ArgumentSpec[]> = { readonly [X in A[number] as X['name']]: ArgumentValue<X> };

type OneValue<O extends OptionSpec> = O extends { value: string }
  ? O extends { parse: (text: string) => infer T }
    ? T
    : O extends { choices: readonly (infer C)[] }
      ? C
      : string
  : boolean;
type OptionValue<O extends OptionSpec> = O extends { repeatable: true } ? OneValue<O>[] : OneValue<O>;
type AlwaysSet<O extends OptionSpec> = O extends { required: true } ? true : O extends { default: unknown } ? true : false;

/** The options object `run` receives: a key is absent when the option was not given and has no default. */
export type OptionValues<O extends OptionSpecs> = {
  readonly [K in keyof O as AlwaysSet<O[K]> extends true ? K : never]: OptionValue<O[K]>;
} & {
  readonly [K in keyof O as AlwaysSet<O[K]> extends true ? never : K]?: OptionValue<O[K]>;
};

/** A leaf command as written in its module: `run`'s parameters are typed from the declaration. */
export interface CommandDefinition<A extends readonly ArgumentSpec[], O extends OptionSpecs> {
  readonly name: string;
  readonly description: string;
  readonly arguments?: A;
  readonly options?: O;
  run(args: ArgumentValues<A>, options: OptionValues<O>, context: RunContext): Promise<ExitCode>;
}

export function defineCommand<const A extends readonly ArgumentSpec[] = [], const O extends OptionSpecs = Record<never, OptionSpec>>(definition: CommandDefinition<A, O>): CommandSpec {
  return { arguments: [], options: {}, subcommands: [], ...definition };
}

/** A command that only groups subcommands (`mailpolicy sim`); the program itself is one, with the global options. */
export function defineGroup(definition: { readonly name: string; readonly description: string; readonly options?: OptionSpecs; readonly subcommands: readonly CommandSpec[] }): CommandSpec {
  return { arguments: [], options: {}, ...definition };
}

/** `asOf` → `--as-of`. */
export function longFlag(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** `-f, --format <format>`, as usage errors and help name an option. */
export function optionTerm(key: string, option: OptionSpec): string {
  const flags = option.short === undefined ? longFlag(key) : `-${option.short}, ${longFlag(key)}`;
  return option.value === undefined ? flags : `${flags} <${option.value}>`;
}

/** `<file...>`, `[parameters...]`. */
export function argumentTerm(argument: ArgumentSpec): string {
  const name = argument.variadic === true ? `${argument.name}...` : argument.name;
  return argument.optional === true ? `[${name}]` : `<${name}>`;
}
