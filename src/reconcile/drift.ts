/**
 * The step every section shares: compare the declared keys of one Exchange object with what
 * Exchange reports, and keep only the keys that differ. Absent (undefined) desired keys are not
 * managed and never compared.
 */
import { CATALOG, normaliseTimespan, type CmdletName, type ParameterSpec } from '../exchange/catalog';
import type { JsonValue } from '../exchange/types';
import { sameValue } from './compare';
import type { SettingDrift } from './plan';

/**
 * The catalog parameter (Exchange name and spec) of a model key. Matched case-insensitively:
 * the model writes `sslBindings` for `SSLBindings`, which lowercasing the first letter alone
 * does not give.
 */
export function catalogParameter(cmdlet: CmdletName, key: string): { readonly name: string; readonly spec: ParameterSpec } {
  const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[cmdlet].parameters;
  const folded = key.toLowerCase();
  for (const [name, spec] of Object.entries(parameters)) if (name.toLowerCase() === folded) return { name, spec };
  throw new Error(`${cmdlet} has no catalog parameter for model key ${key}`);
}

/** The form a desired value is sent in: timespans as Exchange prints them, the rest as declared. */
export function wireValue(spec: ParameterSpec, value: JsonValue): JsonValue {
  return spec.type === 'timespan' && typeof value === 'string' ? normaliseTimespan(value) : value;
}

/** Compares many objects of one kind: the catalog lookups are done once, not per object. */
export type DriftComparer<K extends string> = (desired: { readonly [P in K]?: unknown }, actual: { readonly [P in K]?: unknown } | undefined) => SettingDrift[];

export function driftComparer<K extends string>(cmdlet: CmdletName, keys: readonly K[]): DriftComparer<K> {
  const specs = keys.map((key) => catalogParameter(cmdlet, key).spec);
  return (desired, actual) => {
    const out: SettingDrift[] = [];
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i] as K;
      const want = desired[key] as JsonValue | undefined;
      if (want === undefined) continue;
      const spec = specs[i] as ParameterSpec;
      const have = actual === undefined ? undefined : ((actual[key] ?? null) as JsonValue);
      if (!sameValue(spec, want, have)) out.push({ key, desired: wireValue(spec, want), actual: have });
    }
    return out;
  };
}

/**
 * Drifted keys of one object, in `keys` order. `actual` undefined means the object does not
 * exist: every declared key drifts.
 */
export function driftOf<K extends string>(
  cmdlet: CmdletName,
  keys: readonly K[],
  desired: { readonly [P in K]?: unknown },
  actual: { readonly [P in K]?: unknown } | undefined,
): SettingDrift[] {
  return driftComparer(cmdlet, keys)(desired, actual);
}

/** Drift as request parameters (Exchange name → desired value), ready for `buildRequest`. */
export function driftParameters(cmdlet: CmdletName, drift: readonly SettingDrift[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const d of drift) out[catalogParameter(cmdlet, d.key).name] = d.desired;
  return out;
}

export function formatValue(value: JsonValue | undefined): string {
  if (value === undefined) return '(none)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => formatValue(v)).join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `popEnabled true → false, imapEnabled true → false` */
export function describeDrift(drift: readonly SettingDrift[]): string {
  return drift.map((d) => (d.actual === undefined ? `${d.key} ${formatValue(d.desired)}` : `${d.key} ${formatValue(d.actual)} → ${formatValue(d.desired)}`)).join(', ');
}
