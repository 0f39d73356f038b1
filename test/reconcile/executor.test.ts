/** The executor against the in-process simulator: batching, stopping on failure, the connection guard. */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/open-backend';
import { ExchangeError, type ExchangeBackend } from '../../src/exchange/types';
import { applyChanges, DEFAULT_BATCH_SIZE, MIN_BATCH_SIZE } from '../../src/reconcile/executor';
import { WrongOrganisationError } from '../../src/exchange/verify-target';
import { planLive } from '../../src/reconcile/live';
import type { FaultSpec } from '../../src/simulator/state';
import { online, onPrem } from '../support/documents';
import { organisationFor, saveOrganisation, tempDir } from './simulated';

const dir = tempDir('executor');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
let count = 0;

async function simulator(policy: Parameters<typeof organisationFor>[0], mailboxes: number, faults: FaultSpec[] = []): Promise<ExchangeBackend> {
  const state = organisationFor(policy, mailboxes);
  state.faults = faults;
  return openBackend({ kind: 'simulator', statePath: await saveOrganisation(dir, `org-${++count}`, state) });
}

const mailboxPolicy = online('worldwide', { casMailboxes: { default: { popEnabled: false }, exceptions: [] } });

describe('mailbox changes in batches', () => {
  it.each([
    [450, undefined, [DEFAULT_BATCH_SIZE, DEFAULT_BATCH_SIZE, 50]],
    [450, 1000, [450]],
    [250, 10, [MIN_BATCH_SIZE, MIN_BATCH_SIZE, 50]],
  ])('%i changes, batch size %s: round trips of %j', async (mailboxes, batchSize, batches) => {
    const backend = await simulator(mailboxPolicy, mailboxes);
    const { plan } = await planLive(mailboxPolicy, backend);
    expect(plan.changes).toHaveLength(mailboxes);
    const before = backend.stats();
    const result = await applyChanges(plan.target, plan.changes, backend, batchSize === undefined ? {} : { batchSize });
    expect(result.failures).toEqual([]);
    expect(result.applied).toHaveLength(mailboxes);
    const after = backend.stats();
    // One connection check (no round trip in the simulator), then one round trip per batch.
    expect(after.roundTrips - before.roundTrips).toBe(batches.length);
    expect((after.calls['Set-CASMailbox'] ?? 0) - (before.calls['Set-CASMailbox'] ?? 0)).toBe(mailboxes);
    expect((await planLive(mailboxPolicy, backend)).plan.changes).toEqual([]);
  });

  it('a failing mailbox fails alone; the rest of its batch is applied', async () => {
    const backend = await simulator(mailboxPolicy, 150, [{ kind: 'permanent', cmdlet: 'Set-CASMailbox', call: 7, message: 'The operation could not be performed because object user000007 could not be found.' }]);
    const { plan } = await planLive(mailboxPolicy, backend);
    const result = await applyChanges(plan.target, plan.changes, backend);
    expect(result.applied).toHaveLength(149);
    expect(result.failures.map((f) => [f.change.subject, f.error.message])).toEqual([['user000007@contoso.com', expect.stringContaining('could not be found')]]);
    expect(result.skipped).toEqual([]);
  });
});

describe('organisation-level changes', () => {
  const policy = onPrem({
    servers: [{ name: 'EX01', pop3: { service: { startupType: 'Automatic', state: 'Running' }, settings: { protocolLogEnabled: true } } }],
  });

  it('the first failure stops the run: no restart or start after a settings change that failed', async () => {
    const backend = await simulator(policy, 0, [{ kind: 'permanent', cmdlet: 'Set-PopSettings', message: 'Access denied' }]);
    const { plan } = await planLive(policy, backend);
    expect(plan.changes.map((c) => c.request.cmdlet)).toEqual(['Set-PopSettings', 'Set-Service', 'Set-Service', 'Start-Service']);
    const result = await applyChanges(plan.target, plan.changes, backend);
    expect(result.applied).toEqual([]);
    expect(result.failures.map((f) => f.error.message)).toEqual([expect.stringContaining('Access denied')]);
    expect(result.skipped.map((c) => c.request.cmdlet)).toEqual(['Set-Service', 'Set-Service', 'Start-Service']);
    expect(backend.stats().calls['Start-Service']).toBeUndefined();
  });

  it('a parallel connection that signs in to another organisation writes nothing there: checked like the first', async () => {
    // Exchange's pace (5 ms a cmdlet), so a second connection pays for itself after the first batch.
    const state = organisationFor(mailboxPolicy, 1000);
    state.latency = { perCmdletMs: 5 };
    const backend = openBackend({ kind: 'simulator', statePath: await saveOrganisation(dir, `org-${++count}`, state) });
    const elsewhere = organisationFor(online('worldwide', {}), 1000);
    elsewhere.organization = { ...elsewhere.organization, name: 'fabrikam.onmicrosoft.com' };
    const otherPath = await saveOrganisation(dir, `other-${++count}`, elsewhere);
    // Every extra connection lands in fabrikam (an interactive sign-in picking the wrong tenant).
    const lanes: ExchangeBackend[] = [];
    const withStrayLanes: ExchangeBackend = Object.assign(Object.create(backend) as ExchangeBackend, {
      openLane: (): ExchangeBackend => {
        const lane = openBackend({ kind: 'simulator', statePath: otherPath });
        lanes.push(lane);
        return lane;
      },
    });
    const { plan } = await planLive(mailboxPolicy, backend);
    await expect(applyChanges(plan.target, plan.changes, withStrayLanes, { batchSize: MIN_BATCH_SIZE, maxConcurrency: 4 })).rejects.toThrow(WrongOrganisationError);
    expect(lanes.length).toBeGreaterThan(0);
    for (const lane of lanes) expect(lane.stats().calls['Set-CASMailbox'] ?? 0).toBe(0);
    await Promise.all(lanes.map((l) => l.close()));
  });

  it('a parallel connection Exchange is too busy to check (throttled, retries run out) is left out: the run goes on over the others and fails nothing', async () => {
    const state = organisationFor(mailboxPolicy, 1000);
    state.latency = { perCmdletMs: 5 };
    const backend = openBackend({ kind: 'simulator', statePath: await saveOrganisation(dir, `org-${++count}`, state) });
    const lanes: ExchangeBackend[] = [];
    const busy = new ExchangeError('Get-ConnectionInformation', {
      message: 'The remote server returned an error: (429) Too Many Requests. Retry-After: 1',
      type: 'System.Net.WebException',
      fullyQualifiedErrorId: 'ServerBusy,Get-ConnectionInformation',
      category: 'LimitsExceeded',
      transient: true,
    });
    const withBusyLanes: ExchangeBackend = Object.assign(Object.create(backend) as ExchangeBackend, {
      openLane: (): ExchangeBackend => {
        const lane = backend.openLane!();
        const refused = Object.assign(Object.create(lane) as ExchangeBackend, { connection: () => Promise.reject(busy) });
        lanes.push(refused);
        return refused;
      },
    });
    const { plan } = await planLive(mailboxPolicy, backend);
    const result = await applyChanges(plan.target, plan.changes, withBusyLanes, { batchSize: MIN_BATCH_SIZE, maxConcurrency: 4 });
    expect(result.failures).toEqual([]);
    expect(result.applied).toHaveLength(1000);
    // One was tried, none more after it was refused, and it wrote nothing.
    expect(lanes).toHaveLength(1);
    expect(result.parallel?.peak).toBe(1);
    expect((await planLive(mailboxPolicy, backend)).plan.changes).toEqual([]);
  });

  it('discovers a throttling budget and holds at it: after the first 429 the limit stays at the budget (probing one above), never halves, never passes the maximum', async () => {
    const budget = 2;
    const max = 8;
    // Enough work (2,400 × 4 ms) that a lane beyond the budget pays for itself (parallel-batches.ts).
    const state = organisationFor(mailboxPolicy, 2400);
    state.latency = { perCmdletMs: 4 };
    state.throttle = { concurrency: budget, retryAfterSeconds: 0.2 };
    const backend = openBackend({ kind: 'simulator', statePath: await saveOrganisation(dir, `org-${++count}`, state) });
    const { plan } = await planLive(mailboxPolicy, backend);
    const result = await applyChanges(plan.target, plan.changes, backend, { batchSize: MIN_BATCH_SIZE, maxConcurrency: max });
    expect(result.failures).toEqual([]);
    expect(result.applied.map((c) => c.subject)).toEqual(plan.changes.map((c) => c.subject));
    const report = result.parallel;
    expect(report?.timing.firstThrottledMs).toBeDefined();
    // The slow start overshoots by at most two; nothing ever above the maximum.
    expect(report?.peak).toBeLessThanOrEqual(budget + 2);
    const limits = report?.timing.limits ?? [];
    expect(Math.max(...limits.map(([, l]) => l))).toBeLessThanOrEqual(max);
    // From the first decrease on: at the budget, or one above it while probing — never halved.
    const first = limits.findIndex(([, l], i) => i > 0 && l < (limits[i - 1]?.[1] ?? 0));
    expect(first).toBeGreaterThan(0);
    for (const [, l] of limits.slice(first)) expect(l, JSON.stringify(limits)).toBeGreaterThanOrEqual(budget);
    expect(limits.at(-1)?.[1]).toBeLessThanOrEqual(budget + 1);
  });

  it('refuses before any write when connected to another organisation', async () => {
    const backend = await simulator(policy, 0);
    const { plan } = await planLive(policy, backend);
    const other = { ...plan.target, organization: 'fabrikam.com' };
    await expect(applyChanges(other, plan.changes, backend)).rejects.toThrow(WrongOrganisationError);
    expect(Object.keys(backend.stats().calls).filter((c) => !c.startsWith('Get-'))).toEqual([]);
  });
});
