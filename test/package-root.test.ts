import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packagePath, packageRoot, packageVersion } from '../src/package-root';

describe('package root', () => {
  const manifest = join(dirname(__dirname), 'package.json');

  it('is the directory of the package.json named mailpolicy', () => {
    expect(packageRoot()).toBe(dirname(manifest));
    expect(packagePath('schema', 'mailpolicy.schema.json')).toBe(join(dirname(manifest), 'schema', 'mailpolicy.schema.json'));
  });

  it('reads the version from that package.json', () => {
    expect(packageVersion()).toBe((JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version);
  });
});
