/** `mailpolicy sim audit`: switches the simulator's write log on and off and prints it. CLI as a real process. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../reconcile/simulated';
import { runCliProcess } from './cli-process';

const dir = tempDir('sim-audit');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('sim audit', () => {
  it('logs every write once started, changed or not, in order; --stop drops the log', () => {
    const state = path.join(dir, 'org.json');
    expect(runCliProcess(['sim', 'init', '--state', state, '--platform', 'exchangeOnline', '--mailboxes', '2']).code).toBe(0);
    expect(runCliProcess(['sim', 'audit', '--state', state]).stdout).toBe('not recording (start with --start)\n');
    // Before --start nothing is logged.
    expect(runCliProcess(['sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=user000001', 'PopEnabled=false']).code).toBe(0);
    expect(runCliProcess(['sim', 'audit', '--state', state, '--start']).stdout).toBe('recording: 0 write(s)\n');
    expect(runCliProcess(['sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=user000002', 'PopEnabled=false']).code).toBe(0);
    expect(runCliProcess(['sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=user000002', 'PopEnabled=false']).code).toBe(0);
    // A read is not a write; a failed write is not logged.
    expect(runCliProcess(['sim', 'invoke', '--state', state, 'Get-TransportConfig']).code).toBe(0);
    expect(runCliProcess(['sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=nobody', 'PopEnabled=false']).code).toBe(2);
    const text = runCliProcess(['sim', 'audit', '--state', state]);
    expect(text.stdout).toBe('recording: 2 write(s)\nSet-CASMailbox Identity="user000002" PopEnabled=false\nSet-CASMailbox Identity="user000002" PopEnabled=false (no change)\n');
    const json = JSON.parse(runCliProcess(['sim', 'audit', '--state', state, '--format', 'json']).stdout) as unknown;
    expect(json).toEqual({
      recording: true,
      writes: [
        { cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000002', PopEnabled: false }, changed: true },
        { cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000002', PopEnabled: false }, changed: false },
      ],
    });
    expect(runCliProcess(['sim', 'audit', '--state', state, '--stop']).stdout).toBe('not recording (start with --start)\n');
    expect(JSON.parse(fs.readFileSync(state, 'utf8'))).not.toHaveProperty('auditLog');
  });

  it('--start with --stop is a usage error; a missing state is exit 2 in one line', () => {
    const both = runCliProcess(['sim', 'audit', '--state', path.join(dir, 'org.json'), '--start', '--stop']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('--start and --stop exclude each other')]);
    const missing = runCliProcess(['sim', 'audit', '--state', path.join(dir, 'none.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^mailpolicy sim audit: .*none\.json: no such simulator state/);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });
});
