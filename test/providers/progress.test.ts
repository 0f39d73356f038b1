/**
 * The provider logs a long CasMailboxProtocol apply's progress (a write per mailbox) through its
 * log, which `pulumi up` shows: over gRPC against the plugin process, a simulator of a few
 * thousand mailboxes made slow with the latency fault, the interval lowered.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Target } from '../../src/model/types';
import { newOrganisation } from '../../src/simulator/defaults';
import { saveState } from '../../src/simulator/store';
import { assertBuilt, ProviderPlugin } from './provider-plugin';

const MAILBOXES = 2000;
const worldwide: Target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-provider-progress-'));
let plugin: ProviderPlugin | undefined;

beforeAll(() => assertBuilt());
afterAll(async () => {
  await plugin?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('a CasMailboxProtocol create logs counts of its total per interval, then done with the total', async () => {
  const statePath = path.join(dir, 'org.json');
  const state = newOrganisation({ platform: 'exchangeOnline', mailboxes: MAILBOXES });
  // Every round trip costs 150 ms: the 10 batches take a second and a half.
  state.latency = { perCallMs: 150 };
  await saveState(statePath, state);
  plugin = await ProviderPlugin.start(undefined, { MAILPOLICY_PROGRESS_INTERVAL_MS: '100' });
  await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });
  const created = await plugin.create('CasMailboxProtocol', { target: worldwide, casMailboxes: { default: { popEnabled: false }, exceptions: [] } });
  expect(created.outputs).toMatchObject({ changesApplied: MAILBOXES });
  const lines = plugin
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith(`mailpolicy: ${created.id}: writing: `));
  expect(lines.length).toBeGreaterThanOrEqual(3);
  expect(lines.some((l) => / of 2,000 changes \([0-9:]+ elapsed, [0-9,]+\/s, ETA [0-9:]+\)$/.test(l))).toBe(true);
  expect(lines.at(-1)).toMatch(/: writing: done, 2,000 changes in [0-9:]+$/);
});

it('a CasMailboxProtocol read (pulumi refresh) logs the mailboxes counted as they arrive, then done with the total; another kind logs none', async () => {
  const LARGE = 10_000;
  const statePath = path.join(dir, 'slow-read.json');
  const state = newOrganisation({ platform: 'exchangeOnline', mailboxes: LARGE });
  // 0.3 ms per mailbox read: the one mailbox read takes 3 s, its objects arriving over that time.
  state.latency = { perItemMicros: 300 };
  await saveState(statePath, state);
  await plugin?.stop();
  plugin = await ProviderPlugin.start(undefined, { MAILPOLICY_PROGRESS_INTERVAL_MS: '100' });
  await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });
  const id = 'contoso.onmicrosoft.com/cas-mailboxes';
  const props = { target: worldwide, casMailboxes: { default: { popEnabled: true }, exceptions: [] } };
  await plugin.read('CasMailboxProtocol', id, props);
  const lines = plugin
    .stderr()
    .split('\n')
    .filter((l) => l.startsWith(`mailpolicy: ${id}: reading: `));
  const counts = lines.map((l) => / reading: ([0-9,]+) mailboxes \(/.exec(l)?.[1]).flatMap((n) => (n === undefined ? [] : [Number(n.replace(/,/g, ''))]));
  expect(counts.length).toBeGreaterThanOrEqual(3);
  expect(counts.some((n) => n > 0 && n < LARGE)).toBe(true);
  expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  expect(lines.at(-1)).toMatch(/: reading: done, 10,000 mailboxes in [0-9:]+$/);
  // A read that is not of mailboxes (the transport config) prints no mailbox count.
  await plugin.read('TransportConfig', 'contoso.onmicrosoft.com/transport-config', { target: worldwide, transportConfig: { smtpClientAuthenticationDisabled: true } });
  expect(plugin.stderr()).not.toMatch(/transport-config: reading/);
});
