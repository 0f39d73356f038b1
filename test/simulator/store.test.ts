import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import { readCasMailboxes } from '../../src/exchange/reader';
import { SimulatorBackend } from '../../src/simulator/backend';
import { withFileLock } from '../../src/files/lock';
import { parseState } from '../../src/simulator/validate-state';
import { tempDir, writeOrg } from './helpers';

const ROOT = resolve(__dirname, '..', '..');
const NODE = join(ROOT, 'node_modules', '.bin', 'node');

/** A separate Node process that sets PopEnabled off on mailboxes [from, to) one call at a time. */
function writer(state: string, from: number, to: number): ReturnType<typeof spawn> {
  const script = `
    require(${JSON.stringify(join(ROOT, 'tools', 'register-ts.js'))});
    const { SimulatorBackend } = require(${JSON.stringify(join(ROOT, 'src', 'simulator', 'backend.ts'))});
    const { buildRequest } = require(${JSON.stringify(join(ROOT, 'src', 'exchange', 'request.ts'))});
    (async () => {
      const b = new SimulatorBackend({ statePath: ${JSON.stringify(state)} });
      for (let i = ${from}; i < ${to}; i++) {
        await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user' + String(i + 1).padStart(6, '0'), popEnabled: false }));
        process.stdout.write('.');
      }
    })().catch((e) => { console.error(e); process.exit(1); });`;
  return spawn(NODE, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

describe('state file: locking and atomic writes', () => {
  it('two or more processes writing at once lose no change and never tear the file', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 2000 });
    const children = [writer(state, 0, 30), writer(state, 30, 60), writer(state, 60, 90)];
    const codes = await Promise.all(children.map(exited));
    expect(codes).toEqual([0, 0, 0]);
    const mailboxes = await readCasMailboxes(new SimulatorBackend({ statePath: state }));
    expect(mailboxes.filter((m) => !m.popEnabled).map((m) => m.identity)).toEqual(Array.from({ length: 90 }, (_, i) => `user${String(i + 1).padStart(6, '0')}`));
    expect(parseState(readFileSync(state, 'utf8'), state).writes).toEqual({ 'Set-CASMailbox': 90 });
  }, 60_000);

  it('a writer killed mid-run leaves a valid file, and its lock does not block the next writer', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 50_000 });
    const child = writer(state, 0, 1000);
    await new Promise<void>((r) => child.stdout?.once('data', () => r()));
    child.kill('SIGKILL');
    await exited(child);
    const parsed = parseState(readFileSync(state, 'utf8'), state);
    expect(parsed.mailboxes).toHaveLength(50_000);
    const b = new SimulatorBackend({ statePath: state, lock: { timeoutMs: 5000 } });
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user050000', imapEnabled: false }));
    expect((await readCasMailboxes(b)).at(-1)?.imapEnabled).toBe(false);
  }, 60_000);

  it('takes over a lock left by a dead process', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 1 });
    writeFileSync(`${state}.lock`, '999999999');
    const b = new SimulatorBackend({ statePath: state, lock: { timeoutMs: 2000 } });
    await b.invoke(buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false }));
    expect(existsSync(`${state}.lock`)).toBe(false);
  });

  it('waits for a live lock and gives up with a clear message', async () => {
    const path = join(tempDir(), 'x.json');
    writeFileSync(path, '{}');
    let release: () => void = () => undefined;
    const held = withFileLock(path, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(withFileLock(path, async () => 1, { timeoutMs: 200 })).rejects.toThrow(/could not lock .*x\.json/);
    release();
    await held;
    await expect(withFileLock(path, async () => 2, { timeoutMs: 200 })).resolves.toBe(2);
  });

  it('reports a missing or malformed state file clearly', async () => {
    const dir = tempDir();
    await expect(new SimulatorBackend({ statePath: join(dir, 'none.json') }).connection()).rejects.toThrow(/no such simulator state \(create one with: mailpolicy sim init/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 1, organization: { platform: 'exchangeOnline', cloud: 'mars', name: 'x' }, mailboxes: [] }));
    await expect(new SimulatorBackend({ statePath: bad }).connection()).rejects.toThrow(/bad\.json: \/organization\/cloud: expected one of worldwide/);
  });
});

describe('simulator: faults, latency and batches', () => {
  it('fails call N of a cmdlet and only that one', async () => {
    const b = new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeOnline' }), faults: [{ kind: 'permanent', cmdlet: 'Get-TransportConfig', call: 2, message: 'boom' }] });
    await b.invoke(buildRequest('Get-TransportConfig'));
    await expect(b.invoke(buildRequest('Get-TransportConfig'))).rejects.toThrow('Get-TransportConfig: boom');
    await b.invoke(buildRequest('Get-TransportConfig'));
  });

  it('reads faults and latency from the state file', async () => {
    const state = writeOrg({ platform: 'exchangeOnline' }, (s) => {
      s.faults = [{ kind: 'throttle', times: 2 }];
      s.latency = { perCallMs: 40 };
    });
    const b = new SimulatorBackend({ statePath: state });
    const e = await b.invoke(buildRequest('Get-TransportConfig')).catch((x: unknown) => x);
    expect(String(e)).toMatch(/\(429\) Too Many Requests/);
    await expect(b.invoke(buildRequest('Get-OrganizationConfig'))).rejects.toThrow(/429/);
    const t = Date.now();
    await b.invoke(buildRequest('Get-TransportConfig'));
    expect(Date.now() - t).toBeGreaterThanOrEqual(35);
  });

  it('a hanging call stays pending until the backend closes', async () => {
    const b = new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeOnline' }), faults: [{ kind: 'hang', cmdlet: 'Get-TransportConfig' }] });
    const pending = b.invoke(buildRequest('Get-TransportConfig'));
    const outcome = await Promise.race([pending.then(() => 'answered', () => 'failed'), new Promise((r) => setTimeout(() => r('still waiting'), 100))]);
    expect(outcome).toBe('still waiting');
    await b.close();
    await expect(pending).rejects.toThrow(/closed/);
  });

  it('a batch is one round trip and one save, with per-item outcomes', async () => {
    const state = writeOrg({ platform: 'exchangeOnline', mailboxes: 300 });
    const b = new SimulatorBackend({ statePath: state });
    const requests = Array.from({ length: 300 }, (_, i) => buildRequest('Set-CASMailbox', { identity: `user${String(i + 1).padStart(6, '0')}`, popEnabled: false }));
    const results = await b.invokeBatch([...requests, buildRequest('Set-CASMailbox', { identity: 'nobody', popEnabled: false })]);
    expect(results.filter((r) => r.ok)).toHaveLength(300);
    expect(results.at(-1)?.ok).toBe(false);
    expect(b.stats()).toMatchObject({ roundTrips: 1, calls: { 'Set-CASMailbox': 301 } });
    expect((await readCasMailboxes(b)).every((m) => !m.popEnabled)).toBe(true);
  });
});
