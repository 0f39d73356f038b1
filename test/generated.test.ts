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

const ROOT = join(__dirname, '..');

describe('generated files (npm run generate)', () => {
  const files = generatedFiles();

  it('covers every generator: validator, schema docs, rule docs, host allowlist, endpoint tables', () => {
    const names = [...files.keys()];
    for (const expected of ['src/model/schema-validator.generated.ts', 'docs/schema.md', 'docs/rules/README.md', 'powershell/host-config.json', 'docs/commands/endpoints.md']) {
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
});
