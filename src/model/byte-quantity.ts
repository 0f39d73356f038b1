/**
 * Exchange's Unlimited<ByteQuantifiedSize> values (Set-PopSettings / Set-ImapSettings
 * -LogPerFileSizeQuota): written `10MB`, `10 MB`, `0` or `Unlimited` (units B, KB, MB, GB, TB;
 * "unqualified values are typically treated as bytes", the reference says), printed by Exchange as
 * `10 MB (10,485,760 bytes)` or `Unlimited`. The model keeps one form, `<n> <unit>` with the
 * largest unit that divides the size exactly (`10 MB`, `1536 KB`, `0 B`), so a document and
 * Exchange's printed value compare equal when they mean the same size.
 */

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

export const UNLIMITED = 'Unlimited';

/** The bytes a size means, `Infinity` for Unlimited, or NaN when the text is not a size. */
export function byteQuantityBytes(text: string): number {
  const trimmed = text.trim();
  if (/^unlimited$/i.test(trimmed)) return Number.POSITIVE_INFINITY;
  // Exchange's printed form carries the exact count in parentheses: `10 MB (10,485,760 bytes)`.
  const printed = /\(([0-9,]+) bytes\)$/.exec(trimmed);
  if (printed) return Number((printed[1] as string).replace(/,/g, ''));
  const match = /^([0-9]+(?:\.[0-9]+)?) ?(B|KB|MB|GB|TB)?$/i.exec(trimmed);
  if (!match) return Number.NaN;
  const unit = UNITS.indexOf(((match[2] ?? 'B').toUpperCase()) as (typeof UNITS)[number]);
  return Math.round(Number(match[1]) * 1024 ** unit);
}

/** The model's form of a size, or the text unchanged when it is not one (the schema reports it). */
export function normaliseByteQuantity(text: string): string {
  const bytes = byteQuantityBytes(text);
  if (Number.isNaN(bytes)) return text;
  if (bytes === Number.POSITIVE_INFINITY) return UNLIMITED;
  let unit = 0;
  let value = bytes;
  while (unit < UNITS.length - 1 && value !== 0 && value % 1024 === 0) {
    value /= 1024;
    unit++;
  }
  return `${value} ${UNITS[unit] as string}`;
}

/** How Exchange prints a size: `10 MB (10,485,760 bytes)`, or `Unlimited` (the simulator's stored form). */
export function printedByteQuantity(text: string): string {
  const bytes = byteQuantityBytes(text);
  if (Number.isNaN(bytes) || bytes === Number.POSITIVE_INFINITY) return normaliseByteQuantity(text);
  return `${normaliseByteQuantity(text)} (${bytes.toLocaleString('en-US')} bytes)`;
}
