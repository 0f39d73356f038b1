/**
 * Issue 15, "Done when": the first apply of `casMailboxes.default: {popEnabled: false,
 * imapEnabled: false}` to a tenant where every mailbox differs, against a simulator that takes
 * L per cmdlet and allows B cmdlets at once (the throttling budget), through the real runner
 * and stand-in pwsh hosts (one real child process per connection, as in production).
 *
 * The physical limit is W × L / B (W writes); the benchmark prints the wall time of the apply
 * against it (goal: at most 1.25 ×), the sequential time (`--concurrency 1`, measured on a sample
 * of the same organisation and scaled to W), the throttling errors met (each retried: the apply
 * must report no failure), the connections used and the most batches at once, and peak memory.
 * The maximum concurrency is set above the budget, so the budget is discovered, not configured.
 * A second scenario with a smaller budget shows the adaptation. Last, what the same model says
 * of a real tenant (L = 0.3 s).
 *
 * Where the time goes beyond the ideal is printed too (the apply's ParallelTiming): the mean
 * batches in flight against B and the share of the budget used; the ramp (when the limit first
 * reached B, when throttling was first noticed); the batches that met throttling and the time
 * lanes waited out retry-afters; what extra connections took to start, sign in and be checked;
 * the CPU time of this process and of the stand-in hosts against the wall time; the limit over
 * time. The machine is shared: run it twice and quote both.
 *
 * Run: npm run build && node dist/bench/apply-concurrency.js [mailboxes] [latencyMs] [budget] [in-process|hosts] [--no-sequential]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBackend } from '../src/backends/open-backend';
import type { PowerShellBackend } from '../src/exchange/powershell-backend';
import { loadPolicyFileOrThrow } from '../src/model/load';
import type { MailPolicy } from '../src/model/types';
import { applyChanges, type ApplyResult } from '../src/reconcile/executor';
import { planLive } from '../src/reconcile/live';
import { newOrganisation } from '../src/simulator/defaults';
import type { ThrottleModel } from '../src/simulator/state';
import { saveState } from '../src/simulator/store';
import { mb, peakRss } from './stand-in-process';
import { STAND_IN_PWSH, standInEnv } from './stand-in-pwsh';

const ORGANIZATION = 'contoso.onmicrosoft.com';
const n = (value: number): string => value.toLocaleString('en');
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Above every budget the scenarios set: the runner must find the budget itself. */
const MAX_CONCURRENCY = 16;
/** Writes the sequential run measures (then scaled to the whole organisation). */
const SEQUENTIAL_SAMPLE = 3_000;

const DOCUMENT = `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: contoso }
target: { platform: exchangeOnline, cloud: worldwide, organization: ${ORGANIZATION} }
casMailboxes:
  default: { popEnabled: false, imapEnabled: false }
`;

function policyIn(dir: string): MailPolicy {
  const file = join(dir, 'contoso.mailpolicy.yaml');
  writeFileSync(file, DOCUMENT);
  return loadPolicyFileOrThrow(file).policy;
}

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

interface Children {
  readonly count: number;
  /** Peak resident memory, in bytes. */
  readonly largest: number;
  readonly total: number;
  /** CPU time (user + system) used so far, summed, in ms. */
  readonly cpuMs: number;
}

/** This process's children still running (the stand-in hosts): their peak memory and CPU time. */
function children(): Children {
  let count = 0;
  let largest = 0;
  let total = 0;
  let cpuMs = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid) continue;
      const peak = peakRss(Number(entry)) ?? 0;
      count++;
      total += peak;
      largest = Math.max(largest, peak);
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the state.
      cpuMs += ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
    } catch {
      // Gone meanwhile.
    }
  }
  return { count, largest, total, cpuMs };
}

/** CPU time (user + system) this process has used, in ms. */
function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

interface Run {
  readonly writes: number;
  readonly wallMs: number;
  readonly result: ApplyResult;
  readonly throttled: number;
  /** Time the lanes waited out retry-afters (summed over lanes). */
  readonly throttleWaitMs: number;
  readonly hosts: Children;
  /** CPU time during the apply: this process (the runner or the in-process simulator), and the hosts'. */
  readonly parentCpuMs: number;
  readonly hostsCpuMs: number;
}

/** Where the organisation is served: stand-in pwsh hosts (one process per connection, as PowerShell would be) or the simulator in-process (lanes in one process). */
type Mode = 'hosts' | 'in-process';

async function applyOnce(mode: Mode, dir: string, name: string, mailboxes: number, latencyMs: number, throttle: ThrottleModel, maxConcurrency: number): Promise<Run> {
  const statePath = join(dir, `${name}.json`);
  const org = newOrganisation({ platform: 'exchangeOnline', cloud: 'worldwide', organization: ORGANIZATION, mailboxes });
  // Every mailbox has POP3 and IMAP4 on (a new tenant's default): every one changes.
  org.latency = { perCmdletMs: latencyMs };
  org.throttle = throttle;
  await saveState(statePath, org);
  const backend =
    mode === 'hosts'
      ? (openBackend({ kind: 'powershell', platform: 'exchangeOnline', cloud: 'worldwide', organization: ORGANIZATION, accessToken: 'bench-token-not-a-secret', pwshPath: STAND_IN_PWSH, env: standInEnv(statePath, { compiled: true }) }) as PowerShellBackend)
      : openBackend({ kind: 'simulator', statePath });
  try {
    const { plan } = await planLive(policyIn(dir), backend);
    const before = backend.stats();
    const cpuBefore = ownCpuMs();
    const hostsCpuBefore = children().cpuMs;
    const started = Date.now();
    const result = await applyChanges(plan.target, plan.changes, backend, { maxConcurrency });
    const wallMs = Date.now() - started;
    const parentCpuMs = ownCpuMs() - cpuBefore;
    if (result.failures.length > 0) throw new Error(`apply reported ${result.failures.length} failure(s), e.g. ${result.failures[0]?.error.message}`);
    const writes = plan.changes.filter((c) => c.bulk).length;
    const hosts = children();
    const after = backend.stats();
    return {
      writes,
      wallMs,
      result,
      throttled: (after.throttled ?? 0) - (before.throttled ?? 0),
      throttleWaitMs: (after.throttleWaitMs ?? 0) - (before.throttleWaitMs ?? 0),
      hosts,
      parentCpuMs,
      hostsCpuMs: hosts.cpuMs - hostsCpuBefore,
    };
  } finally {
    await backend.close();
  }
}

async function scenario(mode: Mode, dir: string, title: string, mailboxes: number, latencyMs: number, budget: number, sequentialMs: number): Promise<number> {
  const run = await applyOnce(mode, dir, `${mode}-b${budget}`, mailboxes, latencyMs, { concurrency: budget, retryAfterSeconds: 1 }, MAX_CONCURRENCY);
  const ideal = (run.writes * latencyMs) / budget;
  const ratio = run.wallMs / ideal;
  const p = run.result.parallel;
  console.log(`\n${title} (${mode === 'hosts' ? 'stand-in pwsh hosts' : 'simulator in-process'}): ${n(run.writes)} Set-CASMailbox, L = ${latencyMs} ms per cmdlet, budget B = ${budget}, --concurrency ${MAX_CONCURRENCY}`);
  console.log(`  wall time (apply):   ${s(run.wallMs)}`);
  console.log(`  ideal W×L/B:         ${s(ideal)}   ratio ${ratio.toFixed(2)} (goal ≤ 1.25) ${ratio <= 1.25 ? 'OK' : 'ABOVE GOAL'}`);
  console.log(`  sequential:          ${s(sequentialMs)} (${(sequentialMs / run.wallMs).toFixed(1)}× the concurrent apply)`);
  console.log(`  throttling:          ${n(run.throttled)} error(s) met (HTTP 429), every one retried; ${run.result.failures.length} failure(s) reported`);
  console.log(`  connections:         ${p?.lanes ?? 1} host(s) opened, at most ${p?.peak ?? 1} batch(es) at once, ${p?.decreases ?? 0} backoff(s)`);
  if (p) {
    const t = p.timing;
    const reached = t.limits.find(([, limit]) => limit >= budget)?.[0];
    const trace = t.limits.map(([at, limit]) => `${(at / 1000).toFixed(1)}s:${limit}`);
    console.log(`  where the time went: mean ${(t.busyMs / t.wallMs).toFixed(2)} batches in flight (budget ${budget}); budget used ${((100 * run.writes * latencyMs) / (budget * run.wallMs)).toFixed(0)}% of the wall time`);
    console.log(`    ramp:              limit reached B at ${reached === undefined ? 'never' : s(reached)}; first throttling reported at ${t.firstThrottledMs === undefined ? 'never' : s(t.firstThrottledMs)}`);
    console.log(`    throttled:         ${n(t.throttledBatches)} batch(es) met throttling; ${s(run.throttleWaitMs)} waited out (retry-after, summed over lanes)`);
    console.log(`    extra connections: start + sign-in + check ${s(t.laneStartMaxMs)} at most, ${s(t.laneStartTotalMs)} together`);
    console.log(`    CPU:               mailpolicy ${s(run.parentCpuMs)} (${((100 * run.parentCpuMs) / run.wallMs).toFixed(0)}% of one core)${mode === 'hosts' ? `, stand-in hosts ${s(run.hostsCpuMs)} together` : ''}; wall ${s(run.wallMs)}`);
    console.log(`    limit over time:   ${trace.length > 24 ? [...trace.slice(0, 20), '…', ...trace.slice(-3)].join(' ') : trace.join(' ')}`);
  }
  const hosts = mode === 'hosts' ? `; stand-in hosts (each holds the organisation, as Exchange would): largest ${mb(run.hosts.largest)}, ${run.hosts.count} together ${mb(run.hosts.total)}` : '';
  console.log(`  peak memory:         mailpolicy (Node) ${mb(process.resourceUsage().maxRSS * 1024)}${hosts}`);
  return ratio;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const withSequential = !process.argv.includes('--no-sequential');
  const mailboxes = Number(args[0] ?? 60_000);
  const latencyMs = Number(args[1] ?? 5);
  const budget = Number(args[2] ?? 8);
  const modes: readonly Mode[] = args[3] === 'hosts' || args[3] === 'in-process' ? [args[3]] : ['in-process', 'hosts'];
  const dir = mkdtempSync(join(tmpdir(), 'mailpolicy-bench-concurrency-'));
  try {
    console.log(`mailpolicy apply with concurrency over the simulator (load average at start ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores)`);
    // Sequential: one connection; measured on a sample, scaled to the organisation.
    let sequentialMs = mailboxes * latencyMs;
    if (withSequential) {
      const sample = Math.min(SEQUENTIAL_SAMPLE, mailboxes);
      const seq = await applyOnce('hosts', dir, 'sequential', sample, latencyMs, { concurrency: budget }, 1);
      sequentialMs = (seq.wallMs / seq.writes) * mailboxes;
      console.log(`\nsequential (--concurrency 1, one stand-in host): ${n(seq.writes)} writes in ${s(seq.wallMs)}, scaled to ${n(mailboxes)}: ${s(sequentialMs)} (W×L = ${s(mailboxes * latencyMs)})`);
    } else console.log(`\nsequential not measured (--no-sequential): W×L = ${s(sequentialMs)} below`);

    const ratios: Record<string, number> = {};
    for (const mode of modes) {
      ratios[`${mode} ${budget}`] = await scenario(mode, dir, 'Budget as asked', mailboxes, latencyMs, budget, sequentialMs);
      const small = Math.max(1, Math.floor(budget / 3));
      const smallMailboxes = Math.round(mailboxes / 3);
      ratios[`${mode} ${small}`] = await scenario(mode, dir, 'A smaller budget (adaptation)', smallMailboxes, latencyMs, small, (sequentialMs * smallMailboxes) / mailboxes);
    }
    // The ratio measured at the budget asked for (the first mode's): what a tenant of that budget would see.
    const measured = ratios[`${modes[0]} ${budget}`] ?? Math.max(...Object.values(ratios));
    const real = 0.3;
    console.log(`\nThe model for a real tenant (L = ${real} s per Set-CASMailbox, ${n(mailboxes)} mailboxes):`);
    console.log(`  sequential W×L:      ${((mailboxes * real) / 3600).toFixed(1)} h`);
    for (const b of [3, budget, 10]) {
      const ideal = (mailboxes * real) / b;
      console.log(`  B = ${String(b).padEnd(2)} W×L/B:       ${(ideal / 60).toFixed(0)} min; at the ratio measured at B = ${budget} (${measured.toFixed(2)}): ${((ideal * measured) / 60).toFixed(0)} min`);
    }
    console.log(`  (a real host holds no organisation and spends its time waiting on Exchange: the ratio there is set by the sign-ins and the throttling, not by this machine's CPU)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(2);
});
