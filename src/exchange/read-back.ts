/**
 * Reading back: Exchange's printed forms → model values. Normalises what a read cmdlet of the
 * catalog (catalog.ts) returned, keeping only its `returns` properties, keyed by model key.
 */
import type { JsonValue } from './types';
import { normaliseByteQuantity } from '../model/byte-quantity';
import { formatTimeSpan, parseTimeSpan } from '../model/timespan';
import { isRecord } from './is-record';
import { CATALOG, modelKey, type CmdletName, type CmdletSpec, type ParameterSpec } from './catalog';
import { CatalogError } from './request';

/**
 * `host:995:Ssl` → `host:995:SSL`: Exchange takes the encryption part of a connection setting in
 * any case and prints it in capitals, as the model writes it.
 */
export function canonicalConnectionSetting(text: string): string {
  return text.replace(/:(ssl|tls)$/i, (suffix) => suffix.toUpperCase());
}

/** `{Hostname, Port, EncryptionType}` or its string form → `host:port[:SSL|TLS]`. */
function endpointToString(value: unknown): string {
  if (typeof value === 'string') return canonicalConnectionSetting(value);
  if (isRecord(value)) {
    const host = String(value.Hostname ?? value.HostName ?? '');
    const port = String(value.Port ?? '');
    const enc = value.EncryptionType;
    return canonicalConnectionSetting(enc === null || enc === undefined || enc === '' ? `${host}:${port}` : `${host}:${port}:${String(enc)}`);
  }
  return String(value);
}

/** IPEndPoint `{Address, Port}` → `IP:Port`, IPv6 in brackets; strings pass through. */
function bindingToString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value)) {
    const address = String(value.Address ?? '');
    const port = String(value.Port ?? '');
    return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
  }
  return String(value);
}

/** TimeSpan object or string → `hh:mm:ss` / `d.hh:mm:ss` (how Exchange prints it). */
export function timespanToString(value: unknown): string {
  if (typeof value === 'string') return normaliseTimespan(value);
  if (isRecord(value) && typeof value.TotalSeconds === 'number') return secondsToTimespan(value.TotalSeconds);
  if (isRecord(value) && typeof value.Ticks === 'number') return secondsToTimespan(value.Ticks / 1e7);
  return String(value);
}

/** Exchange's printed form of a duration; the model owns the format. */
export function secondsToTimespan(totalSeconds: number): string {
  return formatTimeSpan(Math.round(totalSeconds));
}

/** Seconds of `[d.]hh:mm:ss`, or NaN when the text is not a timespan. */
export function timespanSeconds(text: string): number {
  const parsed = parseTimeSpan(text.trim());
  return parsed.ok ? parsed.seconds : Number.NaN;
}

export function normaliseTimespan(text: string): string {
  const seconds = timespanSeconds(text);
  return Number.isNaN(seconds) ? text : secondsToTimespan(seconds);
}

/** A flags enum as printed (`IMAP, POP, SMTP`), or as a list → its names; `None` and nothing → []. */
function flagsList(raw: unknown): string[] {
  if (raw === null || raw === undefined) return [];
  const names = (Array.isArray(raw) ? raw.map(String) : String(raw).split(',')).map((s) => s.trim());
  return names.filter((n) => n !== '');
}

/** An ISO 8601 date and time (ConvertTo-Json's form of a DateTime) → `YYYY-MM-DDThh:mm:ss.sssZ`; unreadable → null. */
function dateTimeText(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  // A DateTime without an offset (Kind Unspecified) is taken as UTC.
  const text = /[zZ]|[+-]\d\d:\d\d$/.test(raw) ? raw : `${raw}Z`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function readValue(spec: ParameterSpec, raw: unknown): JsonValue {
  switch (spec.type) {
    case 'boolean':
      return raw === true;
    case 'nullableBoolean':
      return raw === null || raw === undefined ? null : raw === true;
    case 'int':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'stringList':
      return raw === null || raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(String);
    case 'endpointList':
      return raw === null || raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(endpointToString);
    case 'bindingList':
      return raw === null || raw === undefined ? [] : (Array.isArray(raw) ? raw : [raw]).map(bindingToString);
    case 'timespan':
      return raw === null || raw === undefined ? null : timespanToString(raw);
    case 'flags':
      return flagsList(raw);
    case 'dateTime':
      return dateTimeText(raw);
    case 'byteQuantity':
      // Exchange prints `10 MB (10,485,760 bytes)` or `Unlimited`: the model's form is `10 MB`.
      return raw === null || raw === undefined ? null : normaliseByteQuantity(String(raw));
    case 'string':
    case 'nullableString':
    case 'secret':
    case 'enum':
    case 'switch':
      return raw === null || raw === undefined ? null : String(raw);
    case 'credential':
      // Never read back: a credential is only sent.
      return null;
  }
}

/**
 * Normalises one object a read cmdlet returned: only the catalog's `returns` properties, and
 * the optional ones the request asked for (`properties`), keyed by model key, in their
 * canonical printed form.
 */
export function readBack(cmdlet: CmdletName, raw: unknown, properties: readonly string[] = []): Record<string, JsonValue> {
  const returns = returnFields(cmdlet, properties);
  if (!isRecord(raw)) throw new CatalogError(`${cmdlet} returned ${raw === null ? 'null' : typeof raw}, expected an object`, { reason: 'bad-result', cmdlet });
  const out: Record<string, JsonValue> = {};
  for (const [name, key, spec] of returns) out[key] = readValue(spec, raw[name]);
  return out;
}

/** `[parameter, model key, spec]` of a read's returns, computed once per cmdlet and properties asked: reads of 100,000 mailboxes call readBack 100,000 times. */
const returnFieldCache = new Map<string, readonly (readonly [string, string, ParameterSpec])[]>();

function returnFields(cmdlet: CmdletName, properties: readonly string[]): readonly (readonly [string, string, ParameterSpec])[] {
  const cacheKey = [cmdlet, ...properties].join('\n');
  let fields = returnFieldCache.get(cacheKey);
  if (fields) return fields;
  const spec = CATALOG[cmdlet] as CmdletSpec;
  const returns: Readonly<Record<string, ParameterSpec>> | undefined = spec.returns;
  if (!returns) throw new CatalogError(`${cmdlet} returns nothing mailpolicy reads`, { reason: 'bad-result', cmdlet });
  const optional: Readonly<Record<string, ParameterSpec>> = spec.optionalReturns ?? {};
  const asked = properties.map((name): [string, ParameterSpec] => {
    const found = optional[name];
    if (!found) throw new CatalogError(`${cmdlet} has no optional property ${name}`, { reason: 'unknown-property', cmdlet, parameter: name });
    return [name, found];
  });
  fields = [...Object.entries(returns), ...asked].map(([name, p]) => [name, modelKey(name), p] as const);
  returnFieldCache.set(cacheKey, fields);
  return fields;
}

/** A read's result as a list: PowerShell returns a single object unwrapped and nothing as null. */
export function resultList(raw: JsonValue): readonly JsonValue[] {
  if (raw === null) return [];
  return Array.isArray(raw) ? raw : [raw];
}
