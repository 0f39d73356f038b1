/**
 * Once per `npm run test:e2e`: finds (or builds, the first time on a machine) the Pulumi engine
 * and hands its directory to the test files. A missing engine fails the tier with the engine
 * script's own instructions; it is never skipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TestProject } from 'vitest/node';
import { engineBinDir } from '../../scripts/pulumi-env';
import { packageRoot } from '../../src/package-root';

declare module 'vitest' {
  export interface ProvidedContext {
    engineBin: string;
  }
}

export default function setup(project: TestProject): void {
  const root = packageRoot();
  for (const built of ['dist/program/index.js', 'dist/providers/runtime.js', 'dist/policies/index.js']) {
    if (!fs.existsSync(path.join(root, built))) throw new Error(`${built} is missing: run the engine tier with \`npm run test:e2e\` (it builds first)`);
  }
  const started = Date.now();
  const binDir = engineBinDir();
  process.stderr.write(`e2e: Pulumi engine from ${binDir} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  project.provide('engineBin', binDir);
}
