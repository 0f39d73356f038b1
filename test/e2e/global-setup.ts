/**
 * Once per `npm run test:e2e`: finds (or builds, the first time on a machine) the Pulumi engine
 * and hands its directory to the test files. A missing engine fails the tier with the engine
 * script's own instructions; it is never skipped.
 */
import type { TestProject } from 'vitest/node';
import { engineBinDir } from '../../scripts/pulumi-env';
import { assertBuildCurrent } from '../support/build-current';

declare module 'vitest' {
  export interface ProvidedContext {
    engineBin: string;
  }
}

export default function setup(project: TestProject): void {
  // The engine runs the compiled program, providers and pack: never an old build of them.
  assertBuildCurrent();
  const started = Date.now();
  const binDir = engineBinDir();
  process.stderr.write(`e2e: Pulumi engine from ${binDir} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  project.provide('engineBin', binDir);
}
