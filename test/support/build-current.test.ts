import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertBuildCurrent, COMPILED_SOURCE_DIRS, staleSources } from './build-current';

describe('the "is dist/ current?" guard', () => {
  let root: string;
  const write = (file: string, when: number): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
    fs.utimesSync(path.join(root, file), when, when);
  };
  const built = 1_700_000_000;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-build-current-'));
    for (const dir of COMPILED_SOURCE_DIRS) {
      write(`${dir}/deep/nested/module.ts`, built - 10);
      write(`dist/${dir}/deep/nested/module.js`, built);
    }
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('passes when every output is at least as new as its source', () => {
    expect(staleSources(root)).toEqual([]);
    expect(() => assertBuildCurrent(root)).not.toThrow();
  });

  it.each(['index.ts', 'program/main.ts', 'src/model/load.ts', 'src/rules/some-rule.ts', 'src/endpoints/probe.ts', 'providers/plugin/entry.ts', 'policies/index.ts'])(
    'names %s when it was edited after the build',
    (source) => {
      write(source, built - 10);
      write(`dist/${source.replace(/\.ts$/, '.js')}`, built);
      write(source, built + 5);
      expect(staleSources(root)).toEqual([source]);
      expect(() => assertBuildCurrent(root)).toThrow(`older than ${source}: run \`npm run build\``);
    },
  );

  it('names a source that has no output yet', () => {
    write('src/new-module.ts', built - 10);
    expect(staleSources(root)).toEqual(['src/new-module.ts']);
  });

  it('counts the other stale sources in its message', () => {
    write('program/index.ts', built + 5);
    write('src/a.ts', built + 5);
    expect(() => assertBuildCurrent(root)).toThrow(/\(and 1 more\)/);
  });

  it('ignores declaration files and other folders', () => {
    write('src/types.d.ts', built + 5);
    write('test/whatever.ts', built + 5);
    expect(staleSources(root)).toEqual([]);
  });
});
