/**
 * Calendar facts the rules depend on (see docs/rules and docs/exchange-facts.md) and the ISO-date
 * helpers that keep `--as-of` comparisons plain string comparisons.
 */
import { isCalendarDate } from '../model/calendar-date';
import type { RuleContext } from './types';

/** Message Center MC1293480: blocking of the POP/IMAP legacy-TLS endpoints rolls out from this month. */
export const LEGACY_POP_IMAP_BLOCKING_STARTS = '2026-07-01';
/** ...and is complete on this day; afterwards AllowLegacyTLSClients matters only for SMTP. */
export const LEGACY_POP_IMAP_BLOCKED_BY = '2026-12-31';
/**
 * SMTP AUTH with Basic authentication is disabled by default for existing tenants at the end of
 * December 2026; admins can re-enable it; tenants created after that have it unavailable by
 * default; the final removal date is announced in the second half of 2027; all clouds (Exchange
 * Team blog "Updated Exchange Online SMTP AUTH Basic Authentication Deprecation Timeline",
 * 2026-01-27; Message Center MC786329). Only Basic changes: SMTP AUTH with OAuth stays.
 */
export const SMTP_AUTH_BASIC_OFF_BY_DEFAULT = '2026-12-31';

/** true for a real calendar day written YYYY-MM-DD (2027-02-30 is not one): the loader's own test, so both agree. */
export { isCalendarDate as isIsoDate };

/** Today as YYYY-MM-DD in UTC, so a CI run's default does not depend on the runner's time zone. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** ISO dates compare correctly as strings. */
export function isAfter(date: string, reference: string): boolean {
  return date > reference;
}

/**
 * The context of a run: `asOf` (default today, UTC), refused unless it is a calendar day, since
 * a reproducible date is the point of giving one. `invalid` makes the caller's own error from
 * the message (a usage error in the CLI, a policy failure in the pack).
 */
export function ruleContext(asOf: string | undefined, invalid: (message: string) => Error): RuleContext {
  const day = asOf ?? todayIso();
  if (!isCalendarDate(day)) throw invalid(`"${day}" is not a calendar date YYYY-MM-DD`);
  return { asOf: day };
}
