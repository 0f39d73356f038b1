/**
 * Every generated file is what its source generates: the schema validator and docs/schema.md
 * (from the schema), the rule pages (from the rule metadata), powershell/host-config.json (from
 * the catalog) and the endpoint tables of docs/commands/endpoints.md (from the clouds table).
 * One list, scripts/generate.ts; `npm run generate` rewrites whatever this test reports.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles, staleFiles } from '../scripts/generate';
import { SECTIONS, schemaWithSections } from '../scripts/generate-sections';
import { memberAt } from '../scripts/schema-text';
import { modelKey } from '../src/exchange/catalog';

const ROOT = join(__dirname, '..');

describe('generated files (npm run generate)', () => {
  const files = generatedFiles();

  it('covers every generator: validator, schema docs, rule docs, host allowlist, endpoint tables', () => {
    const names = [...files.keys()];
    for (const expected of ['src/model/schema-validator.generated.ts', 'src/model/sections.generated.ts', 'src/model/protocol-settings.generated.ts', 'docs/schema.md', 'docs/rules/README.md', 'powershell/host-config.json', 'docs/commands/endpoints.md']) {
      expect(names).toContain(expected);
    }
    expect(names.filter((n) => n.startsWith('docs/rules/')).length).toBeGreaterThan(10);
  });

  it('every committed generated file is current (run `npm run generate`)', () => {
    expect(staleFiles(files)).toEqual([]);
  });

  it('notices a stale file: any content other than the generated one is reported', () => {
    for (const [rel, content] of files) expect(staleFiles(new Map([[rel, `${content} `]]))).toEqual([rel]);
  });

  it('`generate.js --check` agrees, as a process: exit 0 and no stale file named', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'generate.js'), '--check'], { encoding: 'utf8' });
    expect(r.stderr).not.toMatch(/stale/);
    expect(r.status).toBe(0);
  });

  it('the sections\' settings in the schema come from the catalog: a key edited by hand is restored, the hand-written keys are kept', () => {
    const schema = files.get('schema/mailpolicy.schema.json') as string;
    expect(schemaWithSections(schema)).toBe(schema);
    for (const section of SECTIONS) {
      for (const parameter of Object.keys(section.settings)) {
        const value = memberAt(schema, [...section.schema, modelKey(parameter)]);
        if (!value) throw new Error(`${section.setCmdlet} -${parameter}: not in the schema`);
        const edited = `${schema.slice(0, value.start)}{ "description": "edited by hand", "type": "string" }${schema.slice(value.end)}`;
        expect(schemaWithSections(edited), `${section.setCmdlet} -${parameter}`).toBe(schema);
      }
    }
  });

  it('the platform conditions of a setting narrower than its cmdlet come from the catalog (`platforms`)', () => {
    const schema = files.get('schema/mailpolicy.schema.json') as string;
    // Set-AuthenticationPolicy -AllowBasicAuthPop applies to Exchange Online only: refused under exchangeServer.
    const refused = '"properties": { "allowBasicAuthPop": false, ';
    expect(schema).toContain(refused);
    expect(schemaWithSections(schema.replace(refused, '"properties": { '))).toBe(schema);
  });
});
