/**
 * The engine's Cancel (the first Ctrl-C of `pulumi up`) stops a hung call: the provider abandons
 * the call in flight and starts no other; a call the engine's side cancels (its connection
 * closed) makes the plugin exit (issue 17, item 2). Through the real plugin over gRPC.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newOrganisation } from '../../src/simulator/defaults';
import { saveState } from '../../src/simulator/store';
import type { Target } from '../../src/model/types';
import { assertBuilt, ProviderPlugin } from './provider-plugin';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-cancel-'));
const target: Target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' };
let plugin: ProviderPlugin | undefined;
let counter = 0;

/** A fresh organisation whose Set-TransportConfig never answers; the opposite of its SMTP AUTH setting, which the provider would set. */
async function hangingOrganisation(): Promise<{ statePath: string; smtp: boolean }> {
  const statePath = path.join(dir, `org-${++counter}.json`);
  const state = newOrganisation({ platform: 'exchangeOnline' });
  state.faults = [{ kind: 'hang', cmdlet: 'Set-TransportConfig' }];
  await saveState(statePath, state);
  return { statePath, smtp: !(state.transportConfig?.smtpClientAuthenticationDisabled ?? false) };
}

beforeAll(() => assertBuilt());
afterAll(async () => {
  await plugin?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Rejects with what `promise` did, or with a timeout after `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms))]);
}

it('Cancel ends a hung call at once and no further Exchange call starts', async () => {
  const { statePath, smtp } = await hangingOrganisation();
  plugin = await ProviderPlugin.start();
  await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });

  // The provider sets it, and that call hangs (15 minutes by default).
  const hung = plugin.create('TransportConfig', { target, transportConfig: { smtpClientAuthenticationDisabled: smtp } });
  hung.catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await plugin.cancel();
  await expect(within(hung, 5000)).rejects.toThrow(/closed while a call was hanging|cancelled the run/);

  await expect(within(plugin.create('TransportConfig', { target, transportConfig: { allowLegacyTLSClients: false } }), 5000)).rejects.toThrow(/not calling Exchange: the Pulumi engine cancelled the run/);
});

it('a call cancelled from the engine side before its answer (the engine went away) makes the plugin exit', async () => {
  const { statePath, smtp } = await hangingOrganisation();
  const orphan = await ProviderPlugin.start();
  await orphan.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });
  const hung = orphan.startCreate('TransportConfig', { target, transportConfig: { smtpClientAuthenticationDisabled: smtp } });
  hung.done.catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  hung.cancel();
  try {
    expect(await within(orphan.exited(), 5000)).toBe(1);
    expect(orphan.stderr()).toContain('the Pulumi engine closed its connection during a call');
  } finally {
    await orphan.stop();
  }
});

