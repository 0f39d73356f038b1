/**
 * Tests that run compiled code (the provider plugin, the policy pack, the Pulumi program) must not
 * silently run an old build: every source `npm run build` compiles for them has to be older than
 * its own output in dist/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../src/package-root';

/** The folders whose compiled output the plugin, the pack and the program load (see tsconfig.json). */
export const COMPILED_SOURCE_DIRS = ['src', 'providers', 'policies', 'program'] as const;

/** The package entry (package.json `main`), compiled from the root beside those folders. */
export const COMPILED_ROOT_FILES = ['index.ts'] as const;

function typeScriptFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : typeScriptFiles(full);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Sources whose dist/ output is missing or older than they are, relative to the package root. */
export function staleSources(root: string = packageRoot()): string[] {
  const stale: string[] = [];
  const rootFiles = COMPILED_ROOT_FILES.map((file) => path.join(root, file)).filter((file) => fs.existsSync(file));
  for (const source of [...rootFiles, ...COMPILED_SOURCE_DIRS.flatMap((dir) => typeScriptFiles(path.join(root, dir)))]) {
    const relative = path.relative(root, source);
    const output = path.join(root, 'dist', relative.replace(/\.ts$/, '.js'));
    if (!fs.existsSync(output) || fs.statSync(source).mtimeMs > fs.statSync(output).mtimeMs) stale.push(relative);
  }
  return stale;
}

/** Fails clearly, naming a source, when dist/ is missing or older than any source it is compiled from. */
export function assertBuildCurrent(root: string = packageRoot()): void {
  const stale = staleSources(root);
  if (stale.length === 0) return;
  const more = stale.length > 1 ? ` (and ${stale.length - 1} more)` : '';
  throw new Error(`dist/ is missing or older than ${stale[0]}${more}: run \`npm run build\` first (npm test does)`);
}
