/**
 * `pulumi refresh` and `mailpolicy drift` see the same drift. For every example stack: the
 * resources are created through the real dynamic-provider plugin (as `pulumi up` does), then one
 * setting of each kind of resource is changed in the simulator behind Pulumi's back. A Read
 * through the plugin must report exactly those resources with changed inputs, and `mailpolicy
 * drift` must name exactly those resources. A read that fails is an error in both, never drift.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/open-backend';
import { type CmdletName } from '../../src/exchange/catalog';
import { buildRequest } from '../../src/exchange/request';
import type { JsonValue } from '../../src/exchange/types';
import type { MailPolicy } from '../../src/model/types';
import { desiredResources, type DesiredResource } from '../../src/reconcile/resources';
import type { SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { runCli } from '../cli/run-cli';
import { EXAMPLE_STACKS, exampleFile, organisationFor, saveOrganisation, tempDir } from '../reconcile/simulated';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { assertBuilt, ProviderPlugin } from './provider-plugin';

type Props = Record<string, unknown>;

interface Created {
  readonly resource: DesiredResource;
  readonly id: string;
  readonly outputs: Props;
}

interface Tamper {
  readonly cmdlet: CmdletName;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** A service cmdlet's server (Invoke-Command's -ComputerName). */
  readonly computerName?: string;
  /** What a refresh must show in this resource's inputs. */
  readonly expect: (inputs: Props) => void;
}

const dir = tempDir('refresh-drift');
const plugins: ProviderPlugin[] = [];

beforeAll(() => assertBuilt());
afterAll(async () => {
  await Promise.all(plugins.map((p) => p.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function policyOf(stack: string): MailPolicy {
  return loadPolicyFileOrThrow(exampleFile(stack)).policy;
}

/**
 * One change per kind of resource, each on a different resource: a settings change on one
 * server, a service change on a service whose settings stay untouched (so its drift is not
 * only the restart that follows a settings change).
 */
function tampering(resources: readonly DesiredResource[], state: SimulatorState): Map<string, Tamper> {
  const out = new Map<string, Tamper>();
  const seen = new Set<string>();
  let settingsServer: string | undefined;
  for (const r of resources) {
    if (seen.has(r.kind)) continue;
    switch (r.kind) {
      case 'TransportConfig':
        out.set(r.name, {
          cmdlet: 'Set-TransportConfig',
          parameters: { smtpClientAuthenticationDisabled: !(r.inputs.transportConfig.smtpClientAuthenticationDisabled ?? true) },
          expect: (i) => expect((i.transportConfig as Props).smtpClientAuthenticationDisabled).toBe(!(r.inputs.transportConfig.smtpClientAuthenticationDisabled ?? true)),
        });
        break;
      case 'AuthenticationPolicy': {
        // On premises (issue 14): a user listed in assignedTo loses the policy, and refresh drops it from the list.
        const user = r.inputs.policy.assignedTo?.[0];
        if (state.organization.platform === 'exchangeServer' && user !== undefined) {
          out.set(r.name, {
            cmdlet: 'Set-User',
            parameters: { identity: user, authenticationPolicy: null },
            expect: (i) => expect((i.policy as Props).assignedTo).toEqual((r.inputs.policy.assignedTo ?? []).slice(1)),
          });
          break;
        }
        out.set(r.name, {
          cmdlet: 'Set-AuthenticationPolicy',
          parameters: { identity: r.inputs.policy.name, allowBasicAuthSmtp: !(r.inputs.policy.allowBasicAuthSmtp ?? false) },
          expect: (i) => expect((i.policy as Props).allowBasicAuthSmtp).toBe(!(r.inputs.policy.allowBasicAuthSmtp ?? false)),
        });
        break;
      }
      case 'CasMailboxPlan': {
        const full = (state.casMailboxPlans ?? []).find((p) => p.identity.startsWith(`${r.inputs.plan.identity}-`))?.identity as string;
        out.set(r.name, {
          cmdlet: 'Set-CASMailboxPlan',
          parameters: { identity: full, popEnabled: !(r.inputs.plan.popEnabled ?? true) },
          expect: (i) => expect((i.plan as Props).popEnabled).toBe(!(r.inputs.plan.popEnabled ?? true)),
        });
        break;
      }
      case 'PopSettings':
      case 'ImapSettings':
        settingsServer = r.inputs.server;
        out.set(r.name, {
          cmdlet: r.kind === 'PopSettings' ? 'Set-PopSettings' : 'Set-ImapSettings',
          parameters: { server: r.inputs.server, loginType: 'PlainTextLogin' },
          expect: (i) => expect((i.settings as Props).loginType).toBe('PlainTextLogin'),
        });
        break;
      case 'ProtocolService': {
        if (r.inputs.server === settingsServer || r.inputs.service.state === undefined) continue;
        const running = r.inputs.service.state === 'Running';
        const names = r.inputs.protocol === 'pop3' ? ['MSExchangePOP3', 'MSExchangePOP3BE'] : ['MSExchangeIMAP4', 'MSExchangeIMAP4BE'];
        out.set(r.name, {
          cmdlet: running ? 'Stop-Service' : 'Start-Service',
          parameters: { name: names },
          computerName: r.inputs.server,
          expect: (i) => expect((i.service as Props).state).toBe(running ? 'Stopped' : 'Running'),
        });
        break;
      }
      case 'CasMailboxProtocol': {
        const wanted = r.inputs.casMailboxes.default?.popEnabled ?? true;
        const mailbox = state.mailboxes[0]?.[1] as string;
        out.set(r.name, {
          cmdlet: 'Set-CASMailbox',
          parameters: { identity: mailbox, popEnabled: !wanted },
          expect: (i) => expect((i.casMailboxes as { exceptions: Props[] }).exceptions).toContainEqual({ identities: [mailbox], popEnabled: !wanted }),
        });
        break;
      }
    }
    seen.add(r.kind);
  }
  return out;
}

async function readAll(plugin: ProviderPlugin, created: readonly Created[]): Promise<Map<string, Props>> {
  const out = new Map<string, Props>();
  for (const c of created) {
    const read = await plugin.read(c.resource.kind, c.id, c.outputs);
    expect(read.id, `${c.resource.name} still exists`).toBe(c.id);
    out.set(c.resource.name, read.inputs as Props);
  }
  return out;
}

describe('refresh through the real dynamic-provider plugin and mailpolicy drift agree', () => {
  for (const stack of EXAMPLE_STACKS) {
    it(stack, async () => {
      const policy = policyOf(stack);
      const state = organisationFor(policy);
      const statePath = await saveOrganisation(dir, stack, state);
      const plugin = await ProviderPlugin.start();
      plugins.push(plugin);
      await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': exampleFile(stack) });

      const resources = desiredResources(policy);
      const created: Created[] = [];
      for (const resource of resources) {
        const { id, outputs } = await plugin.create(resource.kind, resource.inputs as unknown as Props);
        created.push({ resource, id, outputs });
      }
      const clean = await readAll(plugin, created);
      for (const c of created) expect(clean.get(c.resource.name), c.resource.name).toMatchObject(c.resource.inputs as unknown as Props);
      expect((await runCli(['drift', exampleFile(stack), '--state', statePath])).code).toBe(0);

      // Behind Pulumi's back: one change per kind of resource.
      const tampered = tampering(resources, state);
      // Online stacks: transport config, a policy, a plan, mailboxes; on-prem: an assignment, settings, a service, mailboxes.
      expect(tampered.size).toBe(4);
      const sim = openBackend({ kind: 'simulator', statePath });
      for (const t of tampered.values()) await sim.invoke(buildRequest(t.cmdlet, t.parameters, t.computerName));
      await sim.close();

      const refreshed = await readAll(plugin, created);
      const changed = [...refreshed].filter(([name, inputs]) => JSON.stringify(inputs) !== JSON.stringify(clean.get(name))).map(([name]) => name);
      expect(changed.sort()).toEqual([...tampered.keys()].sort());
      for (const [name, t] of tampered) t.expect(refreshed.get(name) as Props);

      const drift = await runCli(['drift', exampleFile(stack), '--state', statePath, '--format', 'json']);
      expect(drift.code).toBe(1);
      const report = JSON.parse(drift.stdout) as { drift: { resource: { name: string } }[] };
      expect([...new Set(report.drift.map((d) => d.resource.name))].sort()).toEqual(changed.sort());
    });
  }

  it('a read that fails is an error in both, never drift', async () => {
    const policy = policyOf('contoso-worldwide');
    const statePath = await saveOrganisation(dir, 'failing', organisationFor(policy));
    const plugin = await ProviderPlugin.start();
    plugins.push(plugin);
    await plugin.configure({ 'mailpolicy:backend': 'simulator', 'mailpolicy:simulatorState': statePath, 'mailpolicy:policyFile': exampleFile('contoso-worldwide') });
    const transport = desiredResources(policy).find((r) => r.kind === 'TransportConfig') as DesiredResource;
    const created = await plugin.create(transport.kind, transport.inputs as unknown as Props);

    const message = 'The server is busy. Retry later: too many concurrent requests (HTTP 429).';
    const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
    state.faults = [{ kind: 'permanent', cmdlet: 'Get-TransportConfig', times: 1_000_000, message }];
    await saveState(statePath, state);

    await expect(plugin.read(transport.kind, created.id, created.outputs)).rejects.toThrow(message);
    const drift = await runCli(['drift', exampleFile('contoso-worldwide'), '--state', statePath]);
    expect(drift.code).toBe(2);
    expect(drift.stdout).toBe('');
    expect(drift.stderr).toContain(message);
  });
});
