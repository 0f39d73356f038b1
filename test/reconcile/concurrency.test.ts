/** The adaptive limit of a concurrent apply (src/reconcile/concurrency.ts). */
import { describe, expect, it } from 'vitest';
import { AdaptiveConcurrency, PROBE_AFTER_START } from '../../src/reconcile/concurrency';

/** Ends one batch sent now: throttled or calm, with `running` in flight. */
function end(c: AdaptiveConcurrency, throttled: number, running = c.limit): void {
  c.done(c.ticket(), throttled, running);
}

describe('AdaptiveConcurrency', () => {
  it('starts at one and climbs one per calm batch, never above the maximum', () => {
    const c = new AdaptiveConcurrency(4);
    expect(c.limit).toBe(1);
    for (let i = 0; i < 20; i++) end(c, 0);
    expect(c.limit).toBe(4);
    expect(c.highest).toBe(4);
  });

  it('steps one below the level that first met throttling, recovers to it, probes above it only after calm batches (waiting longer after each failed probe), and halves when throttled at the safe level', () => {
    const c = new AdaptiveConcurrency(32);
    for (let i = 0; i < 8; i++) end(c, 0);
    expect(c.limit).toBe(9);
    end(c, 2, 9);
    expect(c.limit).toBe(8);
    expect(c.decreases).toBe(1);
    for (let i = 0; i < PROBE_AFTER_START - 1; i++) end(c, 0);
    expect(c.limit).toBe(8);
    end(c, 0);
    expect(c.limit).toBe(9);
    // The probe meets the budget: back to 8, and the next probe waits twice as long.
    end(c, 1, 9);
    expect(c.limit).toBe(8);
    for (let i = 0; i < PROBE_AFTER_START; i++) end(c, 0);
    expect(c.limit).toBe(8);
    for (let i = 0; i < PROBE_AFTER_START; i++) end(c, 0);
    expect(c.limit).toBe(9);
    // A probe that stays calm becomes the safe level; throttled at it, the limit halves.
    for (let i = 0; i < 2 * PROBE_AFTER_START; i++) end(c, 0);
    expect(c.limit).toBe(10);
    end(c, 1, 10);
    expect(c.limit).toBe(9);
    end(c, 1, 9);
    expect(c.limit).toBe(4);
  });

  it('in the slow start, counts only batches that ran at the current limit (one more per round, not per batch)', () => {
    const c = new AdaptiveConcurrency(16);
    end(c, 0);
    expect(c.limit).toBe(2);
    const sentAtTwo = [c.ticket(), c.ticket()];
    c.done(sentAtTwo[0]!, 0, 2);
    expect(c.limit).toBe(3);
    // Sent when the limit was 2: says nothing about 3.
    c.done(sentAtTwo[1]!, 0, 2);
    expect(c.limit).toBe(3);
  });

  it('never goes below one', () => {
    const c = new AdaptiveConcurrency(4);
    for (let i = 0; i < 5; i++) end(c, 1);
    expect(c.limit).toBe(1);
  });

  it('ignores throttling reported by a batch sent before the last decrease', () => {
    const c = new AdaptiveConcurrency(16);
    for (let i = 0; i < 9; i++) end(c, 0);
    expect(c.limit).toBe(10);
    const early = c.ticket();
    end(c, 1, 10);
    expect(c.limit).toBe(9);
    c.done(early, 3, 10);
    expect(c.limit).toBe(9);
  });

  it('refuses a maximum that is not a whole number of at least one', () => {
    expect(() => new AdaptiveConcurrency(0)).toThrow(RangeError);
    expect(() => new AdaptiveConcurrency(2.5)).toThrow(RangeError);
  });
});
