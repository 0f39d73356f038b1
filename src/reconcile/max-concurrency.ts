/**
 * The most connections a run of mailbox changes may use at once: one definition for the
 * executor and for where a person sets it (`--concurrency <n>` on the CLI,
 * `mailpolicy:maxConcurrency` in the stack config), as call-timeout.ts is for timeouts.
 */

/**
 * The maximum when none is given: the sessions Exchange Online allows one account by default
 * (PowerShellMaxConcurrency 3: see docs/powershell.md, "Concurrency").
 */
export const DEFAULT_MAX_CONCURRENCY = 3;
/** The most that may be asked for: well above any budget Exchange grants one account. */
export const MAX_CONCURRENCY_LIMIT = 64;

/**
 * Parses a maximum as a person writes it: digits only, 1 to MAX_CONCURRENCY_LIMIT. Returns the
 * problem (without the name of the flag or key) when it is not one.
 */
export function parseMaxConcurrency(text: string): { ok: true; value: number } | { ok: false; problem: string } {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CONCURRENCY_LIMIT) return { ok: false, problem: `must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT}, not ${text}` };
  return { ok: true, value: n };
}
