/** The CLI in-process through main(), with what it wrote to stdout and stderr captured. */
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliCommand } from '../../src/cli/command';
import { main } from '../../src/cli/main';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// `apply` records restarts it owes in a state directory (docs/commands/apply.md): in-process runs use the tests' own.
process.env.MAILPOLICY_STATE_DIR ??= path.join(os.tmpdir(), `mailpolicy-test-state-${process.pid}`);

/** `commands`: register only these (what the command under test needs), as main() allows. */
export async function runCli(argv: readonly string[], commands?: readonly CliCommand[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) }, commands);
  return { code, stdout, stderr };
}
