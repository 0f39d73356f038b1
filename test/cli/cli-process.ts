/** The CLI as a real child process: `node bin/mailpolicy.js …` (after `npm run build`), as a pipeline runs it. */
import { spawnSync } from 'node:child_process';
import { packagePath } from '../../src/package-root';
import type { CliRun } from './run-cli';

export function runCliProcess(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const r = spawnSync(process.execPath, [packagePath('bin', 'mailpolicy.js'), ...argv], { encoding: 'utf8', env, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
