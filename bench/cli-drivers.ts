/**
 * A second way to run the CLI in the start-up benchmarks: the unbundled modules under
 * dist/src/cli (what the library and the tests load), with the compile cache on as
 * bin/mailpolicy.js has it. Set beside the shipped bundle it shows what bundling buys.
 */
import * as path from 'node:path';

export function unbundledCliDriver(root: string, args: readonly string[]): string {
  return [
    "require('node:module').enableCompileCache?.();",
    `require(${JSON.stringify(path.join(root, 'dist', 'src', 'cli', 'main.js'))}).main(${JSON.stringify(args)}).then((code) => { process.exitCode = code; });`,
  ].join('\n');
}
