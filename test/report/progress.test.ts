/**
 * The progress formatter on its own (the CLI and provider tests drive it through real processes,
 * where stderr is never a terminal): the terminal's updating line, counts, rate, ETA, escaping.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { duration, progressInterval, progressLine, startProgress } from '../../src/report/progress';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('a line: grouped counts of the total, elapsed, rate and ETA', () => {
  expect(progressLine('mailpolicy apply: writing', 'changes', 12_345, 60_000, 30_000)).toBe('mailpolicy apply: writing: 12,345 of 60,000 changes (0:30 elapsed, 412/s, ETA 1:56)');
  expect(progressLine('mailpolicy drift: reading', 'mailboxes', 0, undefined, 12_000)).toBe('mailpolicy drift: reading: 0 mailboxes (0:12 elapsed)');
  expect(duration(3725)).toBe('1:02:05');
});

it('escapes what it prints: a label with a newline or bidi control stays one line', () => {
  expect(progressLine('org\nfake: done\u202e', 'changes', 1, 2, 1000)).toBe('org\\nfake: done\\u202e: 1 of 2 changes (0:01 elapsed, 1/s, ETA 0:01)');
});

it('on a terminal: one line redrawn in place, cleared before the done line', () => {
  const out: string[] = [];
  const progress = startProgress({ write: (t) => out.push(t), terminal: true, label: 'x', noun: 'changes', total: 10, now: Date.now });
  progress.update(4);
  vi.advanceTimersByTime(500);
  expect(out.length).toBe(2);
  const clear = '\r\u001b[2K';
  for (const t of out) {
    expect(t.startsWith(clear)).toBe(true);
    expect(t.slice(clear.length)).toMatch(/^x: 4 of 10 changes \([0-9:]+ elapsed/);
  }
  progress.finish(10);
  expect(out.slice(2)).toEqual(['\r\x1b[2K', 'x: done, 10 changes in 0:01\n']);
  vi.advanceTimersByTime(10_000);
  expect(out.length).toBe(4);
});

it('not a terminal: a plain line per interval; work shorter than one interval prints nothing, not even done', () => {
  const out: string[] = [];
  const quick = startProgress({ write: (t) => out.push(t), terminal: false, intervalMs: 1000, label: 'x', noun: 'changes', total: 3 });
  vi.advanceTimersByTime(999);
  quick.finish(3);
  expect(out).toEqual([]);
  const slow = startProgress({ write: (t) => out.push(t), terminal: false, intervalMs: 1000, label: 'x', noun: 'changes', total: 3 });
  slow.update(1);
  vi.advanceTimersByTime(2000);
  slow.finish(3);
  expect(out).toEqual(['x: 1 of 3 changes (0:01 elapsed, 1/s, ETA 0:02)\n', 'x: 1 of 3 changes (0:02 elapsed, 1/s, ETA 0:04)\n', 'x: done, 3 changes in 0:02\n']);
});

it('the interval variable: unset is 10 s; anything but a whole number ≥ 1 is refused', () => {
  expect(progressInterval(undefined)).toBe(10_000);
  expect(progressInterval('250')).toBe(250);
  for (const bad of ['0', '-5', '1.5', 'soon']) expect(progressInterval(bad)).toBeUndefined();
});
