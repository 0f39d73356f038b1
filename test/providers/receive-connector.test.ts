/**
 * The ReceiveConnector resource (servers[].smtpClientSubmission) through the real
 * dynamic-provider plugin, over gRPC, against the simulator: check reports a forbidden
 * AuthMechanism combination on the input property, create writes only what drifted, read reports
 * a change made behind its back, delete with restoreDefaultsOnDelete puts Exchange's defaults back
 * and leaves what depends on the server (its FQDN).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../src/model/types';
import { newOrganisation } from '../../src/simulator/defaults';
import type { SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { assertBuilt, ProviderPlugin } from './provider-plugin';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-connector-'));
const plugins: ProviderPlugin[] = [];
const onPrem: Target = { platform: 'exchangeServer', organization: 'woodgrove.com' };

async function started(): Promise<{ plugin: ProviderPlugin; statePath: string }> {
  const statePath = path.join(dir, `org-${plugins.length}.json`);
  await saveState(statePath, newOrganisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'] }));
  const plugin = await ProviderPlugin.start();
  plugins.push(plugin);
  await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });
  return { plugin, statePath };
}

const stateOf = async (statePath: string): Promise<SimulatorState> => JSON.parse(await fs.promises.readFile(statePath, 'utf8')) as SimulatorState;

beforeAll(() => assertBuilt());
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ReceiveConnector (Client Frontend)', () => {
  it('check: a combination Set-ReceiveConnector refuses fails on the input property', async () => {
    const { plugin } = await started();
    const result = await plugin.check('ReceiveConnector', {}, { target: onPrem, server: 'EX01', smtpClientSubmission: { authMechanism: ['None', 'Tls'] } });
    expect(result.failures).toContainEqual({ property: 'smtpClientSubmission.authMechanism', reason: expect.stringMatching(/None can only be used by itself/) });
  });

  it('create writes the drift, read sees a change behind its back, delete restores the defaults it can', async () => {
    const { plugin, statePath } = await started();
    const inputs = {
      target: onPrem,
      server: 'EX01',
      smtpClientSubmission: { fqdn: 'mail.woodgrove.com', authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'], requireTLS: true },
      restoreDefaultsOnDelete: true,
    };
    const created = await plugin.create('ReceiveConnector', inputs);
    expect(created.id).toBe('woodgrove.com/EX01/ReceiveConnector/Client Frontend EX01');
    expect((await stateOf(statePath)).writes).toEqual({ 'Set-ReceiveConnector': 1 });
    expect((await stateOf(statePath)).receiveConnectors?.[0]?.settings).toMatchObject({ Fqdn: 'mail.woodgrove.com', AuthMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS'], RequireTLS: true });

    const state = await stateOf(statePath);
    const connector = state.receiveConnectors?.[0];
    if (!connector) throw new Error('no connector');
    connector.settings.RequireTLS = false;
    await saveState(statePath, state);
    const read = await plugin.read('ReceiveConnector', created.id, created.outputs);
    expect(read.inputs).toMatchObject({ smtpClientSubmission: { fqdn: 'mail.woodgrove.com', requireTLS: false } });

    await plugin.delete('ReceiveConnector', created.id, created.outputs);
    const after = (await stateOf(statePath)).receiveConnectors?.[0]?.settings;
    expect(after).toMatchObject({ Fqdn: 'mail.woodgrove.com', RequireTLS: false, AuthMechanism: ['Tls', 'Integrated', 'BasicAuth', 'BasicAuthRequireTLS'] });
  });
});
