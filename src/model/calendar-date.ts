/**
 * The one test for "a real calendar day written YYYY-MM-DD": the loader checks waiver expiry
 * dates with it and the rules check `--as-of` and expiry with it, so both always agree.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** true for `YYYY-MM-DD` naming a day that exists (2027-02-30 does not); arithmetic, because Date parsing costs start-up time. */
export function isCalendarDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}
