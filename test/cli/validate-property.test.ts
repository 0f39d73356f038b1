/**
 * Property: whatever the bytes of a document, `mailpolicy validate` answers with exit 0, 1 or 2,
 * never throws and never prints a stack trace. Inputs are random mutations of the example
 * stacks: characters deleted, inserted or replaced, lines swapped or duplicated, values changed.
 */
import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate';
import { main } from '../../src/cli/main';
import { EXAMPLE_STACKS, exampleFile } from '../support/example-stacks';

const EXAMPLES = EXAMPLE_STACKS.map((n) => readFileSync(exampleFile(n), 'utf8'));
const tmp = mkdtempSync(join(tmpdir(), 'mailpolicy-validate-property-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Characters that matter to YAML and to the document's values. */
const YAML_CHARS = [':', '-', ' ', '\n', '\t', '#', '&', '*', '!', '|', '>', '[', ']', '{', '}', ',', '"', "'", '%', '@', '?', '~', '\u00e9', '\uFEFF', '\u0000'];
const VALUES = ['true', 'false', 'null', '~', '', '0', '-1', '99999999999', 'yes', '"x"', '[]', '{}', '&a x', '*a', '!!binary AAAA', 'mail.contoso.com:110:', '2027-02-30', '25:00:00', '*.contoso.com'];

type Mutation = (text: string) => string;

const at = (text: string, ratio: number): number => Math.floor(ratio * (text.length + 1));
const ratio = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ r: ratio, n: fc.integer({ min: 1, max: 20 }) }).map(({ r, n }) => (t: string) => t.slice(0, at(t, r)) + t.slice(at(t, r) + n)),
  fc.record({ r: ratio, s: fc.oneof(fc.constantFrom(...YAML_CHARS), fc.string({ maxLength: 8 })) }).map(({ r, s }) => (t: string) => t.slice(0, at(t, r)) + s + t.slice(at(t, r))),
  fc.record({ r: ratio, c: fc.constantFrom(...YAML_CHARS) }).map(({ r, c }) => (t: string) => t.slice(0, at(t, r)) + c + t.slice(at(t, r) + 1)),
  fc.record({ a: ratio, b: ratio }).map(({ a, b }) => (t: string) => {
    const lines = t.split('\n');
    const i = Math.floor(a * lines.length);
    const j = Math.floor(b * lines.length);
    [lines[i], lines[j]] = [lines[j] as string, lines[i] as string];
    return lines.join('\n');
  }),
  fc.record({ a: ratio }).map(({ a }) => (t: string) => {
    const lines = t.split('\n');
    const i = Math.floor(a * lines.length);
    lines.splice(i, 0, lines[i] as string);
    return lines.join('\n');
  }),
  fc.record({ a: ratio, v: fc.constantFrom(...VALUES) }).map(({ a, v }) => (t: string) => {
    const lines = t.split('\n');
    const i = Math.floor(a * lines.length);
    lines[i] = (lines[i] as string).replace(/:( .*)?$/, `: ${v}`);
    return lines.join('\n');
  }),
);

describe('validate never crashes on mutated examples', () => {
  it('exit 0/1/2, no exception, no stack trace (1000 runs)', async () => {
    let run = 0;
    const codes = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: EXAMPLES.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.boolean(), async (example, mutations, latin1) => {
        const text = mutations.reduce((t, m) => m(t), EXAMPLES[example] as string);
        const file = join(tmp, `mutated-${run % 8}.yaml`);
        const format = run++ % 2 === 0 ? 'text' : 'json';
        writeFileSync(file, latin1 ? Buffer.from(text, 'latin1') : text);
        let output = '';
        const code = await main(['validate', '--format', format, file], { stdout: (t) => (output += t), stderr: (t) => (output += t) }, [validateCommand]);
        expect([0, 1, 2]).toContain(code);
        codes.set(code, (codes.get(code) ?? 0) + 1);
        expect(output).not.toContain('    at ');
        expect(output).not.toContain('internal error');
        if (code === 1 && format === 'text') {
          // Every problem line names the file and a position.
          for (const line of output.trimEnd().split('\n')) expect(line).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
        }
        if (format === 'json') expect(Array.isArray(JSON.parse(output))).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // The mutations must reach both answers, or the property says little.
    expect(codes.get(1) ?? 0).toBeGreaterThan(100);
    expect(codes.get(0) ?? 0).toBeGreaterThan(0);
  }, 120_000);
});
