/** `mailpolicy sim faults` options that only describe the fault `--add` adds. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simCommand } from '../../src/cli/commands/sim';
import { runCli } from './run-cli';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-sim-faults-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sim = (...args: string[]) => runCli(['sim', ...args], [simCommand]);

describe('mailpolicy sim faults', () => {
  it('--cmdlet, --call, --times or --message without --add is a usage error that changes nothing', async () => {
    const state = path.join(tmp, 'org.json');
    expect((await sim('init', '--platform', 'exchangeOnline', '--state', state)).code).toBe(0);
    const before = fs.readFileSync(state, 'utf8');

    expect(await sim('faults', '--state', state, '--cmdlet', 'Get-TransportConfig', '--times', '2')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'mailpolicy: --cmdlet, --times describe the fault to add: use with --add <kind>\n',
    });
    expect(await sim('faults', '--state', state, '--clear', '--message', 'boom')).toEqual({ code: 2, stdout: '', stderr: 'mailpolicy: --message describes the fault to add: use with --add <kind>\n' });
    expect(await sim('faults', '--state', state, '--call', '3', '--latency-ms', '5')).toEqual({ code: 2, stdout: '', stderr: 'mailpolicy: --call describes the fault to add: use with --add <kind>\n' });
    expect(fs.readFileSync(state, 'utf8')).toBe(before);

    // With --add they describe the fault; --latency-ms and --clear stand alone.
    const added = await sim('faults', '--state', state, '--add', 'transient', '--cmdlet', 'Get-TransportConfig', '--call', '2', '--times', '3', '--message', 'try again');
    expect(added).toEqual({ code: 0, stdout: '{"kind":"transient","cmdlet":"Get-TransportConfig","call":2,"times":3,"message":"try again"}\n', stderr: '' });
    expect(await sim('faults', '--state', state, '--latency-ms', '5')).toMatchObject({ code: 0, stdout: expect.stringContaining('latency: {"perCmdletMs":5}') });
    expect(await sim('faults', '--state', state, '--clear')).toEqual({ code: 0, stdout: 'no faults\n', stderr: '' });
  });
});
