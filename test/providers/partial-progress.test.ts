/**
 * Resume under `pulumi up` (issue 15 item 3), over gRPC as the engine calls the plugin:
 * - an update that fails after writing part of its changes reports partial state (the engine
 *   records it, with the failure as an initialization error), keeping the old inputs so the
 *   next `pulumi up` updates again, and says how many changes went through; the next update
 *   writes only what is left;
 * - a provider killed after writing POP3 settings and before Pulumi recorded it: the next update
 *   finds nothing left to write, yet gives a new settingsChangeId, so the services still restart.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../src/model/types';
import { newOrganisation, type NewOrganisationOptions } from '../../src/simulator/defaults';
import type { FaultSpec, SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { assertBuilt, partialFailureOf, ProviderPlugin } from './provider-plugin';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-partial-'));
const plugins: ProviderPlugin[] = [];
beforeAll(() => assertBuilt());
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
async function organisation(options: NewOrganisationOptions, edit?: (s: SimulatorState) => void): Promise<string> {
  const statePath = path.join(dir, `org-${++counter}.json`);
  const state = newOrganisation(options);
  edit?.(state);
  await saveState(statePath, state);
  return statePath;
}
const readState = (statePath: string): SimulatorState => JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
const writes = (statePath: string): Record<string, number> => readState(statePath).writes ?? {};
function setFaults(statePath: string, faults: FaultSpec[]): void {
  const state = readState(statePath);
  state.faults = faults;
  fs.writeFileSync(statePath, JSON.stringify(state));
}

async function pluginFor(statePath: string): Promise<ProviderPlugin> {
  const plugin = await ProviderPlugin.start();
  plugins.push(plugin);
  await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': 'unused.yaml' });
  return plugin;
}

const worldwide: Target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' };
const onPrem: Target = { platform: 'exchangeServer', organization: 'woodgrove.com' };

describe('an update that fails part-way', () => {
  it('CasMailboxProtocol: partial state with the old inputs and the count written; the next update writes only the rest', async () => {
    const statePath = await organisation({ platform: 'exchangeOnline', mailboxes: 450 });
    const plugin = await pluginFor(statePath);
    const olds = { target: worldwide, casMailboxes: { default: { smtpClientAuthenticationDisabled: true }, exceptions: [] } };
    const created = await plugin.create('CasMailboxProtocol', olds);
    expect(created.outputs.changesApplied).toBe(450);

    // The 250th mailbox of the update fails; the others of its batch and the next go through.
    setFaults(statePath, [{ kind: 'permanent', cmdlet: 'Set-CASMailbox', call: 250 }]);
    const news = { ...olds, casMailboxes: { default: { smtpClientAuthenticationDisabled: true, popEnabled: false }, exceptions: [] } };
    const failed = await plugin.update('CasMailboxProtocol', created.id, created.outputs, news).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed, 'the update must fail').toBeInstanceOf(Error);
    const partial = partialFailureOf(failed);
    expect(partial, 'a partial state').toBeDefined();
    expect(partial?.id).toBe(created.id);
    // The old inputs: the state does not claim the new ones are in place, and the next diff sees the change.
    expect(partial?.properties).toMatchObject({ ...olds, changesApplied: 449, mailboxCount: 450 });
    expect(typeof partial?.properties.__provider).toBe('string');
    expect(partial?.reasons.join('\n')).toMatch(/449 of 450 change\(s\) applied; Set-CASMailbox \(user000250@contoso\.com\): .*\nthe next pulumi up applies what is left/);
    expect((await plugin.diff('CasMailboxProtocol', created.id, partial?.properties ?? {}, news)).changes).toBe('some');
    expect(writes(statePath)['Set-CASMailbox']).toBe(450 + 449);

    const resumed = await plugin.update('CasMailboxProtocol', created.id, partial?.properties ?? {}, news);
    expect(resumed.changesApplied).toBe(1);
    expect(writes(statePath)['Set-CASMailbox']).toBe(450 + 450);
    expect(readState(statePath).mailboxes.filter((r) => r[3])).toEqual([]);
  });
});

describe('a provider killed between a POP3 settings write and Pulumi recording it', () => {
  it('the next update finds the settings in place, gives a new settingsChangeId, and the services restart', async () => {
    const statePath = await organisation({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX01'] }, (s) => {
      const pop3 = (s.servers?.[0] as NonNullable<SimulatorState['servers']>[number]).pop3;
      for (const svc of [pop3.frontEnd, pop3.backEnd]) Object.assign(svc, { startupType: 'Automatic', status: 'Running' });
    });
    const first = await pluginFor(statePath);
    const settingsOlds = { target: onPrem, server: 'EX01', settings: { protocolLogEnabled: true } };
    const settings = await first.create('PopSettings', settingsOlds);
    const serviceInputs = { target: onPrem, server: 'EX01', protocol: 'pop3', service: { state: 'Running' }, settingsChangeId: settings.outputs.settingsChangeId };
    const service = await first.create('ProtocolService', serviceInputs);
    expect(writes(statePath)).toEqual({ 'Set-PopSettings': 1, 'Restart-Service': 1 });
    await first.stop();

    // The read-back after the write never answers: the provider is killed there.
    setFaults(statePath, [{ kind: 'hang', cmdlet: 'Get-PopSettings', call: 2 }]);
    const crashing = await pluginFor(statePath);
    const settingsNews = { ...settingsOlds, settings: { protocolLogEnabled: true, loginType: 'PlainTextAuthentication' } };
    const update = crashing.update('PopSettings', settings.id, settings.outputs, settingsNews).catch((e: unknown) => e);
    for (let waited = 0; writes(statePath)['Set-PopSettings'] !== 2; waited += 20) {
      expect(waited, 'the settings were never written').toBeLessThan(20_000);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await crashing.kill();
    await update;
    expect(readState(statePath).servers?.[0]?.pop3.frontEnd.pendingSettings).toEqual(['LoginType']);

    // The engine kept the old state: the next up updates from it.
    setFaults(statePath, []);
    const next = await pluginFor(statePath);
    const settings2 = await next.update('PopSettings', settings.id, settings.outputs, settingsNews);
    expect(settings2.changesApplied).toBe(0);
    expect(settings2.settingsChangeId).not.toBe(settings.outputs.settingsChangeId);
    const serviceNews = { ...serviceInputs, settingsChangeId: settings2.settingsChangeId };
    expect((await next.diff('ProtocolService', service.id, service.outputs, serviceNews)).changes).toBe('some');
    await next.update('ProtocolService', service.id, service.outputs, serviceNews);
    expect(writes(statePath)).toEqual({ 'Set-PopSettings': 2, 'Restart-Service': 2 });
    expect(readState(statePath).servers?.[0]?.pop3.frontEnd.pendingSettings).toEqual([]);
  });
});
