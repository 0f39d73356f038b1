/**
 * Text from a document or from Exchange, made safe to print. Human-readable outputs end up in
 * CI logs, whose agents act on lines they print (`##vso[task.setvariable …]`, `::error::`), and
 * in terminals, where escape sequences, bidi overrides (U+202E) and line separators change what
 * a reader sees. Every writer passes such text through `escapeControls`, so a value can never
 * start a line of its own or hide what follows it: the writer's own newlines are the only ones.
 */

/**
 * C0 controls (newline and tab included: inside a value they are data), DEL, C1 controls, the
 * Arabic letter mark, LRM/RLM, the line and paragraph separators, and the bidi embeddings,
 * overrides and isolates.
 */
// eslint-disable-next-line no-control-regex -- these characters are exactly what it finds
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `\uXXXX`, lowercase hex: the form JSON and JavaScript readers know. */
export function codePointEscape(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Each unsafe character as `\n`, `\r`, `\t` or `\uXXXX`; everything else unchanged. Idempotent. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (c) => NAMED[c] ?? codePointEscape(c));
}

/** true when `escapeControls` would change the text. */
export function hasUnsafeCharacters(text: string): boolean {
  return UNSAFE_ONE.test(text);
}

// Not global: `test` on a global expression would carry `lastIndex` from one call to the next.
const UNSAFE_ONE = new RegExp(UNSAFE_CHARACTERS.source);

/**
 * Lines of a human-readable output joined by the writer's own newlines, each line escaped:
 * any newline inside a line is data and is shown as `\n`.
 */
export function joinLines(lines: readonly string[]): string {
  return `${lines.map(escapeControls).join('\n')}\n`;
}

/** What JSON.stringify leaves raw that `escapeControls` escapes: it already escapes C0. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * `JSON.stringify(value, null, 2)` plus a newline, with the characters it leaves raw (DEL, C1,
 * bidi controls, U+2028/2029) written as `\uXXXX`: the same JSON value, safe to print to a log.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, codePointEscape)}\n`;
}
