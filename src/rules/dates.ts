/**
 * Calendar facts the rules depend on (see docs/rules and ../shared/DOMAIN.md) and the ISO-date
 * helpers that keep `--as-of` comparisons plain string comparisons.
 */

/** Message Center MC1293480: blocking of the POP/IMAP legacy-TLS endpoints rolls out from this month. */
export const LEGACY_POP_IMAP_BLOCKING_STARTS = '2026-07-01';
/** ...and is complete on this day; afterwards AllowLegacyTLSClients matters only for SMTP. */
export const LEGACY_POP_IMAP_BLOCKED_BY = '2026-12-31';
/** SMTP AUTH with Basic authentication is disabled by default for existing tenants at the end of December 2026. */
export const SMTP_AUTH_BASIC_OFF_BY_DEFAULT = '2026-12-31';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** true for a real calendar day written YYYY-MM-DD (2027-02-30 is not one). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Today as YYYY-MM-DD in UTC, so a CI run's default does not depend on the runner's time zone. */
export function todayIso(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** ISO dates compare correctly as strings. */
export function isAfter(date: string, reference: string): boolean {
  return date > reference;
}
