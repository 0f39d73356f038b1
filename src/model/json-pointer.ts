import type { JsonPointer } from './types';

/** Appends one segment to an RFC 6901 pointer, escaping `~` and `/`. */
export function childPointer(parent: JsonPointer, segment: string | number): JsonPointer {
  const text = String(segment);
  return `${parent}/${/[~/]/.test(text) ? text.replace(/~/g, '~0').replace(/\//g, '~1') : text}`;
}

/** The pointer of the parent node; the root ('') is its own parent. */
export function parentPointer(pointer: JsonPointer): JsonPointer {
  const slash = pointer.lastIndexOf('/');
  return slash <= 0 ? '' : pointer.slice(0, slash);
}

export function pointerSegments(pointer: JsonPointer): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A pointer as a reader writes the path: `/servers/0/pop3/settings` → `servers[0].pop3.settings`. */
export function displayPath(pointer: JsonPointer): string {
  let out = '';
  for (const segment of pointerSegments(pointer)) {
    if (/^(0|[1-9][0-9]*)$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at a pointer in plain data, or undefined. */
export function valueAt(data: unknown, pointer: JsonPointer): unknown {
  let node = data;
  for (const segment of pointerSegments(pointer)) {
    if (Array.isArray(node)) node = node[Number(segment)];
    else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, segment)) node = (node as Record<string, unknown>)[segment];
    else return undefined;
  }
  return node;
}
