/**
 * `jsonText` written in pieces: the same bytes, without ever holding the whole text (or a
 * document with every item) in memory. A 100,000-mailbox drift report is 100+ MB of JSON; built
 * as one string, escaped (a copy) and encoded (another), it peaked over 1 GB.
 *
 * The caller gives the document with each long array replaced by `streamedArray(items)`: the
 * skeleton is stringified as usual, and each marker is replaced by its items, stringified one by
 * one and indented to where the marker stood, exactly as `JSON.stringify(value, null, 2)` would
 * have placed them.
 */
import { jsonText } from '../text/escape';

const MARKER_PREFIX = '\u0000mailpolicy-streamed-array-';

/** A marker standing for an array whose items are produced on demand (once). */
export interface StreamedArray {
  readonly marker: string;
  readonly items: Iterable<unknown>;
}

let nextMarker = 0;

/** The value to put in the document where the array goes; register it with `jsonTextChunks`. */
export function streamedArray(items: Iterable<unknown>): StreamedArray {
  return { marker: `${MARKER_PREFIX}${nextMarker++}`, items };
}

/** `items.map(f)`, one item at a time as they are asked for. */
export function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}

/** Joins small pieces into chunks of about this many characters before they are handed on. */
const CHUNK_CHARACTERS = 1 << 15;

/** Pieces joined into chunks of about CHUNK_CHARACTERS (32 KiB): few writes, each freed soon. */
export function* chunked(pieces: Iterable<string>): Generator<string> {
  let buffer: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    buffer.push(piece);
    size += piece.length;
    if (size >= CHUNK_CHARACTERS) {
      yield buffer.join('');
      buffer = [];
      size = 0;
    }
  }
  if (size > 0) yield buffer.join('');
}

function* arrayPieces(items: Iterable<unknown>, indent: string): Generator<string> {
  const inner = `${indent}  `;
  let first = true;
  for (const item of items) {
    // An item stringified alone, its own newlines indented to its depth: JSON.stringify's layout.
    const text = jsonText(item).slice(0, -1).replace(/\n/g, `\n${inner}`);
    yield first ? `[\n${inner}${text}` : `,\n${inner}${text}`;
    first = false;
  }
  yield first ? '[]' : `\n${indent}]`;
}

function* pieces(document: unknown, arrays: readonly StreamedArray[]): Generator<string> {
  const byQuoted = new Map(arrays.map((a) => [JSON.stringify(a.marker), a]));
  const skeleton = jsonText(JSON.parse(JSON.stringify(document, (_key, value: unknown) => (isStreamed(value) ? value.marker : value))));
  const markers = /"\\u0000mailpolicy-streamed-array-\d+"/g;
  let at = 0;
  for (let m = markers.exec(skeleton); m; m = markers.exec(skeleton)) {
    const array = byQuoted.get(m[0]);
    if (!array) throw new Error('jsonTextChunks: a streamed array not registered');
    const lineStart = skeleton.lastIndexOf('\n', m.index) + 1;
    const indent = /^ */.exec(skeleton.slice(lineStart, m.index))?.[0] ?? '';
    yield skeleton.slice(at, m.index);
    yield* arrayPieces(array.items, indent);
    at = m.index + m[0].length;
  }
  yield skeleton.slice(at);
}

function isStreamed(value: unknown): value is StreamedArray {
  return typeof value === 'object' && value !== null && 'marker' in value && 'items' in value && typeof (value as StreamedArray).marker === 'string' && (value as StreamedArray).marker.startsWith(MARKER_PREFIX);
}

/**
 * The chunks of `jsonText(document)` with each `streamedArray` in it written out: byte for byte
 * what `jsonText` gives for the document with those arrays filled in.
 */
export function jsonTextChunks(document: unknown): Generator<string> {
  const arrays: StreamedArray[] = [];
  JSON.stringify(document, (_key, value: unknown) => {
    if (isStreamed(value)) {
      arrays.push(value);
      return null;
    }
    return value;
  });
  return chunked(pieces(document, arrays));
}
