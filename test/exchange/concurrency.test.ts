/**
 * Issue 15 item 2: mailbox writes over several PowerShell hosts at once — the real runner
 * against stand-in pwsh hosts (real child processes) sharing one simulated organisation with a
 * throttling budget — and `mailpolicy apply --concurrency`.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import type { ExchangeBackend } from '../../src/exchange/types';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { applyChanges } from '../../src/reconcile/executor';
import { planLive } from '../../src/reconcile/live';
import { SimulatorBackend } from '../../src/simulator/backend';
import { ROW_IMAP, ROW_POP, type SimulatorState } from '../../src/simulator/state';
import { StateStore } from '../../src/simulator/store';
import { runCliProcess } from '../cli/cli-process';
import { tempDir, writeOrg } from '../simulator/helpers';
import { openStandIn } from './stand-in';

const open: ExchangeBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

const FAST_RETRY = { attempts: 6, baseDelayMs: 5, maxDelayMs: 20 };
const user = (i: number): string => `user${String(i).padStart(6, '0')}`;

const DOCUMENT = `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: contoso }
target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }
casMailboxes:
  default: { popEnabled: false, imapEnabled: false }
`;

function documentFile(): string {
  const file = join(tempDir(), 'contoso.mailpolicy.yaml');
  writeFileSync(file, DOCUMENT);
  return file;
}

/** Every mailbox with POP3 and IMAP4 on (a new tenant's default): every one differs from DOCUMENT. */
function drifted(mailboxes: number, edit: (s: SimulatorState) => void = () => undefined): string {
  return writeOrg({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes }, edit);
}

describe('runner: writes over several hosts', () => {
  it('retries the cmdlets Exchange throttles (HTTP 429) after their retry-after until they succeed, and counts them', async () => {
    const state = drifted(20, (s) => {
      s.latency = { perCmdletMs: 30 };
      // The backoff alone (5–20 ms, 6 attempts) would give up long before the other host's 240 ms end: the retry-after (1 s) carries it.
      s.throttle = { concurrency: 1, retryAfterSeconds: 1 };
    });
    const b = openStandIn({ state, retry: FAST_RETRY });
    open.push(b);
    const lane = b.openLane();
    // Both hosts started and signed in first, so their batches overlap.
    await Promise.all([b.invoke(buildRequest('Get-ConnectionInformation')), lane.invoke(buildRequest('Get-ConnectionInformation'))]);
    const requests = (from: number) => Array.from({ length: 8 }, (_, k) => buildRequest('Set-CASMailbox', { identity: user(from + k + 1), popEnabled: false }));
    const [first, second] = await Promise.all([b.invokeBatch(requests(0)), lane.invokeBatch(requests(8))]);
    expect([...first, ...second].every((r) => r.ok)).toBe(true);
    const stats = b.stats();
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.processSpawns).toBe(2);
    const after = await new StateStore(state).read();
    expect(after.mailboxes.slice(0, 16).every((r) => r[ROW_POP] === false)).toBe(true);
  });

  it('with exactly B hosts writing at once, the budget of B refuses none, however its places change hands between cmdlets', async () => {
    const budget = 6;
    const state = drifted(budget * 600, (s) => {
      s.latency = { perCmdletMs: 2 };
      s.throttle = { concurrency: budget, retryAfterSeconds: 1 };
    });
    const b = openStandIn({ state, retry: FAST_RETRY });
    open.push(b);
    const lanes = [b, ...Array.from({ length: budget - 1 }, () => b.openLane())];
    await Promise.all(lanes.map((l) => l.invoke(buildRequest('Get-ConnectionInformation'))));
    await Promise.all(
      lanes.map(async (lane, k) => {
        for (let j = 0; j < 3; j++) {
          const from = (k * 3 + j) * 200;
          const results = await lane.invokeBatch(Array.from({ length: 200 }, (_, i) => buildRequest('Set-CASMailbox', { identity: user(from + i + 1), popEnabled: false })));
          expect(results.every((r) => r.ok)).toBe(true);
        }
      }),
    );
    expect(b.stats().throttled).toBe(0);
    expect(b.stats().processSpawns).toBe(budget);
  });

  it('applies over at most --concurrency hosts at once, with the same result as one after another', async () => {
    const max = 2;
    const state = drifted(2_400, (s) => {
      // Slow enough that a second host pays for its sign-in (parallel-batches.ts).
      s.latency = { perCmdletMs: 5 };
    });
    const sequentialState = join(tempDir(), 'sequential.json');
    copyFileSync(state, sequentialState);
    const policy = loadPolicyFileOrThrow(documentFile()).policy;

    const b = openStandIn({ state, retry: FAST_RETRY });
    open.push(b);
    const { plan } = await planLive(policy, b);
    expect(plan.changes.filter((c) => c.bulk)).toHaveLength(2_400);
    const result = await applyChanges(plan.target, plan.changes, b, { maxConcurrency: max });
    expect(result.failures).toEqual([]);
    expect(result.applied).toHaveLength(plan.changes.length);
    // Recorded in plan order, whatever order the batches ended in.
    expect(result.applied.map((c) => c.subject)).toEqual(plan.changes.map((c) => c.subject));
    // It did go parallel, and never above the maximum.
    expect(result.parallel?.lanes).toBe(max);
    expect(result.parallel?.peak).toBe(max);
    expect(b.stats().processSpawns).toBe(max);
    // Each mailbox written once.
    expect(b.stats().calls['Set-CASMailbox']).toBe(2_400);

    // The same apply one after another, in-process and without the latency.
    const seq = new SimulatorBackend({ statePath: sequentialState, latency: {} });
    const sequential = await applyChanges(plan.target, (await planLive(policy, seq)).plan.changes, seq, { maxConcurrency: 1 });
    expect(sequential.parallel).toBeUndefined();
    const concurrentAfter = await new StateStore(state).read();
    const sequentialAfter = await new StateStore(sequentialState).read();
    expect(concurrentAfter.mailboxes).toEqual(sequentialAfter.mailboxes);
    expect(concurrentAfter.writes).toEqual(sequentialAfter.writes);
    expect(concurrentAfter.mailboxes.every((r) => r[ROW_POP] === false && r[ROW_IMAP] === false)).toBe(true);
  });

  it('with a maximum of 1 runs one host, one batch after another', async () => {
    const state = drifted(1_200, (s) => (s.latency = { perCmdletMs: 3 }));
    const b = openStandIn({ state });
    open.push(b);
    const policy = loadPolicyFileOrThrow(documentFile()).policy;
    const { plan } = await planLive(policy, b);
    const result = await applyChanges(plan.target, plan.changes, b, { maxConcurrency: 1 });
    expect(result.failures).toEqual([]);
    expect(result.parallel).toBeUndefined();
    expect(b.stats().processSpawns).toBe(1);
  });
});

describe('mailpolicy apply --concurrency', () => {
  it('takes a whole number from 1 to 64; anything else is a usage error (exit 2) that changes nothing', () => {
    const state = drifted(30);
    const doc = documentFile();
    const before = readFileSync(state, 'utf8');
    for (const bad of ['0', '65', '-1', '2.5', 'many', '']) {
      const r = runCliProcess(['apply', doc, '--state', state, '--concurrency', bad]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`mailpolicy: --concurrency must be a whole number from 1 to 64, not ${bad}`);
      expect(readFileSync(state, 'utf8')).toBe(before);
    }
    const ok = runCliProcess(['apply', doc, '--state', state, '--concurrency', '1', '--quiet']);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Applied 30 change(s).');
  });
});
