/** The help renderer (src/cli/args/help.ts): on a small program, then on the real one through main(). */
import { describe, expect, it } from 'vitest';
import { renderHelp } from '../../src/cli/args/help';
import { defineCommand, defineGroup } from '../../src/cli/args/spec';
import { PWSH_PATH_ENV } from '../../src/exchange/runner';
import { runCli } from './run-cli';

const ship = defineCommand({
  name: 'ship',
  description: 'ship files to the servers named, one after the other, and say for each one whether it arrived: exit 0 all arrived, 2 error',
  arguments: [
    { name: 'file', description: 'files to ship' },
    { name: 'more', description: 'more files', optional: true, variadic: true },
  ],
  options: {
    format: { short: 'f', value: 'format', description: 'output format', choices: ['text', 'json'], default: 'text' },
    limit: { value: 'n', description: 'at most this many', parse: Number, default: 50 },
    state: { value: 'path', description: 'state file', required: true },
    progress: { description: 'report progress', negation: 'never report progress' },
  },
  run: async () => 0,
});
const sim = defineGroup({ name: 'sim', description: 'simulator', subcommands: [ship, defineCommand({ name: 'bare', description: 'nothing to set', run: async () => 0 })] });
const root = defineGroup({ name: 'tool', description: 'a tool', options: { debug: { description: 'stack traces' } }, subcommands: [ship, sim] });

describe('renderHelp', () => {
  it('a command: usage, description wrapped at 80 columns, arguments, options with choices, defaults, required, negation', () => {
    expect(renderHelp([root, ship])).toBe(
      [
        'Usage: tool ship [options] <file> [more...]',
        '',
        'ship files to the servers named, one after the other, and say for each one',
        'whether it arrived: exit 0 all arrived, 2 error',
        '',
        'Arguments:',
        '  file                   files to ship',
        '  more                   more files',
        '',
        'Options:',
        '  -f, --format <format>  output format (choices: "text", "json", default:',
        '                         "text")',
        '  --limit <n>            at most this many (default: 50)',
        '  --state <path>         state file (required)',
        '  --progress             report progress',
        '  --no-progress          never report progress',
        '  -h, --help             display help for command',
        '',
      ].join('\n'),
    );
  });

  it('a group: its commands with what they take, and the help command', () => {
    expect(renderHelp([root, sim])).toBe(
      [
        'Usage: tool sim [options] [command]',
        '',
        'simulator',
        '',
        'Options:',
        '  -h, --help                       display help for command',
        '',
        'Commands:',
        '  ship [options] <file> [more...]  ship files to the servers named, one after',
        '                                   the other, and say for each one whether it',
        '                                   arrived: exit 0 all arrived, 2 error',
        '  bare                             nothing to set',
        '  help [command]                   display help for command',
        '',
      ].join('\n'),
    );
  });

  it('the program: its global options and commands', () => {
    expect(renderHelp([root])).toBe(
      [
        'Usage: tool [options] [command]',
        '',
        'a tool',
        '',
        'Options:',
        '  --debug                          stack traces',
        '  -h, --help                       display help for command',
        '',
        'Commands:',
        '  ship [options] <file> [more...]  ship files to the servers named, one after',
        '                                   the other, and say for each one whether it',
        '                                   arrived: exit 0 all arrived, 2 error',
        '  sim                              simulator',
        '  help [command]                   display help for command',
        '',
      ].join('\n'),
    );
  });
});

describe('mailpolicy --help', () => {
  it('--help and help: every command, exit 0 on stdout', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const r = await runCli(argv);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Usage: mailpolicy \[options\] \[command\]\n\nExchange mail-protocol policy as code: validate, check, plan, drift, export\.\n\nOptions:\n {2}-V, --version +output the version number\n {2}--debug +print stack traces of internal errors\n {2}-h, --help +display help for command\n\nCommands:\n/);
      const commands = r.stdout.split('Commands:\n')[1]?.split('\n').filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(/\s{2,}/)[0]);
      expect(commands).toEqual(['validate [options] <file...>', 'check [options] <file...>', 'endpoints [options] <file>', 'drift [options] <file>', 'plan [options] <file>', 'apply [options] <file>', 'export [options]', 'sim', 'init [options]', 'help [command]']);
    }
  });

  it('mailpolicy alone: the same help on stderr, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe((await runCli(['--help'])).stdout);
  });

  it('a command: its arguments, options, choices and defaults', async () => {
    const r = await runCli(['drift', '--help']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    expect(text).toContain('Usage: mailpolicy drift [options] <file>');
    expect(text).toContain('Arguments: file MailPolicy YAML file');
    expect(text).toContain('-f, --format <format> text (terminals, CI logs), markdown (job summaries, tickets), json (alerting), sarif (code scanning) (choices: "text", "json", "markdown", "sarif", default: "text")');
    expect(text).toContain('--limit <n> text/markdown: drifted settings shown per resource, 0 = all (json and sarif list all) (default: 50)');
    expect(text).toContain('--backend <kind> where the organisation is: the built-in simulator or Exchange through PowerShell (choices: "simulator", "powershell", default: "simulator")');
    expect(text).toContain('--certificate-file <path> PowerShell, Exchange Online: app-only sign-in, a .pfx file (password in $MAILPOLICY_CERTIFICATE_PASSWORD)');
    // The default the runner really uses: its environment variable first.
    expect(text).toContain(`--pwsh <path> PowerShell: the PowerShell 7 executable (default: $${PWSH_PATH_ENV}, else pwsh on PATH)`);
    expect(r.stdout.split('\n').every((line) => line.length <= 80)).toBe(true);
  });

  it('export shows --progress and --no-progress; sim and its commands have their own help', async () => {
    expect((await runCli(['export', '--help'])).stdout).toMatch(/\n {2}--progress +report progress on stderr \(default: only when\n +stderr is a terminal\)\n {2}--no-progress +never report progress\n/);
    const group = await runCli(['sim', '--help']);
    expect(group.stdout).toMatch(/^Usage: mailpolicy sim \[options\] \[command\]\n/);
    expect(group.stdout).toMatch(/\n {2}invoke \[options\] <cmdlet> \[parameters\.\.\.\] +run one catalog cmdlet/);
    const init = await runCli(['sim', 'init', '--help']);
    expect(init.stdout).toMatch(/^Usage: mailpolicy sim init \[options\]\n/);
    expect(init.stdout.replace(/\s+/g, ' ')).toContain('--platform <platform> Exchange Online or Exchange Server (choices: "exchangeOnline", "exchangeServer", required)');
    expect((await runCli(['help', 'sim', 'init'])).stdout).toBe(init.stdout);
    const sim = await runCli(['sim']);
    expect({ code: sim.code, stderr: sim.stderr }).toEqual({ code: 2, stderr: group.stdout });
  });
});
