/**
 * Resume (issue 15 item 3): `mailpolicy apply` as a real process against a simulated
 * organisation with latency, killed (SIGKILL) at random points, then run again until it
 * finishes. The final run must converge (exit 0, no drift), and the simulator's write log
 * (`sim audit`) must show no write repeated: every write changed something, and none wrote the
 * same values to the same object twice.
 *
 * The kill points come from a seeded generator; the seed is printed and part of every failure
 * message. Reproduce with MAILPOLICY_RESUME_SEED=<seed>.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { auditKey, type AuditEntry } from '../../src/simulator/audit';
import type { SimulatorState } from '../../src/simulator/state';
import { exampleFile, organisationFor, saveOrganisation, tempDir } from '../reconcile/simulated';
import { runCliProcess, startCliProcess } from './cli-process';

const dir = tempDir('resume');
// Where apply keeps the restarts it owes (docs/commands/apply.md): this test's own.
process.env.MAILPOLICY_STATE_DIR = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const SEED = Number(process.env.MAILPOLICY_RESUME_SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`apply-resume: MAILPOLICY_RESUME_SEED=${SEED}`);

/** mulberry32: a small seeded generator, so a failing run's kill points can be replayed. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AS_OF = ['--as-of', '2026-12-01'];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const read = (statePath: string): SimulatorState => JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;

/** Writes that repeat an earlier one (same cmdlet, object and values), and writes that changed nothing. */
export function repeatedWrites(log: readonly AuditEntry[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const entry of log) {
    const key = `${auditKey(entry)} ${JSON.stringify(entry.parameters)}`;
    if (seen.has(key) || !entry.changed) repeated.push(`${entry.changed ? 'repeated' : 'no change'}: ${key}`);
    seen.add(key);
  }
  return repeated;
}

/** Where a run is killed: once the simulator has logged `writes` writes (in all runs), then `delayMs` later. */
interface KillPoint {
  readonly writes: number;
  readonly delayMs: number;
}

async function organisation(name: string, document: string, mailboxes: number, edit?: (s: SimulatorState) => void): Promise<string> {
  const state = organisationFor(loadPolicyFileOrThrow(document).policy, mailboxes);
  edit?.(state);
  // What `sim faults --latency-ms 25` and `sim audit --start` set (sim-audit.test.ts runs those).
  state.latency = { perCallMs: 25 };
  state.auditLog = [];
  return saveOrganisation(dir, name, state);
}

/** How many writes the simulator has logged (the state is replaced atomically: always a whole file). */
const writesLogged = (statePath: string): number => read(statePath).auditLog?.length ?? 0;

/** The restarts `apply` records as owed to this organisation (src/cli/restarts-owed-file.ts). */
function restartsOwed(statePath: string): string[] {
  const file = path.join(dir, 'restarts-owed.json');
  if (!fs.existsSync(file)) return [];
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string[]>)[`simulator ${path.resolve(statePath)}`] ?? [];
}

/**
 * Runs apply once per kill point and kills it (SIGKILL) once the log holds `writes` writes, plus
 * `delayMs` (so the kill lands anywhere in the next round trip: its latency, its locked save, the
 * read after it); a run that finishes first is just a run. Then runs it to the end.
 *
 * One repeat is expected, and allowed: Exchange cannot say whether a service restarted, so a
 * run killed after a restart was done and before it heard back (and recorded it) restarts the
 * services again next time — rather than leave the settings not in effect. Such kills are
 * seen here (the run logged the restart, and the record still owes it) and the repeat counted.
 */
async function killAndResume(document: string, statePath: string, points: readonly KillPoint[], context: string): Promise<void> {
  const args = ['apply', document, '--state', statePath, ...AS_OF, '--allow-unmatched-exceptions', '--quiet'];
  const expectedRepeats: string[] = [];
  for (const point of points) {
    const before = writesLogged(statePath);
    const run = startCliProcess(args);
    let finished = false;
    void run.exited.then(() => (finished = true));
    while (!finished && writesLogged(statePath) < point.writes) await sleep(5);
    await sleep(point.delayMs);
    run.child.kill('SIGKILL');
    const r = await run.exited;
    // Killed, or finished before the point came: anything else is a failure of its own.
    expect(r.signal === 'SIGKILL' || r.status === 0, `${context}: killed at ${JSON.stringify(point)}: ${r.stderr}`).toBe(true);
    const owed = restartsOwed(statePath);
    for (const e of (read(statePath).auditLog ?? []).slice(before)) {
      if (e.cmdlet === 'Restart-Service' && owed.includes(`${String(e.computerName).toLowerCase()}/pop3`)) expectedRepeats.push(`repeated: ${auditKey(e)} ${JSON.stringify(e.parameters)}`);
    }
  }
  const last = await startCliProcess(args).exited;
  expect(last.status, `${context}: the run after the kills: ${last.stderr}`).toBe(0);
  const drift = runCliProcess(['drift', document, '--state', statePath]);
  expect(drift.code, `${context}: drift after resuming: ${drift.stdout}${drift.stderr}`).toBe(0);
  expect(repeatedWrites(read(statePath).auditLog ?? []), context).toEqual(expectedRepeats);
  expect(restartsOwed(statePath), context).toEqual([]);
}

describe('an apply killed at random points resumes with no write repeated', () => {
  const random = generator(SEED);
  /**
   * The first kill among the first `settings` writes (organisation settings, POP3 settings,
   * services, restarts), the others spread over the mailboxes up to `total`, in order; each up
   * to two round trips later.
   */
  const points = (n: number, settings: number, total: number): KillPoint[] => {
    const writes = [Math.floor(random() * settings), ...Array.from({ length: n - 1 }, () => settings + Math.floor(random() * (total - settings)))].sort((a, b) => a - b);
    return writes.map((w) => ({ writes: w, delayMs: Math.round(random() * 60) }));
  };

  it('Exchange Online: transport config, authentication policy, mailbox plans, 1,500 mailboxes', { timeout: 90_000 }, async () => {
    const document = exampleFile('contoso-worldwide');
    const statePath = await organisation('online', document, 1500);
    const kills = points(4, 5, 1505);
    await killAndResume(document, statePath, kills, `seed ${SEED}, kill points ${JSON.stringify(kills)}`);
    expect(read(statePath).auditLog?.filter((e) => e.cmdlet === 'Set-CASMailbox')).toHaveLength(1500 + 2);
  });

  it('Exchange Server: POP3 settings with service restarts on two servers, 1,000 mailboxes', { timeout: 90_000 }, async () => {
    const document = exampleFile('woodgrove-onprem');
    const statePath = await organisation('onprem', document, 1000, (s) => {
      // POP3 running with other settings: each server's settings change needs a restart.
      for (const server of s.servers ?? []) for (const svc of [server.pop3.frontEnd, server.pop3.backEnd]) Object.assign(svc, { startupType: 'Automatic', status: 'Running' });
    });
    const kills = points(4, 9, 1009);
    await killAndResume(document, statePath, kills, `seed ${SEED}, kill points ${JSON.stringify(kills)}`);
    // Every settings change took effect: no server waits for a restart.
    for (const server of read(statePath).servers ?? []) expect([server.name, server.pop3.frontEnd.pendingSettings, server.pop3.backEnd.pendingSettings]).toEqual([server.name, [], []]);
  });
});

describe('a kill between a settings change and its restart', () => {
  it('the next apply restarts the services, though the settings are already in place', { timeout: 60_000 }, async () => {
    const document = exampleFile('woodgrove-onprem');
    const statePath = await organisation('restart', document, 5, (s) => {
      for (const server of s.servers ?? []) for (const svc of [server.pop3.frontEnd, server.pop3.backEnd]) Object.assign(svc, { startupType: 'Automatic', status: 'Running' });
    });
    // The first restart never answers: apply is killed while waiting for it, EX01's settings written.
    expect(runCliProcess(['sim', 'faults', '--state', statePath, '--add', 'hang', '--cmdlet', 'Restart-Service']).code).toBe(0);
    const run = startCliProcess(['apply', document, '--state', statePath, ...AS_OF, '--allow-unmatched-exceptions', '--quiet']);
    for (let waited = 0; !read(statePath).auditLog?.some((e) => e.cmdlet === 'Set-PopSettings'); waited += 50) {
      expect(waited, 'apply never wrote the settings').toBeLessThan(20_000);
      await sleep(50);
    }
    await sleep(300);
    run.child.kill('SIGKILL');
    expect((await run.exited).signal).toBe('SIGKILL');
    const killed = read(statePath);
    expect(killed.servers?.[0]?.pop3.frontEnd.pendingSettings.length).toBeGreaterThan(0);
    expect(killed.auditLog?.some((e) => e.cmdlet === 'Restart-Service')).toBe(false);

    expect(runCliProcess(['sim', 'faults', '--state', statePath, '--clear']).code).toBe(0);
    const plan = runCliProcess(['plan', document, '--state', statePath, ...AS_OF]);
    expect(plan.stdout).toContain("Invoke-Command -ComputerName 'EX01' -ScriptBlock { Restart-Service -Name 'MSExchangePOP3','MSExchangePOP3BE' }");
    const again = runCliProcess(['apply', document, '--state', statePath, ...AS_OF, '--allow-unmatched-exceptions', '--quiet']);
    expect(again.code, again.stderr).toBe(0);
    const after = read(statePath);
    for (const server of after.servers ?? []) expect([server.name, server.pop3.frontEnd.pendingSettings, server.pop3.backEnd.pendingSettings]).toEqual([server.name, [], []]);
    // The settings were not written again; each server's services restarted once.
    expect(repeatedWrites(after.auditLog ?? [])).toEqual([]);
    expect(after.auditLog?.filter((e) => e.cmdlet === 'Restart-Service').map((e) => e.computerName)).toEqual(['EX01', 'EX02']);
    // Once done, the restart is no longer owed.
    expect(runCliProcess(['plan', document, '--state', statePath, ...AS_OF]).stdout).not.toContain('Restart-Service');
  });
});

describe('Ctrl-C during apply', () => {
  it('the first SIGINT finishes the change in flight, says what was applied and what not, exit 2; a second ends it at once; the next run resumes', { timeout: 60_000 }, async () => {
    const document = exampleFile('contoso-worldwide');
    const statePath = await organisation('sigint', document, 1500);
    const args = ['apply', document, '--state', statePath, ...AS_OF, '--allow-unmatched-exceptions', '--quiet'];
    const interruptAfter = async (writes: number, signals: 1 | 2): Promise<Awaited<ReturnType<typeof startCliProcess>['exited']>> => {
      const run = startCliProcess(args);
      let stderr = '';
      run.child.stderr?.on('data', (d: string) => (stderr += d));
      while (writesLogged(statePath) < writes) await sleep(5);
      run.child.kill('SIGINT');
      if (signals === 2) {
        // Signals sent together may arrive as one: the second once the first was heard.
        while (!stderr.includes('stopping after the change in flight')) await sleep(5);
        run.child.kill('SIGINT');
      }
      return run.exited;
    };

    const first = await interruptAfter(205, 1);
    expect([first.status, first.signal], first.stderr).toEqual([2, null]);
    const said = /mailpolicy apply: interrupted: (\d+) of (\d+) change\(s\) applied, (\d+) not attempted; each change ran whole or not at all\. Run apply again to resume: it reads the organisation again and plans only what is still different\.\n$/.exec(first.stderr);
    expect(said, first.stderr).not.toBeNull();
    const [applied, total, skipped] = (said ?? []).slice(1).map(Number) as [number, number, number];
    expect(first.stderr).toContain('mailpolicy apply: SIGINT: stopping after the change in flight (again to stop at once)\n');
    // What it says it applied is exactly what Exchange got; it stopped well before the end.
    expect(applied).toBe(writesLogged(statePath));
    expect(applied + skipped).toBe(total);
    expect(skipped).toBeGreaterThan(0);

    const second = await interruptAfter(applied + 205, 2);
    expect(second.signal, second.stderr).toBe('SIGINT');

    const last = await startCliProcess(args).exited;
    expect(last.status, last.stderr).toBe(0);
    expect(repeatedWrites(read(statePath).auditLog ?? [])).toEqual([]);
    expect(read(statePath).auditLog).toHaveLength(total);
  });
});
