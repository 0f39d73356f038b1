/**
 * Resume (issue 15 item 3): `mailpolicy apply` as a real process against a simulated
 * organisation with latency, killed (SIGKILL) at random points, then run again until it
 * finishes. The final run must converge (exit 0, no drift), and the simulator's write log
 * (`sim audit`) must show no write repeated: every write changed something, and none wrote the
 * same values to the same object twice — but for a service restart whose run was killed after
 * Exchange did it and before apply heard back, which is seen and counted (killAndResume).
 * Online and on-premises, through the simulator in-process and through the PowerShell runner
 * and host (the stand-in pwsh, killed with apply).
 *
 * The kill points come from a seeded generator; the seed is printed and part of every failure
 * message. Reproduce with MAILPOLICY_RESUME_SEED=<seed>.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditKey } from '../../src/simulator/audit';
import { exampleFile, tempDir } from '../reconcile/simulated';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { TOKEN } from '../exchange/stand-in';
import { runCliProcess, startCliProcess } from './cli-process';
import { AS_OF, organisation as organisationIn, pendingRestarts, pop3Running, readState as read, repeatedWrites, sleep, writesLogged } from './resume-support';

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

/** How apply reaches the organisation: the simulator in-process, or the runner and a PowerShell host (the stand-in pwsh) over it. */
interface Backend {
  args(statePath: string): string[];
  env(statePath: string): Record<string, string>;
}
const SIMULATOR: Backend = { args: (statePath) => ['--state', statePath], env: () => ({}) };
const POWERSHELL: Backend = {
  args: () => ['--backend', 'powershell', '--pwsh', STAND_IN_PWSH],
  env: (statePath) => ({ ...standInEnv(statePath, { compiled: true }), MAILPOLICY_ACCESS_TOKEN: TOKEN }),
};

/** Where a run is killed: once the simulator has logged `writes` writes (in all runs), then `delayMs` later. */
interface KillPoint {
  readonly writes: number;
  readonly delayMs: number;
}

const organisation = (...args: Parameters<typeof organisationIn> extends [string, ...infer R] ? R : never): Promise<string> => organisationIn(dir, ...args);

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
async function killAndResume(document: string, statePath: string, points: readonly KillPoint[], context: string, backend: Backend = SIMULATOR): Promise<void> {
  const args = ['apply', document, ...backend.args(statePath), ...AS_OF, '--allow-unmatched-exceptions', '--quiet'];
  const options = { env: backend.env(statePath), group: true };
  const expectedRepeats: string[] = [];
  for (const point of points) {
    const before = writesLogged(statePath);
    const run = startCliProcess(args, options);
    let finished = false;
    void run.exited.then(() => (finished = true));
    while (!finished && writesLogged(statePath) < point.writes) await sleep(5);
    await sleep(point.delayMs);
    // apply and, through PowerShell, its host: all at once, as a cancelled job or a crash ends them.
    if (!finished) process.kill(-(run.child.pid as number), 'SIGKILL');
    const r = await run.exited;
    // Killed, or finished before the point came: anything else is a failure of its own.
    expect(r.signal === 'SIGKILL' || r.status === 0, `${context}: killed at ${JSON.stringify(point)}: ${r.stderr}`).toBe(true);
    const owed = restartsOwed(statePath);
    for (const e of (read(statePath).auditLog ?? []).slice(before)) {
      if (e.cmdlet === 'Restart-Service' && owed.includes(`${String(e.computerName).toLowerCase()}/pop3`)) expectedRepeats.push(`repeated: ${auditKey(e)} ${JSON.stringify(e.parameters)}`);
    }
  }
  const last = await startCliProcess(args, options).exited;
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

  it('Exchange Online through the PowerShell runner and host (the stand-in pwsh), both killed: 1,000 mailboxes', { timeout: 90_000 }, async () => {
    const document = exampleFile('contoso-worldwide');
    const statePath = await organisation('online-pwsh', document, 1000);
    const kills = points(3, 5, 1005);
    await killAndResume(document, statePath, kills, `seed ${SEED}, kill points ${JSON.stringify(kills)}, PowerShell backend`, POWERSHELL);
  });

  it('Exchange Server: POP3 settings with service restarts on two servers, 1,000 mailboxes', { timeout: 90_000 }, async () => {
    const document = exampleFile('woodgrove-onprem');
    const statePath = await organisation('onprem', document, 1000, pop3Running);
    const kills = points(4, 9, 1009);
    await killAndResume(document, statePath, kills, `seed ${SEED}, kill points ${JSON.stringify(kills)}`);
    // Every settings change took effect: no server waits for a restart.
    expect(pendingRestarts(read(statePath))).toEqual([['EX01', [], []], ['EX02', [], []]]);
  });
});
