import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../src/package-root';
import { EXAMPLE_STACKS, exampleFile } from './example-stacks';

describe('the example stacks the tests iterate over', () => {
  it('are every stacks/*.mailpolicy.yaml, and each has its Pulumi stack config', () => {
    expect(EXAMPLE_STACKS.length).toBeGreaterThanOrEqual(4);
    for (const stack of EXAMPLE_STACKS) {
      expect(fs.existsSync(exampleFile(stack)), exampleFile(stack)).toBe(true);
      expect(fs.existsSync(packagePath('stacks', `Pulumi.${stack}.yaml`)), `stacks/Pulumi.${stack}.yaml`).toBe(true);
    }
    const configs = fs.readdirSync(packagePath('stacks')).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.slice(1) ?? []);
    expect([...configs].sort()).toEqual([...EXAMPLE_STACKS]);
  });
});
