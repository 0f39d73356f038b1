import { childPointer } from '../model/json-pointer';
import type { JsonPointer } from '../model/types';

/** Builds an RFC 6901 pointer from path segments (escaping is the model's childPointer). */
export function pointer(...segments: readonly (string | number)[]): JsonPointer {
  return segments.reduce<JsonPointer>(childPointer, '');
}
