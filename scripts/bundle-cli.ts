/**
 * Bundles the compiled command line (dist/src/cli/main.js and everything it can load) into one
 * file, dist/cli/mailpolicy.js, which bin/mailpolicy.js runs. A one-file `validate` or `check`
 * is mostly Node start-up: resolving and reading ~60 small modules costs more than the work, and
 * one file with V8's compile cache removes that. Modules still evaluate only when first
 * required, so `validate` does not pay for the simulator or the planner.
 * Run by `npm run build` after tsc; the unbundled dist/src/ stays for the library and tests.
 */
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { packageRoot } from '../src/package-root';

export function bundleCli(root: string = packageRoot()): string {
  const outfile = path.join(root, 'dist', 'cli', 'mailpolicy.js');
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [path.join(root, 'dist', 'src', 'cli', 'main.js')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    // Stack traces under --debug name the TypeScript sources.
    sourcemap: 'linked',
    // Less to read and compile at every start; names stay, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    logLevel: 'warning',
  });
  if (result.errors.length > 0) throw new Error(`bundling the CLI failed: ${result.errors.map((e) => e.text).join('; ')}`);
  return outfile;
}

if (require.main === module) {
  const outfile = bundleCli();
  process.stdout.write(`bundled the CLI into ${path.relative(process.cwd(), outfile)}\n`);
}
