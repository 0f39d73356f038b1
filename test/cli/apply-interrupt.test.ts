/**
 * Interrupting `mailpolicy apply` (issue 15 item 3), the CLI as a real process over a simulated
 * organisation with its write log on:
 * - killed between a POP3 settings change and the restart it needs: the next run restarts the
 *   services though the settings are in place (restarts owed, src/reconcile/restarts-owed.ts);
 * - Ctrl-C: the change in flight finishes, apply says what was applied and what not, exit 2; a
 *   second Ctrl-C ends it at once; the next run resumes.
 */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { exampleFile, tempDir } from '../reconcile/simulated';
import { runCliProcess, startCliProcess } from './cli-process';
import { AS_OF, organisation as organisationIn, pendingRestarts, pop3Running, readState as read, repeatedWrites, sleep, writesLogged } from './resume-support';

const dir = tempDir('interrupt');
// Where apply keeps the restarts it owes (docs/commands/apply.md): this test's own.
process.env.MAILPOLICY_STATE_DIR = dir;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const organisation = (...args: Parameters<typeof organisationIn> extends [string, ...infer R] ? R : never): Promise<string> => organisationIn(dir, ...args);

describe('a kill between a settings change and its restart', () => {
  it('the next apply restarts the services, though the settings are already in place', { timeout: 60_000 }, async () => {
    const document = exampleFile('woodgrove-onprem');
    const statePath = await organisation('restart', document, 5, pop3Running);
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
    expect(pendingRestarts(after)).toEqual([['EX01', [], []], ['EX02', [], []]]);
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
