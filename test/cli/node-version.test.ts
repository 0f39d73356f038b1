/**
 * bin/mailpolicy.js on a Node.js older than package.json's `engines.node`: one line saying what
 * it found and what it needs, exit 2, before the CLI bundle (built for Node 22) is loaded.
 *
 * The old Node is simulated: a `--require` preload makes process.versions report 20.11.1 and
 * records every module the process loads, and the real bin runs in a real process. (A real Node
 * 20 from the npm registry would be an `npm:node@20` alias, whose `node` bin collides with the
 * pinned Node 24 in node_modules/.bin and which downloads a second 40 MB runtime in every
 * `npm ci`.) That the bin still *parses* on old Node is checked by parsing it as ECMAScript 5.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Linter } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'mailpolicy.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-node-version-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A preload that makes this Node report `version` and appends every loaded file to `loaded`. */
function pretendNode(version: string, loaded: string): string {
  const file = path.join(dir, `node-${version}.cjs`);
  fs.writeFileSync(
    file,
    `'use strict';
Object.defineProperty(process.versions, 'node', { value: ${JSON.stringify(version)} });
Object.defineProperty(process, 'version', { value: ${JSON.stringify(`v${version}`)} });
const fs = require('node:fs');
const Module = require('node:module');
const load = Module._load;
Module._load = function (request) {
  fs.appendFileSync(${JSON.stringify(loaded)}, request + '\\n');
  return load.apply(this, arguments);
};
`,
  );
  return file;
}

let runs = 0;
function runAs(version: string, args: readonly string[]): { status: number | null; stdout: string; stderr: string; loaded: string[] } {
  const loaded = path.join(dir, `loaded-${version}-${++runs}.txt`);
  const run = spawnSync(process.execPath, ['--require', pretendNode(version, loaded), BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  const modules = fs.existsSync(loaded) ? fs.readFileSync(loaded, 'utf8').split('\n').filter(Boolean) : [];
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, loaded: modules };
}

const required = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;

describe('bin/mailpolicy.js on an older Node.js', () => {
  it('Node 20: one line naming the version found and the one needed, exit 2, the CLI never loaded', () => {
    expect(required).toBe('>=22');
    const run = runAs('20.11.1', ['validate', 'stacks/contoso-worldwide.mailpolicy.yaml']);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`mailpolicy: Node.js 22 or later is required (package.json engines: >=22); this is Node.js 20.11.1 (${process.execPath})\n`);
    expect(run.status).toBe(2);
    expect(run.loaded.filter((m) => m.includes('dist'))).toEqual([]);
  });

  it('Node 21.7 is still too old; Node 22.0 runs the command', () => {
    expect(runAs('21.7.3', ['--version'])).toMatchObject({ status: 2, stdout: '', stderr: expect.stringContaining('this is Node.js 21.7.3') });
    const current = runAs('22.0.0', ['--version']);
    expect(current).toMatchObject({ status: 0, stderr: '' });
    expect(current.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('parses as ECMAScript 5, so the check is reached on any Node that can start it', () => {
    const messages = new Linter().verify(fs.readFileSync(BIN, 'utf8'), [{ languageOptions: { ecmaVersion: 5, sourceType: 'script' } }]);
    expect(messages.filter((m) => m.fatal === true)).toEqual([]);
  });
});
