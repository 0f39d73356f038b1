/**
 * Issue 15 item 1: latency per cmdlet, the throttling budget, and storage that keeps up (the
 * journal of a large state), in-process and through `mailpolicy sim faults`.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simCommand } from '../../src/cli/commands/sim';
import { classifyError, isThrottling, retryAfterMs } from '../../src/exchange/errors';
import { buildRequest } from '../../src/exchange/request';
import type { BatchItemResult, CmdletRequest } from '../../src/exchange/types';
import { SimulatorBackend } from '../../src/simulator/backend';
import { journalPath } from '../../src/simulator/journal';
import { ROW_POP, type SimulatorState } from '../../src/simulator/state';
import { StateStore } from '../../src/simulator/store';
import { parseState } from '../../src/simulator/validate-state';
import { runCli } from '../cli/run-cli';
import { tempDir, writeOrg } from './helpers';

const popOff = (identity: string): CmdletRequest => buildRequest('Set-CASMailbox', { identity, popEnabled: false });
const user = (i: number): string => `user${String(i).padStart(6, '0')}`;
const sim = (...args: string[]) => runCli(['sim', ...args], [simCommand]);

describe('latency per cmdlet', () => {
  it('charges each batch item its latency (a batch of 20 writes at 15 ms takes at least 300 ms), a read one latency for all it returns', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 200 }, (s) => (s.latency = { perCmdletMs: 15 }));
    const b = new SimulatorBackend({ statePath: state });
    let started = Date.now();
    const results = await b.invokeBatch(Array.from({ length: 20 }, (_, i) => popOff(user(i + 1))));
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(results.every((r) => r.ok)).toBe(true);
    started = Date.now();
    await b.invoke(buildRequest('Get-EXOCasMailbox', { resultSize: 'Unlimited', propertySets: ['Minimum'] }));
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('takes a cmdlet’s own figure over the per-cmdlet one', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 10 }, (s) => (s.latency = { perCmdletMs: 0, cmdletMs: { 'Set-CASMailbox': 40 } }));
    const b = new SimulatorBackend({ statePath: state });
    const started = Date.now();
    await b.invokeBatch([popOff(user(1)), popOff(user(2)), buildRequest('Get-TransportConfig')]);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(80);
    expect(took).toBeLessThan(400);
  });
});

describe('the throttling budget', () => {
  const budget = (concurrency: number, extra: Partial<NonNullable<SimulatorState['throttle']>> = {}) =>
    writeOrg({ platform: 'exchangeOnline', mailboxes: 100 }, (s) => {
      s.latency = { perCmdletMs: 20 };
      s.throttle = { concurrency, retryAfterSeconds: 0, ...extra };
    });

  it('fails a cmdlet beyond B at once with HTTP 429 and a retry-after, as a transient throttling error', async () => {
    const state = budget(1, { retryAfterSeconds: 2 });
    const a = new SimulatorBackend({ statePath: state, retryThrottled: false });
    const b = new SimulatorBackend({ statePath: state, retryThrottled: false });
    const [first, second] = await Promise.all([a.invokeBatch([popOff(user(1)), popOff(user(2))]), b.invokeBatch([popOff(user(3))])]);
    // Whichever gets the place first, the other's cmdlet (and, as it may be, the next) is refused.
    const failed = [...(first ?? []), ...(second ?? [])].filter((r): r is Extract<BatchItemResult, { ok: false }> => !r.ok);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeLessThanOrEqual(2);
    const error = failed[0]!.error;
    expect(error.message).toContain('(429) Too Many Requests');
    expect(classifyError(error)).toBe('transient');
    expect(isThrottling(error)).toBe(true);
    expect(retryAfterMs(error)).toBe(2000);
    expect((a.stats().throttled ?? 0) + (b.stats().throttled ?? 0)).toBe(failed.length);
  });

  it('in-process, waits the retry-after and tries again: every write goes through', async () => {
    const state = budget(1);
    const main = new SimulatorBackend({ statePath: state });
    const lanes = [main, main.openLane(), main.openLane()];
    const results = await Promise.all(lanes.map((lane, k) => lane.invokeBatch([popOff(user(k * 2 + 1)), popOff(user(k * 2 + 2))])));
    expect(results.flat().every((r) => r.ok)).toBe(true);
    expect(main.stats().throttled).toBeGreaterThan(0);
    const after = await main.state();
    expect(after.mailboxes.slice(0, 6).map((r) => r[ROW_POP])).toEqual([false, false, false, false, false, false]);
  });

  it('warns "Micro delay applied" on the cmdlet that fills the budget, when a micro delay is set', async () => {
    const state = budget(1, { microDelayMs: 30 });
    const results = await new SimulatorBackend({ statePath: state }).invokeBatch([popOff(user(1))]);
    expect(results[0]?.warnings).toEqual(['Micro delay applied. Actual delayed: 30 msecs, Enforced: True']);
  });

  it('frees a place its holder died with', async () => {
    const state = budget(1);
    // A place held by a process that no longer exists (pid 2^22 - 1 is above Linux's default pid_max).
    writeFileSync(`${state}.slot.0`, '4194303');
    const results = await new SimulatorBackend({ statePath: state, retryThrottled: false }).invokeBatch([popOff(user(1))]);
    expect(results[0]?.ok).toBe(true);
  });
});

describe('the journal of a large state', () => {
  const large = (): string => writeOrg({ platform: 'exchangeOnline', mailboxes: 50 });

  it('appends writes instead of rewriting the file; another store replays them; a whole write folds them in', async () => {
    const state = large();
    const before = readFileSync(state, 'utf8');
    const writer = new SimulatorBackend({ statePath: state, journalAboveBytes: 0 });
    await writer.invokeBatch([popOff(user(1)), popOff(user(2))]);
    await writer.invoke(popOff(user(3)));
    expect(readFileSync(state, 'utf8')).toBe(before);
    expect(readFileSync(journalPath(state), 'utf8').trim().split('\n')).toHaveLength(4);

    const reader = new StateStore(state);
    const seen = await reader.read();
    expect(seen.mailboxes.slice(0, 4).map((r) => r[ROW_POP])).toEqual([false, false, false, true]);
    expect(seen.writes).toEqual({ 'Set-CASMailbox': 3 });

    // A write that is not a cmdlet's (sim faults) rewrites the file with everything, and ends the journal.
    expect((await sim('faults', '--state', state, '--latency-ms', '1')).code).toBe(0);
    expect(existsSync(journalPath(state))).toBe(false);
    const folded = parseState(readFileSync(state, 'utf8'), state);
    expect(folded.mailboxes.slice(0, 4).map((r) => r[ROW_POP])).toEqual([false, false, false, true]);
    expect(folded.writes).toEqual({ 'Set-CASMailbox': 3 });
  });

  it('ignores a torn last line, and the next writer cuts it off', async () => {
    const state = large();
    const writer = new SimulatorBackend({ statePath: state, journalAboveBytes: 0 });
    await writer.invoke(popOff(user(1)));
    appendFileSync(journalPath(state), '{"cmdlet":"Set-CASMailbox","parameters":{"Identity":"user0000');
    const seen = await new StateStore(state).read();
    expect(seen.mailboxes.slice(0, 2).map((r) => r[ROW_POP])).toEqual([false, true]);
    await new SimulatorBackend({ statePath: state, journalAboveBytes: 0 }).invoke(popOff(user(2)));
    const lines = readFileSync(journalPath(state), 'utf8').split('\n');
    expect(lines.filter((l) => l !== '').every((l) => JSON.parse(l) !== undefined)).toBe(true);
    expect((await new StateStore(state).read()).mailboxes.slice(0, 3).map((r) => r[ROW_POP])).toEqual([false, false, true]);
  });

  it('ignores a journal that extends another version of the file (a crash between compacting and removing it)', async () => {
    const state = large();
    await new SimulatorBackend({ statePath: state, journalAboveBytes: 0 }).invoke(popOff(user(1)));
    const journal = readFileSync(journalPath(state), 'utf8');
    // The state is replaced (as a compaction does), the old journal left behind.
    const fresh = writeOrg({ platform: 'exchangeOnline', mailboxes: 50 });
    writeFileSync(state, readFileSync(fresh, 'utf8'));
    writeFileSync(journalPath(state), journal);
    expect((await new StateStore(state).read()).mailboxes[0]?.[ROW_POP]).toBe(true);
  });
});

describe('mailpolicy sim faults: latency and the budget', () => {
  it('sets the per-cmdlet latency, the round trip, and the budget; budget details without a budget are a usage error', async () => {
    const state = join(tempDir(), 'org.json');
    expect((await sim('init', '--platform', 'exchangeOnline', '--state', state)).code).toBe(0);
    const before = readFileSync(state, 'utf8');
    expect(await sim('faults', '--state', state, '--retry-after-seconds', '3')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mailpolicy: --retry-after-seconds and --micro-delay-ms describe the throttling budget: use with --throttle-concurrency <n>\n',
    });
    expect(readFileSync(state, 'utf8')).toBe(before);
    const set = await sim('faults', '--state', state, '--latency-ms', '5', '--round-trip-ms', '2', '--throttle-concurrency', '8', '--retry-after-seconds', '3', '--micro-delay-ms', '10');
    expect(set).toEqual({ code: 0, stdout: 'no faults\nlatency: {"perCmdletMs":5,"perCallMs":2}\nthrottle: {"concurrency":8,"retryAfterSeconds":3,"microDelayMs":10}\n', stderr: '' });
    expect((await sim('faults', '--state', state, '--throttle-concurrency', '0')).stdout).toBe('no faults\nlatency: {"perCmdletMs":5,"perCallMs":2}\n');
  });
});
