import type { JsonPointer } from '../model/types';

/** Builds an RFC 6901 pointer from path segments, escaping `~` and `/` in keys. */
export function pointer(...segments: readonly (string | number)[]): JsonPointer {
  return segments.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
