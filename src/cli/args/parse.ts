/**
 * argv → which command, with its arguments and typed options. node:util parseArgs splits the
 * words (`--format=json`, `-fjson`, `-f json`, `--`, options after arguments); this module
 * checks them against the command's spec and says what is wrong in one line (a UsageError).
 * parseArgs runs non-strict because its strict errors name neither the command nor a likely
 * typo: every token is checked here instead, so nothing unknown passes.
 */
import { parseArgs } from 'node:util';
import { closestMatch } from '../../model/did-you-mean';
import { UsageError } from '../exit-codes';
import { argumentTerm, longFlag, type ArgumentValueMap, type CommandSpec, type OptionSpec } from './spec';

/** `-h, --help` on every command. */
export const HELP_OPTION: OptionSpec = { short: 'h', description: 'display help for command' };

export type Invocation =
  /** `path` runs: the root program first, the command that runs last. */
  | { readonly kind: 'run'; readonly path: readonly CommandSpec[]; readonly args: ArgumentValueMap; readonly options: Readonly<Record<string, unknown>>; readonly globals: Readonly<Record<string, unknown>> }
  /** `asked`: --help or `help`; otherwise a command group was named without a command (a usage error that shows the help). */
  | { readonly kind: 'help'; readonly path: readonly CommandSpec[]; readonly asked: boolean }
  | { readonly kind: 'version' };

/** parseArgs's tokens (@types/node does not export their type). */
type OptionToken = { readonly kind: 'option'; readonly index: number; readonly name: string; readonly rawName: string; readonly value: string | undefined; readonly inlineValue: boolean | undefined };
type Token = OptionToken | { readonly kind: 'positional'; readonly index: number; readonly value: string } | { readonly kind: 'option-terminator'; readonly index: number };

/** What a word on the command line stands for, by parseArgs's option name. */
interface Known {
  readonly key: string;
  readonly option: OptionSpec;
  readonly global: boolean;
  /** `--no-<name>`. */
  readonly negated: boolean;
}

/**
 * The root's options (`--debug`, `-V`) are global: accepted before or after any command. They
 * are flags, so the words before a command name are never an option's value.
 */
export function parseCommandLine(root: CommandSpec, argv: readonly string[]): Invocation {
  const path: CommandSpec[] = [root];
  const globals: Record<string, unknown> = {};
  let rest = [...argv];
  let helpAsked = false;
  for (;;) {
    const command = path[path.length - 1] as CommandSpec;
    const known = knownOptions(root, command);
    const tokens = tokenize(rest, known);
    if (command.subcommands.length === 0) return parseLeaf(path, tokens, known, helpAsked, globals);

    const named = tokens.find((t) => t.kind === 'positional' || t.kind === 'option-terminator');
    const before = named === undefined ? tokens : tokens.slice(0, tokens.indexOf(named));
    helpAsked ||= asksForHelp(before, known);
    for (const token of before) if (token.kind === 'option' && !helpAsked) setValue(globals, lookUp(token, known), token);
    if (globals.version === true && !helpAsked) return { kind: 'version' };
    if (named?.kind !== 'positional') return { kind: 'help', path, asked: helpAsked };
    const sub = command.subcommands.find((c) => c.name === named.value);
    if (sub === undefined) {
      if (named.value === 'help') return helpFor(path, tokens.slice(tokens.indexOf(named) + 1));
      if (helpAsked) return { kind: 'help', path, asked: true };
      throw new UsageError(unknownCommand(path, named.value));
    }
    path.push(sub);
    rest = rest.slice(named.index + 1);
  }
}

/** `help [command...]`: the help of the command the words name. */
function helpFor(path: CommandSpec[], tokens: readonly Token[]): Invocation {
  for (const token of tokens) {
    const command = path[path.length - 1] as CommandSpec;
    if (token.kind !== 'positional' || command.subcommands.length === 0) break;
    const sub = command.subcommands.find((c) => c.name === token.value);
    if (sub === undefined) throw new UsageError(unknownCommand(path, token.value));
    path.push(sub);
  }
  return { kind: 'help', path, asked: true };
}

function unknownCommand(path: readonly CommandSpec[], name: string): string {
  const group = path[path.length - 1] as CommandSpec;
  const names = group.subcommands.map((c) => c.name);
  const prefix = path.slice(1).map((c) => `${c.name} `).join('');
  const guess = closestMatch(name, names);
  return `unknown command "${prefix}${name}" (${guess === undefined ? `commands: ${names.join(', ')}` : `did you mean ${prefix}${guess}?`})`;
}

function knownOptions(root: CommandSpec, command: CommandSpec): Map<string, Known> {
  const known = new Map<string, Known>();
  const add = (key: string, option: OptionSpec, global: boolean): void => {
    const name = longFlag(key).slice(2);
    known.set(name, { key, option, global, negated: false });
    if (option.negation !== undefined) known.set(`no-${name}`, { key, option, global, negated: true });
  };
  add('help', HELP_OPTION, true);
  for (const [key, option] of Object.entries(root.options)) add(key, option, true);
  if (command !== root) for (const [key, option] of Object.entries(command.options)) add(key, option, false);
  return known;
}

function tokenize(args: readonly string[], known: ReadonlyMap<string, Known>): Token[] {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, { option, negated }] of known) {
    options[name] = { type: option.value === undefined || negated ? 'boolean' : 'string', ...(option.short === undefined || negated ? {} : { short: option.short }) };
  }
  return parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true }).tokens;
}

function lookUp(token: OptionToken, known: ReadonlyMap<string, Known>): Known {
  const found = known.get(token.name);
  // An unknown short option arrives named by its letter: `-x` must not find an option named `x`.
  if (found !== undefined && (token.rawName.startsWith('--') || token.rawName === `-${found.option.short ?? ''}`)) return found;
  const longs = [...known.keys()].map((n) => `--${n}`);
  const guess = token.rawName.startsWith('--') ? closestMatch(token.rawName, longs) : undefined;
  throw new UsageError(`unknown option ${token.rawName}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`);
}

/** Negative numbers are values; any other word starting with `-` after `--format` is a forgotten value. */
function looksLikeOption(word: string): boolean {
  return word.length > 1 && word.startsWith('-') && !/^-\d/.test(word);
}

function setValue(into: Record<string, unknown>, { key, option, negated }: Known, token: OptionToken): void {
  const flag = longFlag(key);
  if (option.value === undefined || negated) {
    if (token.value !== undefined) throw new UsageError(`${token.rawName} takes no value, not "${token.value}"`);
    into[key] = !negated;
    return;
  }
  const text = token.value;
  if (text === undefined || (token.inlineValue === false && looksLikeOption(text))) {
    throw new UsageError(`${flag} needs a value (<${option.value}>)`);
  }
  const pieces =
    option.repeatable === true && option.separator !== undefined
      ? text
          .split(option.separator)
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : [text];
  const values = pieces.map((piece) => {
    if (option.choices !== undefined && !option.choices.includes(piece)) throw new UsageError(`unknown ${flag} "${piece}" (choose one of ${option.choices.join(', ')})`);
    return option.parse === undefined ? piece : option.parse(piece);
  });
  if (option.repeatable === true) into[key] = [...((into[key] as unknown[] | undefined) ?? []), ...values];
  else into[key] = values[0];
}

/** --help wins over every other mistake on the line: it is how one finds out what went wrong. */
function asksForHelp(tokens: readonly Token[], known: ReadonlyMap<string, Known>): boolean {
  const terminator = tokens.findIndex((t) => t.kind === 'option-terminator');
  return (terminator < 0 ? tokens : tokens.slice(0, terminator)).some((t) => t.kind === 'option' && known.get(t.name)?.key === 'help');
}

function parseLeaf(path: readonly CommandSpec[], tokens: readonly Token[], known: ReadonlyMap<string, Known>, helpAsked: boolean, globals: Record<string, unknown>): Invocation {
  const command = path[path.length - 1] as CommandSpec;
  if (helpAsked || asksForHelp(tokens, known)) return { kind: 'help', path, asked: true };

  const options: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    else if (token.kind === 'option') {
      const found = lookUp(token, known);
      setValue(found.global ? globals : options, found, token);
    }
  }
  if (globals.version === true) return { kind: 'version' };

  for (const [key, option] of Object.entries(command.options)) {
    if (options[key] !== undefined) continue;
    if (option.required === true) throw new UsageError(`${longFlag(key)}${option.value === undefined ? '' : ` <${option.value}>`} is required`);
    if (option.default !== undefined) options[key] = option.default;
  }
  return { kind: 'run', path, args: assignArguments(path, positionals), options, globals };
}

function assignArguments(path: readonly CommandSpec[], positionals: readonly string[]): ArgumentValueMap {
  const command = path[path.length - 1] as CommandSpec;
  const args: Record<string, string | readonly string[] | undefined> = {};
  let next = 0;
  for (const argument of command.arguments) {
    const taken = argument.variadic === true ? positionals.slice(next) : positionals.slice(next, next + 1);
    if (taken.length === 0 && argument.optional !== true) throw new UsageError(`missing argument ${argumentTerm(argument)}`);
    args[argument.name] = argument.variadic === true ? taken : taken[0];
    next += taken.length;
  }
  if (next < positionals.length) {
    const takes = command.arguments.length === 0 ? 'no arguments' : command.arguments.map(argumentTerm).join(' ');
    throw new UsageError(`unexpected argument "${positionals[next] ?? ''}" (${path.map((c) => c.name).join(' ')} takes ${takes})`);
  }
  return args;
}
