/** Tests that need a document that must load: any problem fails the test with its FILE:LINE:COL message. */
import { formatProblem, loadPolicyFile, type LoadResult } from '../../src/model/load';
import type { LoadedPolicy } from '../../src/model/types';

/** The loaded document of a LoadResult, or an error listing every problem. */
export function loadedOrThrow(result: LoadResult): LoadedPolicy {
  if (!result.ok) throw new Error(result.problems.map(formatProblem).join('\n'));
  return result.loaded;
}

/** Loads `file`; an error listing every problem when it does not load. */
export function loadOrThrow(file: string): LoadedPolicy {
  return loadedOrThrow(loadPolicyFile(file));
}
