/**
 * The `$schema` reference of an exported document: the package's schema file, relative to
 * where the document is written, so editors find it without network access.
 */
import * as path from 'node:path';
import { schemaPath as packageSchemaPath } from '../model/schema-document';

/** `outputFile` undefined: the document goes to stdout, presumably into the working directory. */
export function schemaRef(outputFile: string | undefined, schemaPath: string = packageSchemaPath()): string {
  const from = outputFile === undefined ? process.cwd() : path.dirname(path.resolve(outputFile));
  const relative = path.relative(from, schemaPath).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
