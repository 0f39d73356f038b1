import { UsageError } from '../exit-codes';

/**
 * An option `parse` for counts and limits: digits only (no sign, fraction, exponent or hex,
 * which `Number()` would accept). `meaning` says what a value stands for, e.g. `0 = no limit`.
 */
export function wholeNumber(flag: string, meaning?: string): (text: string) => number {
  return (text) => {
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) throw new UsageError(`${flag} must be a whole number${meaning === undefined ? '' : ` (${meaning})`}, not ${text}`);
    return n;
  };
}
