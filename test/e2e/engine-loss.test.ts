/**
 * A killed engine stops the writes (issue 17, item 2). `pulumi up` of a latency-charged
 * organisation is killed with SIGKILL, with its whole process group, while the provider is part
 * way through the mailboxes. The engine starts its plugins in process groups of their own, so
 * the dynamic-provider plugin survives that kill: it must notice that its engine went away,
 * start no further call, and exit. The simulator's write counter is the witness.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../../scripts/pulumi-env';
import { packageRoot } from '../../src/package-root';
import { expectExit, initStack, newProject, output, readSimulator, seedOrganisation, writes, type TempProject } from './harness';

const STACK = 'contoso-worldwide';
const MAILBOXES = 8000;
/** Per simulated call: 40 batches of 200 mailboxes take at least 16 s. */
const LATENCY_MS = 400;
/** How long the counter must stand still to count as quiet. */
const QUIET_MS = 3000;
/** The promise: writes stop within seconds. */
const KILL_TO_QUIET_LIMIT_MS = 5000;

function mailboxWrites(statePath: string): number {
  try {
    return writes(statePath)['Set-CASMailbox'] ?? 0;
  } catch {
    // Read while the simulator replaced it: try again on the next poll.
    return -1;
  }
}

/** Processes whose command line mentions `text` (ps, as on any POSIX system). */
function processesMentioning(text: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}

/** The `pulumi refresh` and `pulumi up` steps of the GitHub deploy template, in order. */
function deploySteps(): string[] {
  const template = load(fs.readFileSync(path.join(packageRoot(), 'docs', 'pipelines', 'github', 'workflows', 'mailpolicy-deploy.yml'), 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
  return Object.values(template.jobs)
    .flatMap((job) => job.steps.map((step) => step.run?.trim() ?? ''))
    .filter((run) => /^pulumi (refresh|up) /.test(run));
}

describe('pulumi up killed mid-update', () => {
  let project: TempProject;
  let statePath: string;

  beforeAll(async () => {
    project = newProject('engine-loss');
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    await seedOrganisation(statePath, project.path('stacks', `${STACK}.mailpolicy.yaml`), MAILBOXES);
    expectExit(await project.mailpolicy(['sim', 'faults', '--round-trip-ms', String(LATENCY_MS), '--state', statePath]));
    await initStack(project, STACK);
  });
  afterAll(() => {
    for (const line of processesMentioning(project.root)) {
      const pid = Number(line.trim().split(/\s+/)[0]);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    project?.remove();
  });

  it('leaves no provider writing: the write counter stops within seconds and the plugin exits', async () => {
    // Its own process group, as a shell job: kill -9 of the group is what a CI runner does on timeout.
    const up = spawn('pulumi', ['up', '--stack', STACK, '--yes', '--skip-preview', '--non-interactive'], { cwd: project.dir, env: project.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    up.stdout.on('data', (d: Buffer) => (said += d.toString()));
    up.stderr.on('data', (d: Buffer) => (said += d.toString()));
    const exited = new Promise((resolve) => up.once('exit', resolve));
    const deadline = Date.now() + 180_000;
    while (mailboxWrites(statePath) < 600) {
      if (Date.now() > deadline || up.exitCode !== null) throw new Error(`pulumi up never got far into the mailboxes (writes: ${mailboxWrites(statePath)}, exit: ${up.exitCode}):\n${said}`);
      await sleep(100);
    }
    process.kill(-(up.pid as number), 'SIGKILL');
    const killedAt = Date.now();
    await exited;

    let last = mailboxWrites(statePath);
    let lastChange = killedAt;
    while (Date.now() - lastChange < QUIET_MS && Date.now() - killedAt < 60_000) {
      await sleep(100);
      const now = mailboxWrites(statePath);
      if (now >= 0 && now !== last) {
        last = now;
        lastChange = Date.now();
      }
    }
    const killToQuietMs = lastChange - killedAt;
    const mailboxes = readSimulator(statePath).mailboxes.length;
    process.stderr.write(`engine-loss: kill-to-quiet ${killToQuietMs} ms; ${last} of ${mailboxes} mailboxes written\n`);
    expect(last).toBeLessThan(mailboxes);
    expect(killToQuietMs).toBeLessThan(KILL_TO_QUIET_LIMIT_MS);

    // Nothing of the run is left: the orphaned plugin exits on its own.
    let left = processesMentioning(project.root);
    for (let waited = 0; left.length > 0 && waited < 10_000; waited += 250) {
      await sleep(250);
      left = processesMentioning(project.root);
    }
    process.stderr.write(`engine-loss: kill-to-exit ${Date.now() - killedAt} ms\n`);
    expect(left).toEqual([]);
  });

  it('recovers as docs/pulumi.md says: pulumi cancel for the lock, then the deploy template finishes without a human', async () => {
    const locked = await project.pulumi(['up', '--stack', STACK, '--yes', '--non-interactive']);
    expect(locked.code, output(locked)).not.toBe(0);
    expect(output(locked)).toMatch(/locked/);
    expectExit(await project.pulumi(['cancel', '--yes', '--stack', STACK, '--non-interactive']));
    expect((await pendingOperations()).map((op) => op.type)).toContain('creating');

    // The deploy template's own refresh and up, as its steps run them.
    const steps = deploySteps();
    expect(steps.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['pulumi refresh', 'pulumi up']);
    for (const command of steps) {
      const run = expectExit(await runProcess('bash', ['-c', command], { cwd: project.dir, env: { ...project.env, STACK } }));
      if (command.startsWith('pulumi up')) expect(output(run)).not.toMatch(/pending/i);
    }
    expect(await pendingOperations()).toEqual([]);
    const state = readSimulator(statePath);
    const ordinary = state.mailboxes.filter((row) => !['scanner@contoso.com', 'helpdesk-archive@contoso.com'].includes(row[1]));
    for (const row of ordinary) expect(row.slice(3), row[1]).toEqual([false, false, null]);
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes', '--non-interactive']));
  });

  async function pendingOperations(): Promise<{ type: string }[]> {
    const exported = expectExit(await project.pulumi(['stack', 'export', '--stack', STACK]));
    return (JSON.parse(exported.stdout) as { deployment?: { pending_operations?: { type: string }[] } }).deployment?.pending_operations ?? [];
  }
});
