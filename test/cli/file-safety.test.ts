/**
 * What the CLI writes and reads, through the built CLI as a process: export's --output and the
 * simulator's state file are replaced only when they are regular files (and, for --output, only
 * with --force, keeping the mode), never the simulator state in use; `-o -` is stdout; a FIFO
 * (or any other non-regular file) as a document or --state is refused at once instead of
 * blocking forever; temp files left by a killed run are cleaned.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './cli-process';
import { tempDir, writeOrg } from '../simulator/helpers';

const ONLINE = path.resolve(__dirname, '../fixtures/drift/online.mailpolicy.yaml');
/** No rule violation: `apply` refuses a document with an unwaived mandatory one before it writes. */
const COMPLIANT = path.resolve(__dirname, '../fixtures/trust/online.mailpolicy.yaml');

/** A command that blocks on a FIFO is killed at the timeout, and its status is null. */
const mailpolicy = (args: readonly string[], timeoutMs = 20_000) => runCliProcess(args, { timeoutMs });

function fifo(dir: string, name: string): string {
  const file = path.join(dir, name);
  const made = spawnSync('mkfifo', [file]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${String(made.stderr)}`);
  return file;
}

const isFifo = (file: string): boolean => fs.lstatSync(file).isFIFO();

describe('export --output', () => {
  it('refuses a FIFO, a directory or a symbolic link as the output: exit 2, nothing replaced, no temp file left', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const dir = tempDir();
    const pipe = fifo(dir, 'out.fifo');
    const folder = path.join(dir, 'folder');
    fs.mkdirSync(folder);
    const link = path.join(dir, 'link.yaml');
    fs.symlinkSync(path.join(dir, 'elsewhere.yaml'), link);
    for (const [target, kind] of [
      [pipe, 'a FIFO'],
      [folder, 'a directory'],
      [link, 'a symbolic link'],
    ] as const) {
      const run = mailpolicy(['export', '--state', state, '--output', target, '--force']);
      expect(run.stdout, target).toBe('');
      expect(run.stderr, target).toBe(`backend: simulator (state: ${state})\nmailpolicy export: ${target} is not a regular file (${kind}): not replacing it (write to stdout with -o -)\n`);
      expect(run.status, target).toBe(2);
    }
    expect(isFifo(pipe)).toBe(true);
    expect(fs.statSync(folder).isDirectory()).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['folder', 'link.yaml', 'out.fifo']);
  });

  it('-o - writes the document to stdout', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const run = mailpolicy(['export', '--state', state, '-o', '-']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('organization: contoso.onmicrosoft.com');
    expect(run.stderr).toContain('exported contoso.onmicrosoft.com: 2 mailbox(es)');
  });

  it('an existing file is replaced only with --force, and keeps its mode', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const dir = tempDir();
    const out = path.join(dir, 'exported.yaml');
    fs.writeFileSync(out, 'keep me\n');
    fs.chmodSync(out, 0o640);
    const refused = mailpolicy(['export', '--state', state, '--output', out]);
    expect(refused.stderr).toBe(`backend: simulator (state: ${state})\nmailpolicy export: ${out} already exists (use --force to overwrite it)\n`);
    expect(refused.status).toBe(2);
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me\n');
    const forced = mailpolicy(['export', '--state', state, '--output', out, '--force']);
    expect(forced.status).toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toContain('organization: contoso.onmicrosoft.com');
    expect(fs.statSync(out).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['exported.yaml']);
  });

  it('never writes over the simulator state in use, however the path is spelt, even with --force', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const before = fs.readFileSync(state, 'utf8');
    const alias = path.join(path.dirname(state), '.', 'hardlink.json');
    fs.linkSync(state, alias);
    for (const output of [path.join(path.dirname(state), '.', path.basename(state)), alias]) {
      const run = mailpolicy(['export', '--state', state, '--output', output, '--force']);
      expect(run.stderr, output).toBe(`backend: simulator (state: ${state})\nmailpolicy export: ${output} is the simulator state in use (--state ${state}): not overwriting it\n`);
      expect(run.status, output).toBe(2);
    }
    expect(fs.readFileSync(state, 'utf8')).toBe(before);
  });
});

describe('check --output', () => {
  it('replaces a report file (keeping its mode) but refuses a FIFO at once, which it used to block on', () => {
    const dir = tempDir();
    const report = path.join(dir, 'report.sarif');
    fs.writeFileSync(report, 'old report');
    fs.chmodSync(report, 0o600);
    const replaced = mailpolicy(['check', ONLINE, '--format', 'sarif', '--output', report]);
    // (1: the fixture has mandatory findings; what matters is where the report went.)
    expect(replaced).toMatchObject({ status: 1, stdout: '', stderr: '' });
    expect(JSON.parse(fs.readFileSync(report, 'utf8'))).toMatchObject({ version: '2.1.0' });
    expect(fs.statSync(report).mode & 0o777).toBe(0o600);
    const pipe = fifo(dir, 'report.fifo');
    const refused = mailpolicy(['check', ONLINE, '--output', pipe], 10_000);
    expect(refused.stderr).toBe(`mailpolicy: cannot write --output ${pipe}: ${pipe} is not a regular file (a FIFO): not replacing it (leave out --output for stdout)\n`);
    expect(refused.status).toBe(2);
    expect(fs.readdirSync(dir).sort()).toEqual(['report.fifo', 'report.sarif']);
  });
});

describe('inputs that are not regular files', () => {
  it('a FIFO as the document: exit 2 "not a regular file" at once, for validate, check and plan', () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const pipe = fifo(tempDir(), 'doc.yaml');
    for (const args of [['validate', pipe], ['check', pipe], ['plan', pipe, '--state', state]]) {
      const run = mailpolicy(args, 10_000);
      expect(run.stderr, args[0]).toContain(`${pipe}: cannot read file: not a regular file (a FIFO)`);
      expect(run.status, args[0]).toBe(2);
    }
  });

  it('a FIFO as --state: exit 2 "not a regular file" at once, for plan, export and sim', () => {
    const pipe = fifo(tempDir(), 'org.json');
    for (const args of [
      ['plan', ONLINE, '--state', pipe],
      ['export', '--state', pipe],
      ['sim', 'show', '--state', pipe],
      ['sim', 'faults', '--state', pipe, '--clear'],
    ]) {
      const run = mailpolicy(args, 10_000);
      expect(run.stderr, args.join(' ')).toContain(`${pipe}: not a regular file (a FIFO)`);
      expect(run.status, args.join(' ')).toBe(2);
    }
    expect(isFifo(pipe)).toBe(true);
  });
});

describe('the simulator state file', () => {
  it('sim init --force refuses to replace a FIFO; without --force an existing file stays; with it, the mode stays', () => {
    const dir = tempDir();
    const pipe = fifo(dir, 'org.json');
    const run = mailpolicy(['sim', 'init', '--platform', 'exchangeOnline', '--state', pipe, '--force']);
    expect(run.stderr).toBe(`mailpolicy sim init: ${pipe} is not a regular file (a FIFO): not replacing it\n`);
    expect(run.status).toBe(2);
    expect(isFifo(pipe)).toBe(true);
    expect(fs.readdirSync(dir)).toEqual(['org.json']);

    const file = path.join(dir, 'real.json');
    expect(mailpolicy(['sim', 'init', '--platform', 'exchangeOnline', '--state', file]).status).toBe(0);
    fs.chmodSync(file, 0o600);
    const again = mailpolicy(['sim', 'init', '--platform', 'exchangeServer', '--state', file]);
    expect(again.stderr).toBe(`mailpolicy sim init: ${file} already exists (use --force to overwrite it)\n`);
    expect(again.status).toBe(2);
    expect(mailpolicy(['sim', 'init', '--platform', 'exchangeServer', '--state', file, '--force']).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('"exchangeServer"');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a write removes the temp files and lock claims a killed run left beside the state, and only those', () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2 });
    const dir = path.dirname(state);
    const hourAgo = new Date(Date.now() - 3_600_000);
    const staleTemp = path.join(dir, '.org.json.0123456789abcdef.tmp');
    const staleClaim = path.join(dir, 'org.json.lock.claim.999999.abc123');
    const freshTemp = path.join(dir, '.org.json.fedcba9876543210.tmp');
    const unrelated = path.join(dir, '.other.json.0123456789abcdef.tmp');
    for (const file of [staleTemp, staleClaim, unrelated]) {
      fs.writeFileSync(file, 'left by a killed run');
      fs.utimesSync(file, hourAgo, hourAgo);
    }
    fs.writeFileSync(freshTemp, 'another writer, right now');
    const run = mailpolicy(['apply', COMPLIANT, '--state', state]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.org.json.fedcba9876543210.tmp', '.other.json.0123456789abcdef.tmp', 'org.json']);
  });
});
