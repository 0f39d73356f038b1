/**
 * ajv errors → one clear message per offending node. ajv reports structure in its own terms
 * (keyword, params); this module says what is wrong in the document's terms and where.
 */
import { closestMatch } from './did-you-mean';
import { childPointer, displayPath, valueAt } from './json-pointer';
import { loadSchemaDocument, schemaAtInstance, type SchemaNode } from './schema-document';
import type { SchemaError } from './schema-validator';
import type { NodeIssue } from './semantic-checks';

const TYPE_NAMES: Readonly<Record<string, string>> = {
  boolean: 'true or false',
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

/** YAML 1.1 booleans that YAML 1.2 (and so this loader) reads as strings. */
const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n']);

/**
 * Characters JSON.stringify leaves as they are but a reader must not get raw: DEL and C1
 * controls, bidirectional controls (which reorder what follows), line/paragraph separators, and
 * spaces that do not look like one (no-break, zero-width), so a message shows what is wrong.
 */
const INVISIBLE = /[\u007f-\u00a0\u061c\u1680\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g;

function describe(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return `the string ${JSON.stringify(shown).replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}`;
  }
  return typeof value === 'number' ? `the number ${value}` : String(value);
}

function subject(pointer: string): string {
  return displayPath(pointer) || 'document';
}

function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function suggestion(input: unknown, candidates: readonly unknown[]): string {
  if (typeof input !== 'string') return '';
  const match = closestMatch(input, candidates.filter((c): c is string => typeof c === 'string'));
  return match !== undefined && match !== input ? ` (did you mean "${match}"?)` : '';
}

/** Every pattern of the schema with its `patternErrorMessage`, wherever it is (a key's own, or a `$defs` entry it refers to). */
let patternMessages: ReadonlyMap<string, string> | undefined;

function collectPatternMessages(node: unknown, into: Map<string, string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectPatternMessages(child, into);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const { pattern, patternErrorMessage } = node as SchemaNode;
  if (typeof pattern === 'string' && typeof patternErrorMessage === 'string' && !into.has(pattern)) into.set(pattern, patternErrorMessage);
  for (const child of Object.values(node)) collectPatternMessages(child, into);
}

/**
 * What a failed pattern means: the key's own message, else the message beside that pattern in
 * the schema (ajv names a `$ref`'d definition's pattern only by the pattern itself).
 */
function patternMessage(pattern: string, node: SchemaNode | undefined): string | undefined {
  if (node?.pattern === pattern && typeof node.patternErrorMessage === 'string') return node.patternErrorMessage;
  if (!patternMessages) {
    const found = new Map<string, string>();
    collectPatternMessages(loadSchemaDocument(), found);
    patternMessages = found;
  }
  return patternMessages.get(pattern);
}

/** The node the error is about and what to say about it. */
function translate(error: SchemaError, data: unknown): NodeIssue | undefined {
  const at = error.instancePath;
  const value = valueAt(data, at);
  const params = error.params;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = Object.keys((schemaAtInstance(at)?.properties as object | undefined) ?? {});
      const hint = suggestion(key, allowed) || (allowed.length > 0 ? `; valid keys here: ${allowed.join(', ')}` : '');
      return { pointer: childPointer(at, key), message: `${at === '' ? 'unknown top-level key' : `${subject(at)}: unknown key`} "${key}"${hint}` };
    }
    case 'required':
      return { pointer: at, message: `${at === '' ? 'missing required top-level key' : `${subject(at)}: missing required key`} "${String(params.missingProperty)}"` };
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
      const yaml11 = typeof value === 'string' && String(params.type).includes('boolean') && YAML11_BOOLEANS.has(value.toLowerCase());
      const hint = yaml11 ? ' (YAML 1.2 reads yes/no/on/off as text: write true or false)' : '';
      return { pointer: at, message: `${subject(at)}: expected ${expected}, got ${describe(value)}${hint}` };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[] | undefined) ?? [];
      return { pointer: at, message: `${subject(at)}: must be one of ${list(allowed)}, got ${describe(value)}${suggestion(value, allowed)}` };
    }
    case 'const':
      return { pointer: at, message: `${subject(at)}: must be ${JSON.stringify(params.allowedValue)}, got ${describe(value)}` };
    case 'pattern': {
      if (value === '') return { pointer: at, message: `${subject(at)}: must not be empty` };
      const explained = patternMessage(String(params.pattern), schemaAtInstance(at));
      const rule = explained ?? `must match ${String(params.pattern)}`;
      return { pointer: at, message: `${subject(at)}: ${rule}, got ${describe(value)}` };
    }
    case 'minLength':
      return { pointer: at, message: `${subject(at)}: must not be empty` };
    case 'maxLength':
      // The generated validator counts UTF-16 code units (scripts/compile-schema.ts): so does this message.
      return { pointer: at, message: `${subject(at)}: must be at most ${String(params.limit)} characters, got ${typeof value === 'string' ? value.length : 0}` };
    case 'minItems':
      return { pointer: at, message: `${subject(at)}: must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}` };
    case 'uniqueItems': {
      // Which of i and j is the later item depends on ajv's algorithm for the item type: point at the repetition.
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      const later = childPointer(at, second as number);
      return { pointer: later, message: `${subject(later)}: ${describe(valueAt(data, later))} is listed twice (also item ${first as number})` };
    }
    case 'minimum':
    case 'maximum':
      return { pointer: at, message: `${subject(at)}: must be at ${error.keyword === 'minimum' ? 'least' : 'most'} ${String(params.limit)}, got ${describe(value)}` };
    default:
      return { pointer: at, message: `${subject(at)}: does not satisfy the schema (${error.keyword})` };
  }
}

/**
 * Schema errors as node issues. Errors of the platform conditions (`if`/`then`) are left out:
 * the semantic checks report those with a message naming the platform.
 */
export function schemaIssues(errors: readonly SchemaError[], data: unknown): readonly NodeIssue[] {
  const issues: NodeIssue[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || /\/(then|else)\//.test(error.schemaPath)) continue;
    const issue = translate(error, data);
    if (issue) issues.push(issue);
  }
  return issues;
}
