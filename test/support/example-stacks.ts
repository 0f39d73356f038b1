/**
 * The example organisations under stacks/: read from the folder, so a new example is tested
 * everywhere the examples are, instead of being left out of a hand-kept list.
 */
import * as fs from 'node:fs';
import { packagePath } from '../../src/package-root';

const SUFFIX = '.mailpolicy.yaml';

/** Stack names, one per stacks/<name>.mailpolicy.yaml, in name order. */
export const EXAMPLE_STACKS: readonly string[] = fs
  .readdirSync(packagePath('stacks'))
  .filter((f) => f.endsWith(SUFFIX))
  .map((f) => f.slice(0, -SUFFIX.length))
  .sort();

/** The absolute path of an example's document. */
export function exampleFile(stack: string): string {
  return packagePath('stacks', `${stack}${SUFFIX}`);
}
