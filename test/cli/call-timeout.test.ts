/**
 * No command exits 0 unless its work completed (issue 11, item 1), through the built CLI as a
 * real process: a call that never answers fails after the call timeout naming its cmdlet, and a
 * command whose promise can never settle ends with exit 2, not with Node's 0 when it runs out of
 * work.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { assertBuildCurrent } from '../support/build-current';
import { tempDir, writeOrg } from '../simulator/helpers';

const ROOT = path.resolve(__dirname, '../..');
const DOCUMENT = path.join(ROOT, 'stacks/contoso-worldwide.mailpolicy.yaml');

beforeAll(() => assertBuildCurrent());

describe('a call that never answers (simulator `hang` fault)', () => {
  const commands: [string, string[]][] = [
    ['drift', ['drift', DOCUMENT]],
    ['plan', ['plan', DOCUMENT]],
    ['apply', ['apply', DOCUMENT]],
    ['export', ['export', '--output', 'OUT']],
  ];

  it.each(commands)('%s: exit 2 after --call-timeout, naming the cmdlet; nothing written', (name, args) => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 3 }, (s) => {
      s.faults = [{ kind: 'hang', cmdlet: 'Get-TransportConfig', times: 1_000_000 }];
    });
    const before = fs.readFileSync(state, 'utf8');
    const out = path.join(tempDir(), 'exported.yaml');
    const run = runCliProcess([...args.map((a) => (a === 'OUT' ? out : a)), '--state', state, '--call-timeout', '1']);
    expect(run.stderr).toContain(
      `mailpolicy ${name}: Get-TransportConfig: no answer within 1 s (the call timeout; set it with --call-timeout or mailpolicy:callTimeoutSeconds): the simulated call (a \`hang\` fault) was abandoned\n`,
    );
    expect(run.status).toBe(2);
    expect(run.ms).toBeLessThan(20_000);
    expect(fs.readFileSync(state, 'utf8')).toBe(before);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('--call-timeout', () => {
  it.each(['0', '-1', '1.5', '1e3', 'soon', '86401', ''])('%j is a usage error (exit 2) before anything is read', (value) => {
    const state = writeOrg({ platform: 'exchangeOnline' }, (s) => {
      // A read that happens anyway fails the run with another message.
      s.faults = [{ kind: 'permanent', times: 1_000_000, message: 'unexpected call' }];
    });
    const run = runCliProcess(['drift', DOCUMENT, '--state', state, `--call-timeout=${value}`]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`mailpolicy: --call-timeout must be a whole number of seconds from 1 to 86400, not ${value === '' ? '""' : value}\n(run with --help for usage)\n`);
  });

  it('is offered by every command that talks to Exchange', () => {
    for (const command of ['plan', 'apply', 'drift', 'export']) {
      const help = runCliProcess([command, '--help']);
      expect(help.stdout, command).toMatch(/--call-timeout <seconds>\s+the longest one cmdlet may take/);
    }
  });
});

/** Runs one command, `run` being its run function's source, through runAsProcess in a plain Node process. */
function asProcess(run: string, io = 'undefined'): { status: number | null; stderr: string } {
  const script = [
    "const { defineCommand } = require('./dist/src/cli/args/spec.js');",
    `const command = defineCommand({ name: 'cmd', description: 'a test command', run: ${run} });`,
    `require('./dist/src/cli/main.js').runAsProcess(['cmd'], ${io}, [command]);`,
  ].join('\n');
  const child = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { status: child.status, stderr: child.stderr };
}

describe('the process', () => {
  it('exits 2 with one line on stderr when a command waits on something that can never happen', () => {
    // A promise that never settles and keeps nothing alive: Node would end with 0.
    expect(asProcess('() => new Promise(() => {})')).toEqual({
      status: 2,
      stderr: 'mailpolicy: internal error: the command stopped before its work completed (it waited on something that can never happen); nothing was reported as done\n',
    });
  });

  it('exits with the command’s own status when it completes', () => {
    expect(asProcess('() => new Promise((resolve) => setTimeout(() => resolve(1), 50))')).toEqual({ status: 1, stderr: '' });
  });

  it('exits 2 when the command fails', () => {
    expect(asProcess("() => new Promise((_, reject) => setTimeout(() => reject(new Error('boom')), 50))")).toEqual({ status: 2, stderr: 'mailpolicy: boom\n' });
  });

  it('an internal error (the command runner itself failed) is one line, its control characters escaped', () => {
    // The first write to stderr fails with a message carrying a terminal escape, a CI command on
    // a line of its own and a bidi override: main rejects, and runAsProcess reports that.
    const io = `(() => { let failed = false; return { stdout: (t) => process.stdout.write(t), stderr: (t) => { if (!failed) { failed = true; throw new Error('disk \\u001b[2J\\n::error::forged \\u202e'); } process.stderr.write(t); } }; })()`;
    expect(asProcess("() => Promise.reject(new Error('boom'))", io)).toEqual({
      status: 2,
      stderr: 'mailpolicy: internal error: disk \\u001b[2J\\n::error::forged \\u202e\n',
    });
  });
});
