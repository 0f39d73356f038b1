/**
 * The command layer through main(): exit status and where messages go, the real commands'
 * specs, the flag inventory the pipeline test reads, and that a command loads only itself.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandFlags } from '../../src/cli/args/inventory';
import { defineCommand, longFlag, type CommandSpec } from '../../src/cli/args/spec';
import { COMMAND_LOADERS, COMMAND_NAMES, loadCommands } from '../../src/cli/commands';
import { UsageError } from '../../src/cli/exit-codes';
import { programSpec } from '../../src/cli/program';
import { runCli } from './run-cli';

const ROOT = path.resolve(__dirname, '../..');
const STACK = path.join('stacks', 'contoso-worldwide.mailpolicy.yaml');
const HINT = '(run with --help for usage)\n';

describe('mailpolicy: exit status and messages', () => {
  it('a usage error in argv: exit 2, one line on stderr and the hint, nothing on stdout', async () => {
    const cases: [string[], string][] = [
      [['validate', '--nope', STACK], 'unknown option --nope'],
      [['validate', '--form', 'json', STACK], 'unknown option --form (did you mean --format?)'],
      [['valdate', STACK], 'unknown command "valdate" (did you mean validate?)'],
      [['nope'], 'unknown command "nope" (commands: validate, check, endpoints, drift, plan, apply, export, sim, init)'],
      [['validate'], 'missing argument <file...>'],
      [['endpoints', STACK, STACK], `unexpected argument "${STACK}" (mailpolicy endpoints takes <file>)`],
      [['export', 'extra'], 'unexpected argument "extra" (mailpolicy export takes no arguments)'],
      [['plan', '--backend', 'exchange', STACK], 'unknown --backend "exchange" (choose one of simulator, powershell)'],
      [['validate', STACK, '-f'], '--format needs a value (<format>)'],
      [['drift', '--limit', 'x', STACK], '--limit must be a whole number (0 = no limit), not x'],
      [['drift', '--limit', '1e3', STACK], '--limit must be a whole number (0 = no limit), not 1e3'],
      [['sim', 'init', '--state', 'x.json', '--platform', 'exchangeOnline', '--mailboxes', '-1'], '--mailboxes must be a whole number, not -1'],
      [['sim', 'faults', '--state', 'x.json', '--add', 'transient', '--times', '0x2'], '--times must be a whole number, not 0x2'],
      [['sim', 'faults', '--state', 'x.json', '--add', 'transient', '--call', '1.5'], '--call must be a whole number, not 1.5'],
      [['sim', 'init', '--platform', 'exchangeOnline'], '--state <path> is required'],
      [['sim', 'init', '--state', 'x.json', '--platform', 'exchangeOnline', '--servers', 'EX 01'], '--servers takes NetBIOS server names separated by commas, not EX 01'],
      [['sim', 'invoke', '--state', 'x.json'], 'missing argument <cmdlet>'],
      [['sim', 'nope'], 'unknown command "sim nope" (commands: init, show, invoke, faults, certificate, audit)'],
      [['export', '--progress=yes'], '--progress takes no value, not "yes"'],
    ];
    for (const [argv, message] of cases) expect(await runCli(argv), argv.join(' ')).toEqual({ code: 2, stdout: '', stderr: `mailpolicy: ${message}\n${HINT}` });
  });

  it('a usage error the command finds after parsing: one line, no hint', async () => {
    expect(await runCli(['check', '--as-of', '2027-02-30', STACK])).toEqual({ code: 2, stdout: '', stderr: 'mailpolicy: --as-of "2027-02-30" is not a calendar date YYYY-MM-DD\n' });
  });

  it('-V and --version print the version of package.json, exit 0', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['-V', '--version']) expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--debug adds the stack trace of an internal error, never of a usage error', async () => {
    const failing = (error: Error): CommandSpec =>
      defineCommand({
        name: 'fail',
        description: 'fails',
        run: async () => {
          throw error;
        },
      });
    const internal = new Error('boom');
    expect(await runCli(['fail'], [failing(internal)])).toEqual({ code: 2, stdout: '', stderr: 'mailpolicy: boom\n' });
    expect(await runCli(['fail', '--debug'], [failing(internal)])).toEqual({ code: 2, stdout: '', stderr: `mailpolicy: boom\n${internal.stack}\n` });
    expect(await runCli(['--debug', 'fail'], [failing(new UsageError('bad'))])).toEqual({ code: 2, stdout: '', stderr: 'mailpolicy: bad\n' });
  });

  it('--format=x, --format x and -f x, before or after the files; -- ends the options', async () => {
    const json = `${JSON.stringify([{ file: STACK, valid: true, problems: [] }], null, 2)}\n`;
    for (const argv of [['--format=json', STACK], ['--format', 'json', STACK], ['-f', 'json', STACK], [STACK, '-fjson']]) {
      expect(await runCli(['validate', ...argv]), argv.join(' ')).toEqual({ code: 0, stdout: json, stderr: '' });
    }
    const r = await runCli(['validate', '--', '--format']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: '--format: cannot read file: no such file or directory\n' });
  });
});

/** Every command that runs, with its path from the program. */
function leaves(command: CommandSpec, trail: readonly CommandSpec[] = []): { path: readonly CommandSpec[]; command: CommandSpec }[] {
  const here = [...trail, command];
  return command.subcommands.length === 0 ? [{ path: here, command }] : command.subcommands.flatMap((c) => leaves(c, here));
}

describe('the commands\' specs', () => {
  it('each loader loads the command of its name', async () => {
    for (const name of COMMAND_NAMES) expect((await (COMMAND_LOADERS[name] as () => Promise<CommandSpec>)()).name).toBe(name);
    expect((await loadCommands(['validate', STACK])).map((c) => c.name)).toEqual(['validate']);
    expect((await loadCommands(['--debug', 'sim', 'init'])).map((c) => c.name)).toEqual(['sim']);
    expect((await loadCommands(['--help'])).map((c) => c.name)).toEqual(COMMAND_NAMES);
  });

  it('are consistent: defaults among the choices, no flag twice, a variadic argument last, every command runs', async () => {
    const program = programSpec(await loadCommands());
    for (const { path: trail, command } of leaves(program).filter((l) => l.command !== program)) {
      const where = trail.map((c) => c.name).join(' ');
      expect(command.run, where).toBeTypeOf('function');
      const flags = [...commandFlags(program).get(trail.slice(1).map((c) => c.name).join(' ')) ?? []];
      const declared = Object.entries({ ...program.options, ...command.options }).flatMap(([key, o]) => [longFlag(key), ...(o.short ? [`-${o.short}`] : []), ...(o.negation ? [`--no-${longFlag(key).slice(2)}`] : [])]);
      expect(new Set(declared).size, `${where}: a flag declared twice`).toBe(declared.length);
      expect(declared.filter((f) => f === '-h' || f === '--help'), `${where}: -h/--help are the help's`).toEqual([]);
      expect(flags.length, where).toBe(declared.length + 2);
      for (const [key, option] of Object.entries(command.options)) {
        if (option.choices !== undefined && option.default !== undefined) expect(option.choices, `${where} --${key}`).toContain(option.default);
        if (option.separator !== undefined) expect(option.repeatable, `${where} --${key}: a separator needs repeatable`).toBe(true);
        if (option.negation !== undefined) expect(option.value, `${where} --${key}: only a flag is negatable`).toBeUndefined();
      }
      const args = command.arguments;
      args.forEach((a, i) => {
        if (a.variadic === true) expect(i, `${where} <${a.name}...> must be last`).toBe(args.length - 1);
        if (a.optional !== true) expect(args.slice(0, i).every((b) => b.optional !== true), `${where}: <${a.name}> after an optional argument`).toBe(true);
      });
    }
  });

  it('the flag inventory: each command path with its own, global and help flags', async () => {
    const flags = commandFlags(programSpec(await loadCommands()));
    expect([...flags.keys()]).toEqual(['validate', 'check', 'endpoints', 'drift', 'plan', 'apply', 'export', 'sim init', 'sim show', 'sim invoke', 'sim faults', 'sim certificate add', 'sim audit', 'init']);
    expect([...(flags.get('validate') ?? [])].sort()).toEqual(['--debug', '--format', '--help', '--version', '-V', '-f', '-h']);
    expect(flags.get('export')).toContain('--no-progress');
    expect(flags.get('export')).toContain('--server');
    expect(flags.get('sim init')).toContain('--mailboxes');
    expect(flags.get('drift')).not.toContain('--platform');
  });
});

describe('start-up', () => {
  it('validate loads only its own command module, and no child_process (after npm run build)', () => {
    const script = [
      "const fs = require('node:fs');",
      'const before = new Set(process.moduleLoadList);',
      `require('./dist/src/cli/main.js').main(['validate', ${JSON.stringify(STACK)}], { stdout() {}, stderr() {} }).then((code) => {`,
      '  const loaded = Object.keys(require.cache).map((f) => f.slice(process.cwd().length + 1));',
      '  const builtins = process.moduleLoadList.filter((m) => !before.has(m));',
      '  fs.writeSync(1, JSON.stringify({ code, loaded, builtins }));',
      '});',
    ].join('\n');
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const { code, loaded, builtins } = JSON.parse(r.stdout) as { code: number; loaded: string[]; builtins: string[] };
    expect(code).toBe(0);
    expect(loaded.filter((f) => f.startsWith('dist/src/cli/commands/'))).toEqual(['dist/src/cli/commands/index.js', 'dist/src/cli/commands/validate.js']);
    expect(loaded.filter((f) => f.startsWith('node_modules/'))).toEqual(['node_modules/js-yaml/dist/js-yaml.cjs.js']);
    expect(builtins.filter((m) => /child_process|stream/.test(m))).toEqual([]);
  });
});
