import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../../scripts/generate-rule-docs';
import { ALL_RULE_METADATA } from '../../src/rules';

const root = path.resolve(__dirname, '../..');

describe('docs/rules', () => {
  it('the committed pages are what the rule metadata generates (run `npm run docs:rules`)', () => {
    for (const [rel, content] of renderAll()) {
      const file = path.join(root, rel);
      expect(fs.existsSync(file), `${rel} missing`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${rel} is stale`).toBe(content);
    }
  });

  it('no page is left over from a removed rule', () => {
    const expected = new Set([...ALL_RULE_METADATA.map((r) => `${r.id}.md`), 'README.md']);
    expect(fs.readdirSync(path.join(root, 'docs/rules')).filter((f) => !expected.has(f))).toEqual([]);
  });
});
