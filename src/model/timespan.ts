/** Exchange TimeSpan values (`hh:mm:ss` or `d.hh:mm:ss`) for the POP3/IMAP4 connection timeouts. */

export type ParsedTimeSpan = { readonly ok: true; readonly seconds: number } | { readonly ok: false; readonly error: string };

/** Valid range of AuthenticatedConnectionTimeout and PreAuthenticatedConnectionTimeout, in seconds. */
export const TIMEOUT_RANGE = { min: 30, max: 3600 } as const;

export function parseTimeSpan(text: string): ParsedTimeSpan {
  const match = /^(?:([0-9]{1,2})\.)?([0-9]{1,2}):([0-9]{2}):([0-9]{2})$/.exec(text);
  if (!match) return { ok: false, error: `"${text}" is not a time span hh:mm:ss or d.hh:mm:ss` };
  const [days, hours, minutes, seconds] = [match[1] ?? '0', match[2], match[3], match[4]].map(Number) as [number, number, number, number];
  if (hours > 23 || minutes > 59 || seconds > 59) return { ok: false, error: `"${text}" is not a time span: hours go to 23, minutes and seconds to 59` };
  return { ok: true, seconds: ((days * 24 + hours) * 60 + minutes) * 60 + seconds };
}

const two = (n: number): string => String(n).padStart(2, '0');

/** The form Exchange prints: `00:30:00`, or `1.00:00:00` from one day. */
export function formatTimeSpan(totalSeconds: number): string {
  const days = Math.floor(totalSeconds / 86400);
  const rest = totalSeconds % 86400;
  const clock = `${two(Math.floor(rest / 3600))}:${two(Math.floor((rest % 3600) / 60))}:${two(rest % 60)}`;
  return days > 0 ? `${days}.${clock}` : clock;
}

/** A valid timeout in Exchange's printed form, or why it is not valid. */
export function checkTimeout(text: string): { readonly ok: true; readonly normalised: string } | { readonly ok: false; readonly error: string } {
  const parsed = parseTimeSpan(text);
  if (!parsed.ok) return parsed;
  if (parsed.seconds < TIMEOUT_RANGE.min || parsed.seconds > TIMEOUT_RANGE.max) {
    return { ok: false, error: `${text} is outside the allowed range ${formatTimeSpan(TIMEOUT_RANGE.min)} to ${formatTimeSpan(TIMEOUT_RANGE.max)}` };
  }
  return { ok: true, normalised: formatTimeSpan(parsed.seconds) };
}
