/**
 * How a setting's value is printed for humans (plans, drift, verification, conflicts). Its own
 * module so that plan.ts and drift.ts, which both print values, need not import each other.
 */
import type { JsonValue } from '../exchange/types';

export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return '(none)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v)).join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
