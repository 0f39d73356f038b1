/**
 * Property: strings PowerShell would treat as code or quoting (typographic quotes U+2018–U+201E,
 * dashes U+2013–U+2015, `$()`, backticks, `;`, newlines, NUL, 64 KB lengths) reach the simulated
 * cmdlet unchanged through runner + stand-in, and come back unchanged. 10,000 strings, sent in
 * batches of 100 so the run stays quick.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import { readCasMailboxes } from '../../src/exchange/reader';
import type { ExchangeBackend } from '../../src/exchange/types';
import { generatedMailbox } from '../../src/simulator/defaults';
import { writeOrg } from '../simulator/helpers';
import { openStandIn } from './stand-in';

const DANGEROUS = ['\u2018', '\u2019', '\u201A', '\u201B', '\u201C', '\u201D', '\u201E', '\u2013', '\u2014', '\u2015', '$', '(', ')', '`', ';', '\n', '\r', '\0', '"', "'", '\\', '@', '{', '}', '|', '&', '#', '<', '>', ' ', '\t', '\u2028', '\u2029', '\uFEFF', '%', '*', '-'];
const SNIPPETS = ['$()', '$(Get-Process)', '`n', '`0', "'; Remove-Item -Recurse -Force C:\\ ; '", '\u201C$env:PATH\u201D', '\u2018$(whoami)\u2019', '--%', '\u2013Confirm:$false', '@{a=1}', '"};{"id":1,"ok":true}', '\n{"id":2}\n', '${function:x}'];

const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...DANGEROUS), maxLength: 12 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SNIPPETS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);
const ordinary = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
/** 64 KB and a little either side. */
const huge = fc.tuple(piece, fc.integer({ min: 65_530, max: 65_542 })).map(([p, n]) => (p.length > 0 ? p : '\u201C').repeat(Math.ceil(n / Math.max(1, p.length))).slice(0, n));
const hostile = fc.oneof({ weight: 60, arbitrary: ordinary }, { weight: 1, arbitrary: huge });

const NOT_FOUND = (identity: string): string => `The operation couldn't be performed because object '${identity}' couldn't be found on 'BN8PR04MB6241.namprd04.prod.outlook.com'.`;

describe('hostile strings through runner + stand-in', () => {
  let backend: ExchangeBackend;
  beforeAll(() => {
    backend = openStandIn({ state: writeOrg({ platform: 'exchangeOnline', mailboxes: 1 }) });
  });
  afterAll(async () => {
    await backend.close();
  });

  it('reach the simulated cmdlet unchanged (10,000 strings in batches of 100)', async () => {
    let seen = 0;
    let huges = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostile, { minLength: 100, maxLength: 100 }), async (identities) => {
        const results = await backend.invokeBatch(identities.map((identity) => buildRequest('Set-CASMailbox', { identity: `${identity}\u2013x`, popEnabled: false })));
        identities.forEach((identity, i) => {
          const r = results[i];
          // The cmdlet names the identity it was given in its error: byte for byte what was sent.
          expect(r && !r.ok && r.error.message).toBe(NOT_FOUND(`${identity}\u2013x`));
          if (identity.length >= 65_530) huges++;
        });
        seen += identities.length;
      }),
      { numRuns: 100, seed: 20_261_123 },
    );
    expect(seen).toBeGreaterThanOrEqual(10_000);
    expect(huges).toBeGreaterThan(0);
  }, 120_000);

  it('come back unchanged in results and can be written to', async () => {
    const sample = fc.sample(hostile, { numRuns: 400, seed: 7 });
    const unique = [...new Map(sample.filter((s) => s.trim() !== '').map((s) => [s.toLowerCase(), s])).values()];
    const state = writeOrg({ platform: 'exchangeOnline' }, (s) => {
      s.mailboxes = unique.map((identity, i) => {
        const row = generatedMailbox(i + 1, 'contoso.com', 'contoso.onmicrosoft.com');
        row[0] = identity;
        return row;
      });
    });
    const b = openStandIn({ state });
    try {
      const results = await b.invokeBatch(unique.map((identity) => buildRequest('Set-CASMailbox', { identity, imapEnabled: false })));
      expect(results.filter((r) => !r.ok)).toEqual([]);
      const back = await readCasMailboxes(b);
      expect(back.map((m) => m.identity)).toEqual(unique);
      expect(back.every((m) => !m.imapEnabled)).toBe(true);
    } finally {
      await b.close();
    }
  }, 60_000);
});
