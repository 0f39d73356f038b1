/**
 * Progress of long work on stderr, through the CLI as a real process against a simulator of a
 * few thousand mailboxes made slow with the latency fault: a non-terminal stderr (a CI log) gets
 * a plain line per interval (MAILPOLICY_PROGRESS_INTERVAL_MS, lowered here) with counts and a
 * final done line with the total; --quiet gets none; stdout is never touched.
 */
import { copyFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { packagePath } from '../../src/package-root';
import { ROW_IMAP, ROW_POP } from '../../src/simulator/state';
import { writeOrg } from '../simulator/helpers';
import { runCliProcess } from './cli-process';

const DOCUMENT = packagePath('stacks', 'contoso-worldwide.mailpolicy.yaml');
const MAILBOXES = 3000;
const FAST = { env: { MAILPOLICY_PROGRESS_INTERVAL_MS: '100' } };
let state = '';

/** A slow organisation where every mailbox has POP3 and IMAP4 on (drifted from the document). */
function drifted(): string {
  const path = writeOrg({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: MAILBOXES }, (s) =>
    s.mailboxes.forEach((row) => {
      row[ROW_POP] = true;
      row[ROW_IMAP] = true;
    }),
  );
  // Every round trip costs 100 ms: the apply's 16 batches take a couple of seconds.
  const faults = runCliProcess(['sim', 'faults', '--state', path, '--round-trip-ms', '100']);
  expect(faults.status, faults.stderr).toBe(0);
  return path;
}

beforeEach(() => {
  state = drifted();
});

const progressLines = (stderr: string, label: string): string[] => stderr.split('\n').filter((l) => l.startsWith(`${label}: `));

describe('progress on a non-terminal stderr', () => {
  it('apply: a line per interval with counts of the total, then done with the total; nothing with --quiet', () => {
    // The same organisation twice (its plans' GUIDs are random): one applied quietly, one not.
    const second = `${state}.copy.json`;
    copyFileSync(state, second);
    const quiet = runCliProcess(['apply', DOCUMENT, '--state', second, '--allow-unmatched-exceptions', '--quiet'], FAST);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('mailpolicy apply: writing');

    const r = runCliProcess(['apply', DOCUMENT, '--state', state, '--allow-unmatched-exceptions'], FAST);
    expect(r.status, r.stderr).toBe(0);
    const lines = progressLines(r.stderr, 'mailpolicy apply: writing');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    // Every mailbox's change, and the few organisation settings the document also changes.
    const total = /of ([0-9,]+) changes/.exec(lines[0] ?? '')?.[1] ?? '';
    expect(Number(total.replace(/,/g, ''))).toBeGreaterThan(MAILBOXES);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(new RegExp(`^mailpolicy apply: writing: [0-9,]+ of ${total} changes \\([0-9:]+ elapsed`));
    expect(lines.some((l) => new RegExp(`: [1-9][0-9,]* of ${total} changes .*ETA [0-9:]+\\)$`).test(l))).toBe(true);
    expect(lines.at(-1)).toBe(`mailpolicy apply: writing: done, ${total} changes in ${/in ([0-9:]+)$/.exec(lines.at(-1) ?? '')?.[1] ?? '?'}`);
    // Stdout is the same with or without progress: the plan, the applied count, the read-back.
    expect(r.stdout.replaceAll(state, second)).toBe(quiet.stdout);
    expect(r.stdout).not.toContain('mailpolicy apply: writing');
  });

  it('drift --format json: counts the mailboxes read, stdout the same JSON as with --quiet', () => {
    const quiet = runCliProcess(['drift', DOCUMENT, '--state', state, '--format', 'json', '--quiet'], FAST);
    expect(quiet.status, quiet.stderr).toBe(1);
    expect(quiet.stderr).not.toContain('mailpolicy drift: reading');
    const r = runCliProcess(['drift', DOCUMENT, '--state', state, '--format', 'json'], FAST);
    expect(r.status, r.stderr).toBe(1);
    const lines = progressLines(r.stderr, 'mailpolicy drift: reading');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatch(/^mailpolicy drift: reading: [0-9,]+ mailboxes \([0-9:]+ elapsed/);
    expect(lines.at(-1)).toMatch(/^mailpolicy drift: reading: done, 3,000 mailboxes in [0-9:]+$/);
    expect(r.stdout).toBe(quiet.stdout);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
  });

  it('export: counts the mailboxes read; nothing with --quiet; the YAML on stdout unchanged', () => {
    const quiet = runCliProcess(['export', '--state', state, '--quiet'], FAST);
    expect(quiet.status, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toContain('mailpolicy export: reading');
    const r = runCliProcess(['export', '--state', state], FAST);
    expect(r.status, r.stderr).toBe(0);
    const lines = progressLines(r.stderr, 'mailpolicy export: reading');
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.at(-1)).toMatch(/^mailpolicy export: reading: done, 3,000 mailboxes in [0-9:]+$/);
    expect(r.stdout).toBe(quiet.stdout);
  });
});

describe('progress while one large read arrives (issue 15 item 4)', () => {
  const LARGE = 10_000;
  /** 10,000 drifted mailboxes at 0.3 ms each: the one mailbox read takes 3 s, its objects arriving over that time. */
  function slowRead(): string {
    return writeOrg({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: LARGE }, (s) => {
      s.mailboxes.forEach((row) => {
        row[ROW_POP] = true;
      });
      s.latency = { perItemMicros: 300 };
    });
  }
  const counts = (lines: readonly string[], label: string): number[] =>
    lines.map((l) => new RegExp(`^${label}: ([0-9,]+) mailboxes \\(`).exec(l)?.[1]).flatMap((n) => (n === undefined ? [] : [Number(n.replace(/,/g, ''))]));

  it.each([
    ['drift', [DOCUMENT], 1],
    ['plan', [DOCUMENT], 1],
    ['export', [], 0],
  ] as const)('%s: growing counts of the mailboxes read before the read ends, then done; nothing with --quiet', (command, args, status) => {
    const label = `mailpolicy ${command}: reading`;
    const slow = slowRead();
    const env = { env: { MAILPOLICY_PROGRESS_INTERVAL_MS: '300' } };
    const quiet = runCliProcess([command, ...args, '--state', slow, '--quiet'], env);
    expect(quiet.status, quiet.stderr).toBe(status);
    expect(quiet.stderr).not.toContain(label);
    const r = runCliProcess([command, ...args, '--state', slow], env);
    expect(r.status, r.stderr).toBe(status);
    const lines = progressLines(r.stderr, label);
    const during = counts(lines, label).filter((n) => n > 0 && n < LARGE);
    expect(during.length, r.stderr).toBeGreaterThanOrEqual(3);
    expect(during).toEqual([...new Set(during)].sort((a, b) => a - b));
    expect(lines.at(-1)).toMatch(new RegExp(`^${label}: done, 10,000 mailboxes in [0-9:]+$`));
    expect(r.stdout).not.toContain(label);
  });
});
