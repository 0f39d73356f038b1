/**
 * Loading a document for a command: the problems of one that does not load go to stderr, one
 * `FILE:LINE:COL: message` line each. The caller decides what follows (exit 2, or `check` going
 * on with the other files).
 */
import { formatProblem, loadPolicyFile, type LoadResult } from '../model/load';
import type { CliIO } from './command';

export function loadOrReport(file: string, io: CliIO): LoadResult {
  const result = loadPolicyFile(file);
  if (!result.ok) io.stderr(result.problems.map((p) => `${formatProblem(p)}\n`).join(''));
  return result;
}
