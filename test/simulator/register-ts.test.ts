/** The TypeScript loader of the stand-in pwsh caches its output per compiler and options, not per source alone. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const TS_VERSION = (JSON.parse(readFileSync(join(ROOT, 'node_modules', 'typescript', 'package.json'), 'utf8')) as { version: string }).version;

/** cacheKey results computed in a plain node process, where the require hook is meant to run. */
function keys(calls: readonly (readonly unknown[])[]): string[] {
  const script = `const { cacheKey } = require('./tools/register-ts'); process.stdout.write(JSON.stringify(${JSON.stringify(calls)}.map((args) => cacheKey(...args))));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
}

describe('tools/register-ts.js cache key', () => {
  it('changes with the TypeScript version and the compiler options, not only with the file', () => {
    const [same, again, otherSource, otherVersion, otherOptions] = keys([
      ['/x/a.ts', 'export const a = 1;'],
      ['/x/a.ts', 'export const a = 1;'],
      ['/x/a.ts', 'export const a = 2;'],
      ['/x/a.ts', 'export const a = 1;', '0.0.1'],
      ['/x/a.ts', 'export const a = 1;', TS_VERSION, { module: 'commonjs', target: 'es2017' }],
    ]);
    expect(same).toMatch(/^[0-9a-f]{64}$/);
    expect(again).toBe(same);
    expect(new Set([same, otherSource, otherVersion, otherOptions]).size).toBe(4);
  });
});
