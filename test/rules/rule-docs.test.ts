import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../../scripts/generate-rule-docs';
import { ALL_RULE_METADATA } from '../../src/rules';

const root = path.resolve(__dirname, '../..');

describe('docs/rules', () => {
  // That the committed pages are current is test/generated.test.ts's job (every generated file at once).
  it('generates one page per rule and the index', () => {
    expect([...renderAll().keys()].sort()).toEqual([...ALL_RULE_METADATA.map((r) => `docs/rules/${r.id}.md`), 'docs/rules/README.md'].sort());
  });

  it('no page is left over from a removed rule', () => {
    const expected = new Set([...ALL_RULE_METADATA.map((r) => `${r.id}.md`), 'README.md']);
    expect(fs.readdirSync(path.join(root, 'docs/rules')).filter((f) => !expected.has(f))).toEqual([]);
  });
});
