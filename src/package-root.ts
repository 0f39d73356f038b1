/**
 * Where the mailpolicy package's own files are (package.json, schema/, powershell/), from
 * wherever this code runs: src/ under vitest or ts-node, dist/src/ compiled, or dist/cli/ as
 * the bundled command line. The package is found by its name, not by counting directories,
 * so moving a module (or bundling it) cannot break the lookup.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'mailpolicy';

interface PackageManifest {
  readonly name?: string;
  readonly version?: string;
}

let found: { readonly root: string; readonly manifest: PackageManifest } | undefined;

function locate(): { readonly root: string; readonly manifest: PackageManifest } {
  if (found) return found;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as PackageManifest;
      if (manifest.name === PACKAGE_NAME) {
        found = { root: dir, manifest };
        return found;
      }
    }
    if (dirname(dir) === dir) throw new Error(`the ${PACKAGE_NAME} package.json was not found above ${__dirname}`);
  }
}

/** The package's root directory. */
export function packageRoot(): string {
  return locate().root;
}

/** A file or directory of the package, e.g. `packagePath('schema', 'mailpolicy.schema.json')`. */
export function packagePath(...segments: readonly string[]): string {
  return join(packageRoot(), ...segments);
}

/** The version in the package's package.json. */
export function packageVersion(): string {
  return locate().manifest.version ?? '0.0.0';
}
