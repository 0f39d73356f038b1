/**
 * The step every section shares: compare the declared keys of one Exchange object with what
 * Exchange reports, and keep only the keys that differ. Absent (undefined) desired keys are not
 * managed and never compared.
 */
import { type CmdletName, type ParameterSpec } from '../exchange/catalog';
import { parameterSpec } from '../exchange/request';
import { normaliseTimespan } from '../exchange/read-back';
import type { JsonValue } from '../exchange/types';
import { sameValue } from './compare';
import { formatValue } from './format-value';
import type { SettingDrift } from './plan';

/** The form a desired value is sent in: timespans as Exchange prints them, the rest as declared. */
export function wireValue(spec: ParameterSpec, value: JsonValue): JsonValue {
  return spec.type === 'timespan' && typeof value === 'string' ? normaliseTimespan(value) : value;
}

/** Compares many objects of one kind: the catalog lookups are done once, not per object. */
export type DriftComparer<K extends string> = (desired: { readonly [P in K]?: unknown }, actual: { readonly [P in K]?: unknown } | undefined) => SettingDrift[];

export function driftComparer<K extends string>(cmdlet: CmdletName, keys: readonly K[]): DriftComparer<K> {
  const specs = keys.map((key) => parameterSpec(cmdlet, key).spec);
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

/**
 * Drift as request parameters (model key → desired value), ready for `buildRequest`, which maps
 * each key to the cmdlet's parameter. `_cmdlet` is unused: the sections still pass it.
 */
export function driftParameters(drift: readonly SettingDrift[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const d of drift) out[d.key] = d.desired;
  return out;
}

/** `popEnabled true → false, imapEnabled true → false` */
export function describeDrift(drift: readonly SettingDrift[]): string {
  return drift.map((d) => (d.actual === undefined ? `${d.key} ${formatValue(d.desired)}` : `${d.key} ${formatValue(d.actual)} → ${formatValue(d.desired)}`)).join(', ');
}
