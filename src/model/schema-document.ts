/** The JSON Schema document, read on demand (only error messages and docs need it at run time). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pointerSegments } from './json-pointer';

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

/** The node with its `$ref` chain followed within `schema` (the docs generator passes the schema it renders). */
export function resolveRef(node: SchemaNode, schema: SchemaNode = loadSchemaDocument()): SchemaNode {
  let current = node;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 10; hops++) {
    const target = current.$ref.replace(/^#\//, '').split('/').reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], schema);
    if (target === null || typeof target !== 'object') break;
    // Keywords beside a $ref (its description) apply too: the referenced schema fills in the rest.
    const { $ref: _ref, ...beside } = current;
    current = { ...(target as SchemaNode), ...beside };
  }
  return current;
}

/**
 * The schema that applies to the node at an instance pointer, following `properties`, `items`
 * and `$ref` (the platform conditions under allOf do not define keys of their own).
 */
export function schemaAtInstance(pointer: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolveRef(loadSchemaDocument());
  for (const segment of pointerSegments(pointer)) {
    if (!node) return undefined;
    const properties = node.properties as Readonly<Record<string, SchemaNode>> | undefined;
    const next: unknown = properties && Object.prototype.hasOwnProperty.call(properties, segment) ? properties[segment] : /^[0-9]+$/.test(segment) ? node.items : undefined;
    node = next !== null && typeof next === 'object' ? resolveRef(next as SchemaNode) : undefined;
  }
  return node;
}
