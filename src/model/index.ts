/** The model layer: load and validate MailPolicy documents into the normalised model. */
export { loadPolicyFile, loadPolicyText, type LoadResult } from './load';
export { formatProblem, compareProblems, type Problem } from './problem';
export { LOAD_LIMITS } from './limits';
export { parseConnectionSetting, formatConnectionSetting, parseBinding, certificateCoversHost } from './connection-setting';
export type { ConnectionSetting, Binding, Encryption } from './connection-setting';
export { parseTimeSpan, formatTimeSpan, checkTimeout, TIMEOUT_RANGE } from './timespan';
