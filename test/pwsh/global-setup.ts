/**
 * Once per `npm run test:pwsh`: finds PowerShell (failing the tier, never skipping it, when
 * there is none), checks the build the stand-in bridge runs is current, and generates the
 * stand-in Exchange modules from Microsoft's reference into a temporary PSModulePath folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { assertBuildCurrent } from '../support/build-current';
import { findPwsh, pwshVersion } from '../../bench/find-pwsh';
import { writeStandInModules } from './stand-in-modules';

declare module 'vitest' {
  export interface ProvidedContext {
    pwsh: string;
    pwshVersion: string;
    standInModules: string;
  }
}

export default function setup(project: TestProject): () => void {
  const pwsh = findPwsh();
  const version = pwshVersion(pwsh);
  // The bridge runs the compiled simulator: never an old build of it.
  assertBuildCurrent();
  const dir = mkdtempSync(join(tmpdir(), 'mailpolicy-pwsh-modules-'));
  writeStandInModules(dir);
  process.stderr.write(`pwsh tier: PowerShell ${version} at ${pwsh}; stand-in modules in ${dir}\n`);
  project.provide('pwsh', pwsh);
  project.provide('pwshVersion', version);
  project.provide('standInModules', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
