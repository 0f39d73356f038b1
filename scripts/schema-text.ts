/**
 * Rewrites parts of a JSON file's text in place, leaving every other byte as it is: the schema is
 * laid out by hand (short objects on one line), so generated keys are spliced into it rather than
 * the whole file re-serialised. Used by scripts/generate-sections.ts.
 */

export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

interface Member {
  readonly key: string;
  /** Where the member's key (its opening quote) starts and its value ends. */
  readonly start: number;
  readonly end: number;
  readonly value: JsonNode;
}

interface JsonNode {
  readonly start: number;
  readonly end: number;
  readonly members?: readonly Member[];
  readonly items?: readonly JsonNode[];
}

/** A JSON text's values with where each begins and ends. */
function parse(text: string): JsonNode {
  let i = 0;
  const space = (): void => {
    while (/\s/.test(text[i] ?? '')) i++;
  };
  const string = (): string => {
    const start = i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): JsonNode => {
    space();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const members: Member[] = [];
      space();
      while (text[i] !== '}') {
        const keyStart = i;
        const key = string();
        space();
        i++; // :
        const v = value();
        members.push({ key, start: keyStart, end: v.end, value: v });
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
      return { start, end: i, members };
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      space();
      while (text[i] !== ']') {
        items.push(value());
        space();
        if (text[i] === ',') i++;
        space();
      }
      i++;
      return { start, end: i, items };
    }
    if (c === '"') {
      string();
      return { start, end: i };
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i] as string)) i++;
    return { start, end: i };
  };
  return value();
}

/** The value at a path of keys and indexes, or undefined. */
export function memberAt(text: string, path: readonly (string | number)[]): JsonNode | undefined {
  let node: JsonNode | undefined = parse(text);
  for (const step of path) {
    node = typeof step === 'number' ? node?.items?.[step] : node?.members?.find((m) => m.key === step)?.value;
    if (!node) return undefined;
  }
  return node;
}

/** JSON on one line, as the schema writes short values: `{ "a": 1 }`, `["x", "y"]`. */
function compact(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly Json[]).map(compact).join(', ')}]`;
  return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`).join(', ')} }`;
}

/** A property's schema as the file lays it out: one key a line, each value on one line. */
function entry(key: string, value: Json, indent: string): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `${JSON.stringify(key)}: ${compact(value)}`;
  const lines = Object.entries(value).map(([k, v]) => `${indent}  ${JSON.stringify(k)}: ${compact(v)}`);
  return `${JSON.stringify(key)}: {\n${lines.join(',\n')}\n${indent}}`;
}

/**
 * The text with the object at `path` holding `entries` in place of its members whose key is in
 * `owned` (one run of them, where the first was; after the others when there was none), every
 * other member as it was.
 */
export function rewriteMembers(text: string, path: readonly (string | number)[], entries: readonly (readonly [string, Json])[], owned: ReadonlySet<string>): string {
  const node = memberAt(text, path);
  if (!node?.members || node.members.length === 0) throw new Error(`schema/mailpolicy.schema.json has no object with members at ${path.join('/')}: add the section (or its condition) by hand first`);
  const members = node.members;
  const first = members[0] as Member;
  // An object written on one line (`{ "a": false, "b": false }`) stays on one line.
  const inline = !text.slice(node.start, node.end).includes('\n');
  const indent = text.slice(text.lastIndexOf('\n', first.start) + 1, first.start);
  const ownedAt = members.flatMap((m, i) => (owned.has(m.key) ? [i] : []));
  const from = ownedAt[0] ?? members.length;
  const to = ownedAt.length === 0 ? members.length : (ownedAt[ownedAt.length - 1] as number) + 1;
  if (ownedAt.length !== to - from) throw new Error(`${path.join('/')}: the generated keys ${[...owned].join(', ')} must stay together (a hand-written key sits among them)`);
  const parts = [
    ...members.slice(0, from).map((m) => text.slice(m.start, m.end)),
    ...entries.map(([key, value]) => (inline ? `${JSON.stringify(key)}: ${compact(value)}` : entry(key, value, indent))),
    ...members.slice(to).map((m) => text.slice(m.start, m.end)),
  ];
  const last = members[members.length - 1] as Member;
  return text.slice(0, first.start) + parts.join(inline ? ', ' : `,\n${indent}`) + text.slice(last.end);
}
