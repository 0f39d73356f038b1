/**
 * The `$schema` reference of an exported document: the package's schema file, relative to
 * where the document is written, so editors find it without network access.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const SCHEMA_FILE = 'schema/mailpolicy.schema.json';

/** The package root holds schema/: two levels above src/export, three above dist/src/export. */
export function packageSchemaPath(): string {
  for (const up of ['../..', '../../..']) {
    const candidate = path.resolve(__dirname, up, SCHEMA_FILE);
    if (fs.existsSync(candidate)) return candidate;
  }
  return path.resolve(__dirname, '../..', SCHEMA_FILE);
}

/** `outputFile` undefined: the document goes to stdout, presumably into the working directory. */
export function schemaRef(outputFile: string | undefined, schemaPath: string = packageSchemaPath()): string {
  const from = outputFile === undefined ? process.cwd() : path.dirname(path.resolve(outputFile));
  const relative = path.relative(from, schemaPath).split(path.sep).join('/');
  return relative.startsWith('.') ? relative : `./${relative}`;
}
