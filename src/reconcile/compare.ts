/**
 * When is a desired value "the same" as what Exchange reports? Decided once per value type of
 * the cmdlet catalog, so every section compares alike:
 * - lists (connection settings, bindings, service names) are sets: order and duplicates do not
 *   matter, and entries compare case-insensitively (host names, `SSL`/`TLS`, IPv6 hex digits);
 * - strings and enums compare case-insensitively (Exchange identities and FQDNs are);
 * - timespans compare by their length (`1:00:00` = `01:00:00` = `0.01:00:00`);
 * - booleans and integers compare exactly; `null` equals only `null`.
 */
import { type ParameterSpec } from '../exchange/catalog';
import { timespanSeconds } from '../exchange/read-back';
import type { JsonValue } from '../exchange/types';

function foldEntry(value: JsonValue): string {
  return String(value).trim().toLowerCase();
}

function sameSet(a: readonly JsonValue[], b: readonly JsonValue[]): boolean {
  const left = new Set(a.map(foldEntry));
  const right = new Set(b.map(foldEntry));
  if (left.size !== right.size) return false;
  for (const entry of left) if (!right.has(entry)) return false;
  return true;
}

export function sameValue(spec: ParameterSpec, desired: JsonValue, actual: JsonValue | undefined): boolean {
  if (actual === undefined) return false;
  if (desired === null || actual === null) return desired === actual;
  switch (spec.type) {
    case 'stringList':
    case 'endpointList':
    case 'bindingList':
      return Array.isArray(desired) && Array.isArray(actual) && sameSet(desired, actual);
    case 'string':
    case 'nullableString':
    case 'enum':
      return typeof desired === 'string' && typeof actual === 'string' && desired.toLowerCase() === actual.toLowerCase();
    case 'timespan': {
      if (typeof desired !== 'string' || typeof actual !== 'string') return false;
      const d = timespanSeconds(desired);
      return Number.isNaN(d) ? desired === actual : d === timespanSeconds(actual);
    }
    case 'dateTime':
      return typeof desired === 'string' && typeof actual === 'string' && Date.parse(desired) === Date.parse(actual);
    case 'boolean':
    case 'nullableBoolean':
    case 'switch':
    case 'int':
    case 'secret':
    case 'credential':
      return desired === actual;
  }
}

/** Case-insensitive identity comparison (Exchange names, SMTP addresses). */
export function sameIdentity(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
