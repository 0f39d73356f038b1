/** The JSON Schema document, read on demand (only error messages and docs need it at run time). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type SchemaNode = Readonly<Record<string, unknown>>;

let cached: SchemaNode | undefined;

/** schema/ sits three levels above dist/src/model and two above src/model. */
export function schemaPath(): string {
  for (const up of [['..', '..', '..'], ['..', '..']]) {
    const candidate = join(__dirname, ...up, 'schema', 'mailpolicy.schema.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('schema/mailpolicy.schema.json not found beside the package');
}

export function loadSchemaDocument(): SchemaNode {
  cached ??= JSON.parse(readFileSync(schemaPath(), 'utf8')) as SchemaNode;
  return cached;
}

/** The schema node at an ajv schemaPath such as `#/$defs/timeout/pattern` (without its last segment). */
export function schemaNodeAt(schemaPathText: string, dropLast = true): SchemaNode | undefined {
  const segments = schemaPathText.replace(/^#\/?/, '').split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'));
  if (dropLast) segments.pop();
  let node: unknown = loadSchemaDocument();
  for (const segment of segments) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node !== null && typeof node === 'object' ? (node as SchemaNode) : undefined;
}
