/** The CLI as a real child process: `node bin/mailpolicy.js …` (after `npm run build`), as a pipeline runs it. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { CliRun } from './run-cli';

const BIN = path.resolve(__dirname, '../../bin/mailpolicy.js');

export function runCliProcess(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): CliRun {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
