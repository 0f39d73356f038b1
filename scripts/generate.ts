/**
 * Regenerates every generated file of the repository from its one source:
 *   schema/mailpolicy.schema.json (the POP3/IMAP4 definitions, the other sections' settings) ← the cmdlet catalog
 *   src/model/protocol-settings.generated.ts ← the cmdlet catalog (the model's POP3/IMAP4 settings)
 *   src/model/sections.generated.ts          ← the cmdlet catalog (the other sections' settings)
 *   src/model/schema-validator.generated.ts  ← schema/mailpolicy.schema.json
 *   docs/schema.md                           ← schema/mailpolicy.schema.json
 *   docs/rules/*.md                          ← the rule metadata in src/rules
 *   powershell/host-config.json              ← the cmdlet catalog (the host's allowlist)
 *   docs/commands/endpoints.md (its tables)  ← the clouds table, src/model/clouds.ts
 *
 * `npm run generate` writes them; `node dist/scripts/generate.js --check` lists the stale ones
 * and exits 1 (test/generated.test.ts does the same in the test suite).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostConfigText } from '../src/exchange/host-config';
import { packagePath } from '../src/package-root';
import { GENERATED_PATH, generateValidatorModule } from './compile-schema';
import { ENDPOINT_DOCS, renderEndpointDocs } from './generate-endpoint-docs';
import { renderAll as renderRuleDocs } from './generate-rule-docs';
import { PROTOCOL_SETTINGS_MODEL_PATH, generateProtocolSettingsModel, schemaWithProtocolDefs } from './generate-protocol-settings';
import { SCHEMA_DOCS_PATH, generateSchemaDocs } from './generate-schema-docs';
import { SECTIONS_MODEL_PATH, generateSectionsModel, schemaWithSections } from './generate-sections';
import { schemaPath } from '../src/model/schema-document';

const root = packagePath();
const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
const read = (rel: string): string | undefined => (fs.existsSync(packagePath(rel)) ? fs.readFileSync(packagePath(rel), 'utf8') : undefined);

/** Every generated file: path relative to the repository root → the content it must have. */
export function generatedFiles(): ReadonlyMap<string, string> {
  const files = new Map<string, string>();
  // The schema's POP3/IMAP4 definitions and the other sections' settings come from the catalog; the validator and docs from that schema.
  const schema = schemaWithSections(schemaWithProtocolDefs());
  files.set(relative(schemaPath()), schema);
  files.set(relative(PROTOCOL_SETTINGS_MODEL_PATH), generateProtocolSettingsModel());
  files.set(relative(SECTIONS_MODEL_PATH), generateSectionsModel());
  files.set(relative(GENERATED_PATH), generateValidatorModule(schema));
  files.set(relative(SCHEMA_DOCS_PATH), generateSchemaDocs(schema));
  for (const [rel, content] of renderRuleDocs()) files.set(rel, content);
  files.set('powershell/host-config.json', hostConfigText());
  files.set(ENDPOINT_DOCS, renderEndpointDocs(read(ENDPOINT_DOCS) ?? ''));
  return files;
}

/** The generated files whose committed content differs from what their source generates. */
export function staleFiles(files: ReadonlyMap<string, string> = generatedFiles()): readonly string[] {
  return [...files].filter(([rel, content]) => read(rel) !== content).map(([rel]) => rel);
}

function main(): void {
  const files = generatedFiles();
  if (process.argv.includes('--check')) {
    const stale = staleFiles(files);
    for (const rel of stale) process.stderr.write(`stale: ${rel} (run \`npm run generate\`)\n`);
    process.exitCode = stale.length === 0 ? 0 : 1;
    return;
  }
  for (const [rel, content] of files) {
    if (read(rel) === content) continue;
    fs.mkdirSync(path.dirname(packagePath(rel)), { recursive: true });
    fs.writeFileSync(packagePath(rel), content);
    process.stdout.write(`wrote ${rel}\n`);
  }
}

if (require.main === module) main();
