/**
 * The call timeout: the longest one cmdlet may take before mailpolicy gives up on it. One
 * definition for both backends (the PowerShell runner and the simulator) and for where a person
 * sets it (`--call-timeout <seconds>` on the CLI, `mailpolicy:callTimeoutSeconds` in the stack
 * config).
 *
 * The default is Exchange Online's own limit: its REST cmdlets time out after 15 minutes each
 * (docs/exchange-facts.md, "Running cmdlets from a program"; unverified: no page of Microsoft's reference
 * (MicrosoftDocs/office-docs-powershell) states the limit).
 */
import { ExchangeError } from './types';

export const DEFAULT_CALL_TIMEOUT_SECONDS = 15 * 60;
export const DEFAULT_CALL_TIMEOUT_MS = DEFAULT_CALL_TIMEOUT_SECONDS * 1000;
/** One day: beyond any cmdlet, and well inside what a Node timer can wait (2^31 - 1 ms, ~24.8 days). */
export const MAX_CALL_TIMEOUT_SECONDS = 24 * 60 * 60;

/** fullyQualifiedErrorId (and type) of a call that got no answer within its timeout. */
export const CALL_TIMEOUT_ERROR = 'MailpolicyRunner.Timeout';

/**
 * Parses a timeout in seconds as a person writes it: digits only, 1 to MAX_CALL_TIMEOUT_SECONDS.
 * Returns the problem (without the name of the flag or key) when it is not one.
 */
export function parseCallTimeoutSeconds(text: string): { ok: true; seconds: number } | { ok: false; problem: string } {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_CALL_TIMEOUT_SECONDS) {
    return { ok: false, problem: `must be a whole number of seconds from 1 to ${MAX_CALL_TIMEOUT_SECONDS}, not ${text === '' ? '""' : text}` };
  }
  return { ok: true, seconds: n };
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/**
 * The error of a call that got no answer in time, naming the cmdlet (ExchangeError's message is
 * `<cmdlet>: <message>`). `what` says what was stopped (the PowerShell process, …).
 */
export function callTimedOut(cmdlet: string, timeoutMs: number, what: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    // Not "timed out": that phrase marks Exchange's own transient errors, which are retried.
    message: `no answer within ${seconds(timeoutMs)} (the call timeout; set it with --call-timeout or mailpolicy:callTimeoutSeconds): ${what}`,
    type: CALL_TIMEOUT_ERROR,
    fullyQualifiedErrorId: CALL_TIMEOUT_ERROR,
    category: 'OperationTimeout',
    transient: false,
  });
}
