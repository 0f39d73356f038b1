/**
 * Exit status, the same for every command:
 * 0 = nothing to report; 1 = the command found what it exists to find (an invalid document,
 * a mandatory violation, pending changes, drift); 2 = it could not do its job (usage error,
 * unreadable file, Exchange error).
 */
export const EXIT_OK = 0;
export const EXIT_FOUND = 1;
export const EXIT_ERROR = 2;
export type ExitCode = typeof EXIT_OK | typeof EXIT_FOUND | typeof EXIT_ERROR;

/** An error the CLI reports as one clean line (no stack trace) with exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
