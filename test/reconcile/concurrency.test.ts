/** The adaptive limit of a concurrent apply (src/reconcile/concurrency.ts). */
import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, PROBE_AFTER_MAX, PROBE_AFTER_START } from '../../src/reconcile/concurrency';

/** Ends one calm batch sent now, at the limit. */
function calm(c: AdaptiveConcurrency, times = 1): void {
  for (let i = 0; i < times; i++) c.done(c.ticket(), false);
}

/** `met` batches sent now meet throttling with `running` in flight; then they end. */
function throttle(c: AdaptiveConcurrency, met: number, running: number): void {
  const tickets = Array.from({ length: met }, () => c.ticket(running));
  c.throttled(tickets, running);
  for (const t of tickets) c.done(t, true);
}

/** Slow start up to `level` (no throttling met on the way). */
function climb(c: AdaptiveConcurrency, level: number): void {
  while (c.limit < level) calm(c);
}

describe('AdaptiveConcurrency', () => {
  it('starts at one and climbs while calm, never above the maximum', () => {
    const c = new AdaptiveConcurrency(4);
    expect(c.limit).toBe(1);
    calm(c, 50);
    expect(c.limit).toBe(4);
    expect(c.highest).toBe(4);
  });

  it('in the slow start, counts batches sent at the limit or the one before: two more per round, not one', () => {
    const c = new AdaptiveConcurrency(64);
    // One round: every batch running at the limit ends calm, each sent before any grew it.
    const round = (): void => {
      const sent = Array.from({ length: c.limit }, () => c.ticket());
      for (const t of sent) c.done(t, false);
    };
    const levels = [c.limit];
    for (let i = 0; i < 5; i++) {
      round();
      levels.push(c.limit);
    }
    expect(levels).toEqual([1, 2, 4, 6, 8, 10]);
    // A batch sent well below the limit says nothing.
    const c2 = new AdaptiveConcurrency(64);
    climb(c2, 6);
    c2.done({ ...c2.ticket(), limit: 4 }, false);
    expect(c2.limit).toBe(6);
  });

  it('in the slow start, a batch that ran below the limit because lanes were still starting does not grow it', () => {
    const c = new AdaptiveConcurrency(64);
    climb(c, 6);
    // Sent at limit 6 but only 2 in flight: hosts still signing in.
    c.done(c.ticket(2), false);
    expect(c.limit).toBe(6);
    c.done(c.ticket(5), false);
    expect(c.limit).toBe(7);
  });

  it('the first throttling sets the limit to what Exchange let through (in flight less those that met it) and holds there: no halving', () => {
    const c = new AdaptiveConcurrency(32);
    climb(c, 9);
    // 9 in flight, 1 met the budget: Exchange allowed 8.
    throttle(c, 1, 9);
    expect(c.limit).toBe(8);
    expect(c.decreases).toBe(1);
    // Calm at 8 for a long time: it stays at 8 (until a probe).
    calm(c, PROBE_AFTER_START - 1);
    expect(c.limit).toBe(8);
  });

  it('throttled again at the level found (the budget shrank) goes down to what was let through then — one step, not half', () => {
    const c = new AdaptiveConcurrency(32);
    climb(c, 9);
    throttle(c, 1, 9);
    expect(c.limit).toBe(8);
    throttle(c, 1, 8);
    expect(c.limit).toBe(7);
  });

  it('ignores throttling met by a batch sent before the last decrease (it ran at the old level)', () => {
    const c = new AdaptiveConcurrency(32);
    climb(c, 10);
    const early = c.ticket(10);
    throttle(c, 2, 10);
    expect(c.limit).toBe(8);
    c.throttled([early], 10);
    expect(c.limit).toBe(8);
    expect(c.decreases).toBe(1);
  });

  it('an estimate that came out low recovers one per calm batch to one below the level that met throttling, and holds there', () => {
    const c = new AdaptiveConcurrency(32);
    climb(c, 10);
    // Four met it at once (some only briefly): 6 let through, the ceiling is 10.
    throttle(c, 4, 10);
    expect(c.limit).toBe(6);
    calm(c, 3);
    expect(c.limit).toBe(9);
    calm(c, PROBE_AFTER_START - 1);
    expect(c.limit).toBe(9);
  });

  it('probes the level that met throttling only after many calm batches, goes back when the probe meets it, and waits twice as long before the next', () => {
    const c = new AdaptiveConcurrency(32);
    climb(c, 9);
    throttle(c, 1, 9);
    expect(c.limit).toBe(8);
    calm(c, PROBE_AFTER_START);
    expect(c.limit).toBe(9);
    throttle(c, 1, 9);
    expect(c.limit).toBe(8);
    expect(c.decreases).toBe(2);
    calm(c, 2 * PROBE_AFTER_START - 1);
    expect(c.limit).toBe(8);
    calm(c);
    expect(c.limit).toBe(9);
    // The waits double up to PROBE_AFTER_MAX, no further.
    let wait = 2 * PROBE_AFTER_START;
    for (let i = 0; i < 10; i++) {
      throttle(c, 1, 9);
      expect(c.limit).toBe(8);
      wait = Math.min(PROBE_AFTER_MAX, wait * 2);
      calm(c, wait - 1);
      expect(c.limit).toBe(8);
      calm(c);
      expect(c.limit).toBe(9);
    }
    expect(wait).toBe(PROBE_AFTER_MAX);
  });

  it('a probe that stays calm for a whole round raises the level found by one', () => {
    const c = new AdaptiveConcurrency(32);
    climb(c, 9);
    throttle(c, 1, 9);
    calm(c, PROBE_AFTER_START);
    expect(c.limit).toBe(9);
    // Fewer calm batches than the level: still probing.
    calm(c, 8);
    expect(c.limit).toBe(9);
    calm(c);
    expect(c.limit).toBe(10);
    // The next probe (10 → 11) needs the calm batches again.
    calm(c, PROBE_AFTER_START - 1);
    expect(c.limit).toBe(10);
  });

  it('never above the maximum, whatever the probes; never below one', () => {
    const c = new AdaptiveConcurrency(5);
    calm(c, 1000);
    expect(c.limit).toBe(5);
    expect(c.highest).toBe(5);
    const d = new AdaptiveConcurrency(4);
    for (let i = 0; i < 5; i++) throttle(d, 3, 1);
    expect(d.limit).toBe(1);
  });

  it('refuses a maximum that is not a whole number of at least one', () => {
    expect(() => new AdaptiveConcurrency(0)).toThrow(RangeError);
    expect(() => new AdaptiveConcurrency(2.5)).toThrow(RangeError);
  });
});
