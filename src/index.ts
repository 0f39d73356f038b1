/** Public API of the mailpolicy package. */
export * from './model/types';
export { loadPolicyFile, loadPolicyText, formatProblem, type LoadResult, type Problem } from './model/load';
