/** Public API of the mailpolicy package. */
export * from './model/types';
export { loadPolicyFile, loadPolicyText, formatProblem, type LoadResult, type Problem } from './model/load';
export { clientEndpoints, cloudEndpoints, onPremisesEndpoints, type ClientEndpoint, type ClientEncryption } from './endpoints';
export { checkDrift } from './drift/check';
export { exportOrganisation } from './export/export';
