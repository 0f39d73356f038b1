/**
 * The project directory (where Pulumi.yaml is): relative paths in stack config start there.
 * The engine runs the program and the provider plugins in the directory of Pulumi.yaml's
 * `main`; this project's entry is at the root, and for a `main` in a subdirectory the nearest
 * Pulumi.yaml above is the project.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function projectDir(start: string = process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'Pulumi.yaml')) || fs.existsSync(path.join(dir, 'Pulumi.yml'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start);
  }
}
