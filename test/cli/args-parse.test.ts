/** The argv parser (src/cli/args/parse.ts) on a small program that has every kind of option. */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { parseCommandLine, type Invocation } from '../../src/cli/args/parse';
import { defineCommand, defineGroup, type CommandSpec, type OptionValues } from '../../src/cli/args/spec';
import { UsageError } from '../../src/cli/exit-codes';

function evenNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n % 2 !== 0) throw new UsageError(`--even must be an even number, not ${text}`);
  return n;
}

const SHIP_OPTIONS = {
  format: { short: 'f', value: 'format', description: 'output format', choices: ['text', 'json'], default: 'text' },
  output: { short: 'o', value: 'path', description: 'where to write' },
  even: { value: 'n', description: 'an even number', parse: evenNumber, default: 2 },
  server: { value: 'name', description: 'a server (repeat, or comma-separate)', repeatable: true, separator: ',' },
  tag: { value: 'tag', description: 'a tag (repeat)', repeatable: true },
  progress: { description: 'report progress', negation: 'never report progress' },
  force: { description: 'replace' },
  asOf: { value: 'date', description: 'a day' },
} as const;

const ran: { args: unknown; options: unknown }[] = [];
const ship = defineCommand({
  name: 'ship',
  description: 'ship files',
  arguments: [{ name: 'file', description: 'files', variadic: true }],
  options: SHIP_OPTIONS,
  run: async (args, options) => {
    ran.push({ args, options });
    return 0;
  },
});
const one = defineCommand({ name: 'one', description: 'one file', arguments: [{ name: 'file', description: 'a file' }], run: async () => 0 });
const none = defineCommand({ name: 'none', description: 'no arguments', run: async () => 0 });
const init = defineCommand({
  name: 'init',
  description: 'create',
  options: {
    state: { value: 'path', description: 'state file', required: true },
    platform: { value: 'platform', description: 'platform', choices: ['online', 'server'], required: true },
  },
  run: async () => 0,
});
const invoke = defineCommand({
  name: 'invoke',
  description: 'call',
  arguments: [
    { name: 'cmdlet', description: 'a cmdlet' },
    { name: 'parameters', description: 'Name=value', optional: true, variadic: true },
  ],
  run: async () => 0,
});
const sim = defineGroup({ name: 'sim', description: 'simulator', subcommands: [init, invoke] });
const ROOT: CommandSpec = defineGroup({
  name: 'tool',
  description: 'a tool',
  options: { version: { short: 'V', description: 'version' }, debug: { description: 'stack traces' } },
  subcommands: [ship, one, none, sim],
});

const parse = (...argv: string[]): Invocation => parseCommandLine(ROOT, argv);
const names = (i: Invocation): string[] => (i.kind === 'version' ? [] : i.path.map((c) => c.name));

function run(...argv: string[]): { names: string[]; args: unknown; options: unknown; globals: unknown } {
  const i = parse(...argv);
  if (i.kind !== 'run') throw new Error(`expected a run, got ${i.kind}`);
  return { names: names(i), args: i.args, options: i.options, globals: i.globals };
}

function usageError(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('parseCommandLine: options', () => {
  it('--format=x, --format x, -f x and -fx are the same; options may follow the arguments', () => {
    for (const argv of [['--format=json', 'a'], ['--format', 'json', 'a'], ['-f', 'json', 'a'], ['-fjson', 'a'], ['a', '--format', 'json']]) {
      expect(run('ship', ...argv).options).toEqual({ format: 'json', even: 2 });
    }
  });

  it('fills defaults, and leaves out an option that was neither given nor has a default', () => {
    expect(run('ship', 'a')).toEqual({ names: ['tool', 'ship'], args: { file: ['a'] }, options: { format: 'text', even: 2 }, globals: {} });
    expect(run('ship', 'a', '--as-of', '2027-01-15', '-o', 'out.txt', '--force').options).toEqual({ format: 'text', even: 2, asOf: '2027-01-15', output: 'out.txt', force: true });
  });

  it('the last of a repeated single-value option wins', () => {
    expect(run('ship', '-f', 'json', 'a', '--format', 'text').options).toMatchObject({ format: 'text' });
  });

  it('-- ends the options: what follows is an argument even when it starts with -', () => {
    expect(run('ship', 'a', '--', '--format', '-f').args).toEqual({ file: ['a', '--format', '-f'] });
  });

  it('a value outside the choices is refused, naming them', () => {
    expect(usageError('ship', '--format', 'xml', 'a')).toBe('unknown --format "xml" (choose one of text, json)');
    expect(usageError('ship', '-fxml', 'a')).toBe('unknown --format "xml" (choose one of text, json)');
  });

  it('a parse function turns the text into the value, and its UsageError is the message', () => {
    expect(run('ship', '--even', '4', 'a').options).toMatchObject({ even: 4 });
    expect(run('ship', '--even', '-8', 'a').options).toMatchObject({ even: -8 });
    expect(usageError('ship', '--even', '3', 'a')).toBe('--even must be an even number, not 3');
  });

  it('repeatable: every occurrence adds, a separator splits, blanks are dropped', () => {
    expect(run('ship', '--server', 'EX01, EX02', 'a', '--server=EX03', '--server', ',').options).toMatchObject({ server: ['EX01', 'EX02', 'EX03'] });
    expect(run('ship', '--tag', 'a,b', '--tag', 'c', 'x').options).toMatchObject({ tag: ['a,b', 'c'] });
  });

  it('negatable: --x is true, --no-x false, the last one wins, neither leaves it out', () => {
    expect(run('ship', '--progress', 'a').options).toMatchObject({ progress: true });
    expect(run('ship', '--no-progress', 'a').options).toMatchObject({ progress: false });
    expect(run('ship', '--no-progress', '--progress', 'a').options).toMatchObject({ progress: true });
    expect(run('ship', '--progress', '--no-progress', 'a').options).toMatchObject({ progress: false });
    expect(run('ship', 'a').options).not.toHaveProperty('progress');
    expect(usageError('ship', '--no-force', 'a')).toBe('unknown option --no-force (did you mean --force?)');
  });

  it('a flag takes no value', () => {
    expect(usageError('ship', '--force=yes', 'a')).toBe('--force takes no value, not "yes"');
    expect(usageError('ship', '--no-progress=1', 'a')).toBe('--no-progress takes no value, not "1"');
  });

  it('an option that takes a value needs one: at the end, or before another option', () => {
    expect(usageError('ship', 'a', '--format')).toBe('--format needs a value (<format>)');
    expect(usageError('ship', 'a', '-o')).toBe('--output needs a value (<path>)');
    expect(usageError('ship', '--output', '--force', 'a')).toBe('--output needs a value (<path>)');
    // Written with =, a value may start with a dash.
    expect(run('ship', '--output=-x', 'a').options).toMatchObject({ output: '-x' });
    expect(run('ship', '--output', '-', 'a').options).toMatchObject({ output: '-' });
  });

  it('unknown options are refused, with the likely one when the slip is small', () => {
    expect(usageError('ship', '--nope', 'a')).toBe('unknown option --nope');
    expect(usageError('ship', '--form', 'json', 'a')).toBe('unknown option --form (did you mean --format?)');
    expect(usageError('ship', '--as_of', '2027-01-01', 'a')).toBe('unknown option --as_of (did you mean --as-of?)');
    expect(usageError('ship', '-x', 'a')).toBe('unknown option -x');
    expect(usageError('ship', '--nope=1', 'a')).toBe('unknown option --nope');
    // An option of another command is unknown here.
    expect(usageError('one', '--format', 'json', 'a')).toBe('unknown option --format');
  });

  it('required options: each one missing is named', () => {
    expect(usageError('sim', 'init')).toBe('--state <path> is required');
    expect(usageError('sim', 'init', '--state', 's.json')).toBe('--platform <platform> is required');
    expect(usageError('sim', 'init', '--state', 's.json', '--platform', 'cloud')).toBe('unknown --platform "cloud" (choose one of online, server)');
    expect(run('sim', 'init', '--platform', 'server', '--state', 's.json')).toEqual({ names: ['tool', 'sim', 'init'], args: {}, options: { platform: 'server', state: 's.json' }, globals: {} });
  });

  it('types run\'s options from the declaration', () => {
    type Ship = OptionValues<typeof SHIP_OPTIONS>;
    expectTypeOf<Ship['format']>().toEqualTypeOf<'text' | 'json'>();
    expectTypeOf<Ship['even']>().toEqualTypeOf<number>();
    expectTypeOf<Ship['server']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Ship['progress']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Ship['output']>().toEqualTypeOf<string | undefined>();
  });
});

describe('parseCommandLine: arguments and commands', () => {
  it('a missing argument is named as the help shows it', () => {
    expect(usageError('ship')).toBe('missing argument <file...>');
    expect(usageError('ship', '--format', 'json')).toBe('missing argument <file...>');
    expect(usageError('one')).toBe('missing argument <file>');
    expect(usageError('sim', 'invoke')).toBe('missing argument <cmdlet>');
  });

  it('too many arguments: the first extra one is named, with what the command takes', () => {
    expect(usageError('one', 'a', 'b')).toBe('unexpected argument "b" (tool one takes <file>)');
    expect(usageError('none', 'x')).toBe('unexpected argument "x" (tool none takes no arguments)');
  });

  it('an optional variadic argument may be empty', () => {
    expect(run('sim', 'invoke', 'Get-X').args).toEqual({ cmdlet: 'Get-X', parameters: [] });
    expect(run('sim', 'invoke', 'Set-X', 'A=1', 'B=2').args).toEqual({ cmdlet: 'Set-X', parameters: ['A=1', 'B=2'] });
  });

  it('an unknown command: the likely one, or the list', () => {
    expect(usageError('shp', 'a')).toBe('unknown command "shp" (did you mean ship?)');
    expect(usageError('zzz')).toBe('unknown command "zzz" (commands: ship, one, none, sim)');
    expect(usageError('sim', 'initt')).toBe('unknown command "sim initt" (did you mean sim init?)');
    expect(usageError('sim', 'zzz')).toBe('unknown command "sim zzz" (commands: init, invoke)');
  });

  it('global options go to globals, before or after the command, never to the command\'s options', () => {
    expect(run('--debug', 'one', 'a')).toMatchObject({ options: {}, globals: { debug: true } });
    expect(run('one', 'a', '--debug')).toMatchObject({ options: {}, globals: { debug: true } });
    expect(run('sim', '--debug', 'invoke', 'Get-X')).toMatchObject({ globals: { debug: true } });
    expect(usageError('--format', 'json', 'ship', 'a')).toBe('unknown option --format');
  });
});

describe('parseCommandLine: help and version', () => {
  it('--help or -h anywhere asks for the help of the command named, even among mistakes', () => {
    for (const argv of [['ship', '--help'], ['ship', '-h'], ['ship', 'a', '--nope', '--help'], ['ship', '--format', 'xml', '-h'], ['ship', '-h', '--format'], ['--help', 'ship'], ['-h', 'ship', '--nope'], ['--nope', '-h', 'ship']]) {
      expect(parse(...argv), argv.join(' ')).toEqual({ kind: 'help', path: [ROOT, ship], asked: true });
    }
  });

  it('after --, --help is an argument', () => {
    expect(run('ship', '--', '--help').args).toEqual({ file: ['--help'] });
  });

  it('help for groups and subcommands, and the help command', () => {
    expect(parse('--help')).toEqual({ kind: 'help', path: [ROOT], asked: true });
    expect(parse('sim', '--help')).toEqual({ kind: 'help', path: [ROOT, sim], asked: true });
    expect(parse('sim', 'init', '--help')).toEqual({ kind: 'help', path: [ROOT, sim, init], asked: true });
    expect(parse('help')).toEqual({ kind: 'help', path: [ROOT], asked: true });
    expect(parse('help', 'sim', 'init')).toEqual({ kind: 'help', path: [ROOT, sim, init], asked: true });
    expect(parse('sim', 'help', 'invoke')).toEqual({ kind: 'help', path: [ROOT, sim, invoke], asked: true });
    expect(usageError('help', 'zzz')).toBe('unknown command "zzz" (commands: ship, one, none, sim)');
    expect(parse('--help', 'nope')).toEqual({ kind: 'help', path: [ROOT], asked: true });
    expect(parse('--nope', '--help')).toEqual({ kind: 'help', path: [ROOT], asked: true });
    expect(usageError('--nope')).toBe('unknown option --nope');
  });

  it('a group named without its command is help nobody asked for (a usage error)', () => {
    expect(parse()).toEqual({ kind: 'help', path: [ROOT], asked: false });
    expect(parse('sim')).toEqual({ kind: 'help', path: [ROOT, sim], asked: false });
    expect(parse('--debug')).toEqual({ kind: 'help', path: [ROOT], asked: false });
  });

  it('-V and --version, before or after a command', () => {
    expect(parse('-V')).toEqual({ kind: 'version' });
    expect(parse('--version')).toEqual({ kind: 'version' });
    expect(parse('one', 'a', '-V')).toEqual({ kind: 'version' });
    expect(parse('-V', '--help')).toMatchObject({ kind: 'help' });
  });
});
