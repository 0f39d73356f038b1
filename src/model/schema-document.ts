/** The JSON Schema document, read on demand (only error messages and docs need it at run time). */
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root';
import { pointerSegments } from './json-pointer';

export type SchemaNode = Readonly<Record<string, unknown>>;

let cached: SchemaNode | undefined;

export function schemaPath(): string {
  return packagePath('schema', 'mailpolicy.schema.json');
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
