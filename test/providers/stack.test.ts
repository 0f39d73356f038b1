/**
 * Idempotency of whole example stacks through the real dynamic-provider plugin, acting as the
 * engine does for `pulumi up` (check, then create or diff + update, settings before services)
 * and `pulumi refresh` (read): apply twice → the second run changes nothing and Exchange sees no
 * write; one setting changed in Exchange → refresh shows it, and the repair is one Set call with
 * one parameter.
 *
 * Calls are counted by the simulator itself: fault injection makes any write beyond the allowed
 * ones fail, so an extra call cannot go unnoticed even when it would have changed nothing.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG, CMDLET_NAMES } from '../../src/exchange/catalog';
import { buildRequest } from '../../src/exchange/request';
import { openBackend } from '../../src/backends/open-backend';
import type { CmdletRequest } from '../../src/exchange/types';
import type { MailPolicy } from '../../src/model/types';
import { planLive } from '../../src/reconcile/live';
import { desiredResources, type DesiredResource } from '../../src/reconcile/resources';
import type { SimulatorState } from '../../src/simulator/state';
import { EXAMPLE_STACKS, exampleFile, organisationFor, saveOrganisation, tempDir } from '../reconcile/simulated';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { assertBuilt, ProviderPlugin } from './provider-plugin';

type Props = Record<string, unknown>;
interface Stored {
  readonly id: string;
  readonly outputs: Props;
}

const WRITE_CMDLETS = CMDLET_NAMES.filter((c) => CATALOG[c].effect === 'write');
const dir = tempDir('stacks');
const plugins: ProviderPlugin[] = [];

beforeAll(() => assertBuilt());
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

async function plugin(statePath: string): Promise<ProviderPlugin> {
  const p = await ProviderPlugin.start();
  plugins.push(p);
  await p.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath });
  return p;
}

function inputsOf(resource: DesiredResource, stored: ReadonlyMap<string, Stored>): Props {
  const inputs: Props = { ...(resource.inputs as unknown as Props) };
  if (resource.kind === 'ProtocolService' && resource.settingsResource) inputs.settingsChangeId = stored.get(resource.settingsResource)?.outputs.settingsChangeId;
  return inputs;
}

/** `pulumi up` as the engine drives the providers; returns which resources were created or updated. */
async function up(p: ProviderPlugin, resources: readonly DesiredResource[], stored: Map<string, Stored>): Promise<string[]> {
  const touched: string[] = [];
  for (const r of resources) {
    const checked = await p.check(r.kind, stored.get(r.name)?.outputs ?? {}, inputsOf(r, stored));
    expect(checked.failures, r.name).toEqual([]);
    const { __provider: _provider, ...news } = checked.inputs;
    const old = stored.get(r.name);
    if (!old) {
      stored.set(r.name, await p.create(r.kind, news));
      touched.push(`create ${r.name}`);
    } else if ((await p.diff(r.kind, old.id, old.outputs, news)).changes !== 'none') {
      stored.set(r.name, { id: old.id, outputs: await p.update(r.kind, old.id, old.outputs, news) });
      touched.push(`update ${r.name}`);
    }
  }
  return touched;
}

/** JSON with sorted keys: equal values, equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Props).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** `pulumi refresh`: names of the resources whose inputs no longer match Exchange. */
async function refresh(p: ProviderPlugin, resources: readonly DesiredResource[], stored: Map<string, Stored>): Promise<string[]> {
  const drifted: string[] = [];
  for (const r of resources) {
    const old = stored.get(r.name) as Stored;
    const read = await p.read(r.kind, old.id, old.outputs);
    const { __provider: _a, ...outputs } = read.outputs;
    const { __provider: _b, ...inputs } = read.inputs ?? {};
    const before = Object.fromEntries(Object.keys(inputs).map((k) => [k, old.outputs[k]]));
    if (canonical(inputs) !== canonical(before)) drifted.push(r.name);
    stored.set(r.name, { id: read.id, outputs });
  }
  return drifted;
}

/** Every write fails, except `allowed[cmdlet]` calls of each allowed cmdlet (counted per provider process). */
async function allowOnly(statePath: string, allowed: Readonly<Record<string, number>> = {}): Promise<void> {
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
  state.faults = WRITE_CMDLETS.map((cmdlet) => ({ kind: 'permanent' as const, cmdlet, call: (allowed[cmdlet] ?? 0) + 1, times: 1_000_000, message: `unexpected call of ${cmdlet}` }));
  fs.writeFileSync(statePath, JSON.stringify(state));
}

function writes(statePath: string): Record<string, number> {
  return (JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState).writes ?? {};
}

/** One setting changed behind Pulumi's back, and the one Set call (with its one parameter) that repairs it. */
const DRIFT: Record<(typeof EXAMPLE_STACKS)[number], { change: CmdletRequest; resource: string; repair: string; parameter: string; then?: Record<string, string> }> = {
  'contoso-worldwide': { change: buildRequest('Set-TransportConfig', { smtpClientAuthenticationDisabled: false }), resource: 'transport-config', repair: 'Set-TransportConfig', parameter: 'SmtpClientAuthenticationDisabled' },
  'fabrikam-gcchigh': { change: buildRequest('Set-CASMailbox', { identity: 'user000007@fabrikam.com', imapEnabled: true }), resource: 'cas-mailboxes', repair: 'Set-CASMailbox', parameter: 'ImapEnabled' },
  'tailspin-21vianet': { change: buildRequest('Set-AuthenticationPolicy', { identity: 'Block Basic Auth', allowBasicAuthSmtp: true }), resource: 'auth-policy-block-basic-auth', repair: 'Set-AuthenticationPolicy', parameter: 'AllowBasicAuthSmtp' },
  'woodgrove-onprem': {
    change: buildRequest('Set-PopSettings', { server: 'EX02', loginType: 'PlainTextLogin' }),
    resource: 'ex02-pop3-settings',
    repair: 'Set-PopSettings',
    parameter: 'LoginType',
    // The repaired settings take effect only after a restart of EX02's POP3 services, and nothing else.
    then: { 'ex02-pop3-service': 'Restart-Service' },
  },
};

describe.each(EXAMPLE_STACKS)('stack %s through the provider plugin', (stack) => {
  let policy: MailPolicy;
  let resources: DesiredResource[];
  let statePath: string;
  const stored = new Map<string, Stored>();

  beforeAll(async () => {
    policy = loadPolicyFileOrThrow(exampleFile(stack)).policy;
    resources = desiredResources(policy);
    statePath = await saveOrganisation(dir, stack, organisationFor(policy, 40));
  });

  it('first up creates every resource; the organisation then matches the document', async () => {
    const touched = await up(await plugin(statePath), resources, stored);
    expect(touched).toEqual(resources.map((r) => `create ${r.name}`));
    const { plan } = await planLive(policy, openBackend({ kind: 'simulator', statePath }));
    expect(plan.changes).toEqual([]);
  });

  it('second up: no resource changes, Exchange sees no write; refresh finds no drift; adopting again writes nothing', async () => {
    const before = writes(statePath);
    await allowOnly(statePath);
    const p = await plugin(statePath);
    expect(await up(p, resources, stored)).toEqual([]);
    expect(await refresh(p, resources, stored)).toEqual([]);
    // A fresh stack over the same organisation (state lost, or a second stack): create adopts without a write.
    expect(await up(p, resources, new Map())).toEqual(resources.map((r) => `create ${r.name}`));
    expect(writes(statePath)).toEqual(before);
  });

  it('one setting changed in Exchange: refresh names it; up repairs it with exactly one Set call of one parameter', async () => {
    const drift = DRIFT[stack];
    await allowOnly(statePath, {});
    const sim = openBackend({ kind: 'simulator', statePath });
    // The drift itself is made by an administrator, not by mailpolicy: lift the faults for it.
    fs.writeFileSync(statePath, JSON.stringify({ ...(JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState), faults: [] }));
    await sim.invoke(drift.change);

    const { plan } = await planLive(policy, sim);
    expect(plan.changes.filter((c) => c.request.cmdlet.startsWith('Set-')).map((c) => [c.request.cmdlet, Object.keys(c.request.parameters).filter((k) => k !== 'Identity' && k !== 'Server')])).toEqual([[drift.repair, [drift.parameter]]]);

    const allowed: Record<string, number> = { [drift.repair]: 1, ...Object.fromEntries(Object.values(drift.then ?? {}).map((c) => [c, 1])) };
    await allowOnly(statePath, allowed);
    const before = writes(statePath);
    const p = await plugin(statePath);
    expect(await refresh(p, resources, stored)).toEqual([drift.resource]);
    const touched = await up(p, resources, stored);
    expect(touched).toEqual([`update ${drift.resource}`, ...Object.keys(drift.then ?? {}).map((name) => `update ${name}`)]);
    const after = writes(statePath);
    const added = Object.fromEntries(Object.entries(after).map(([c, n]) => [c, n - (before[c] ?? 0)]).filter(([, n]) => n !== 0));
    expect(added).toEqual(allowed);
    expect((await planLive(policy, sim)).plan.changes).toEqual([]);
  });
});
