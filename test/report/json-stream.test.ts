import { describe, expect, it } from 'vitest';
import { jsonText } from '../../src/text/escape';
import { jsonTextChunks, streamedArray } from '../../src/report/json-stream';

describe('jsonTextChunks', () => {
  it('writes the bytes jsonText writes, nested, empty and unsafe arrays included', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ name: `mailbox ${i}\u202e`, on: i % 2 === 0, nested: { list: [i, null, 'x'] }, skipped: undefined }));
    const whole = { first: 'a\u2028b', list: items, resources: [{ kind: 'A', changes: [] as unknown[] }, { kind: 'B', changes: items.slice(0, 2) }], tail: [] as unknown[] };
    const streamed = {
      ...whole,
      list: streamedArray(items),
      resources: [
        { kind: 'A', changes: streamedArray([]) },
        { kind: 'B', changes: streamedArray(items.slice(0, 2)) },
      ],
      tail: streamedArray([]),
    };
    const chunks = [...jsonTextChunks(streamed)];
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.join('')).toBe(jsonText(whole));
  });

  it('makes items only as they are written', () => {
    let made = 0;
    function* lazy() {
      for (let i = 0; i < 200_000; i++) {
        made++;
        yield { i, text: 'x'.repeat(20) };
      }
    }
    const chunks = jsonTextChunks({ items: streamedArray(lazy()) });
    const first = chunks.next();
    expect(first.done).toBe(false);
    // The first chunk (about 1 MiB) holds a part of the items, not all of them.
    expect(made).toBeLessThan(200_000);
    let rest = 0;
    for (const chunk of chunks) rest += chunk.length;
    expect(made).toBe(200_000);
    expect(rest).toBeGreaterThan(0);
  });
});
