/**
 * `authenticationPolicies[].default: false` means "must not be the organisation default" (issue
 * 11, item 3): plan clears it with Set-OrganizationConfig -DefaultAuthenticationPolicy $null,
 * drift reports it at the key, apply converges; beside another policy's `default: true` it adds
 * no second write. The CLI runs as a real process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState, type SimulatorState } from '../../src/simulator/state';
import { runCliProcess } from '../cli/cli-process';
import { tempDir } from './simulated';

const dir = tempDir('default-policy');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEAD = `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: contoso }
target: { platform: exchangeOnline, cloud: worldwide, organization: contoso.onmicrosoft.com }
authenticationPolicies:
`;

function setUp(name: string, policies: string): { file: string; state: string } {
  const file = path.join(dir, `${name}.mailpolicy.yaml`);
  fs.writeFileSync(file, HEAD + policies);
  const org = newOrganisation({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com' });
  org.authenticationPolicies = ['Legacy Protocols', 'Block Basic Auth'].map((n) => ({ name: n, allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false }));
  org.organizationConfig = { defaultAuthenticationPolicy: 'Legacy Protocols' };
  const state = path.join(dir, `${name}.state.json`);
  fs.writeFileSync(state, serialiseState(org));
  return { file, state };
}

const sim = (state: string) => ['--backend', 'simulator', '--state', state];
const readState = (state: string) => JSON.parse(fs.readFileSync(state, 'utf8')) as SimulatorState;

describe('authenticationPolicies[].default: false', () => {
  it('plan clears the default, drift reports it at the key, apply converges', () => {
    const { file, state } = setUp('clear', '  - name: Legacy Protocols\n    default: false\n');
    const plan = runCliProcess(['plan', file, ...sim(state)]);
    expect(plan.code).toBe(1);
    expect(plan.stdout).toContain('Set-OrganizationConfig -DefaultAuthenticationPolicy:$null\n    # organisation default authentication policy: Legacy Protocols → (none)');
    const drift = runCliProcess(['drift', file, ...sim(state)]);
    expect(drift.code).toBe(1);
    expect(drift.stdout).toContain(`${file}:7:5: OrganizationConfig defaultAuthenticationPolicy: desired null, actual Legacy Protocols`);
    const apply = runCliProcess(['apply', file, ...sim(state)]);
    expect(apply.code, apply.stderr).toBe(0);
    expect(readState(state).organizationConfig?.defaultAuthenticationPolicy).toBeNull();
    expect(runCliProcess(['plan', file, ...sim(state)]).stdout).toContain('No changes');
    expect(runCliProcess(['drift', file, ...sim(state)]).code).toBe(0);
  });

  it('beside another policy made the default: one write, which leaves that one the default', () => {
    const { file, state } = setUp('replace', '  - name: Legacy Protocols\n    default: false\n  - name: Block Basic Auth\n    default: true\n');
    const plan = runCliProcess(['plan', file, ...sim(state), '--format', 'json']);
    const cmdlets = (JSON.parse(plan.stdout) as { resources: { changes: { cmdlet: string; parameters: object }[] }[] }).resources.flatMap((r) => r.changes);
    expect(cmdlets).toEqual([expect.objectContaining({ cmdlet: 'Set-OrganizationConfig', parameters: { DefaultAuthenticationPolicy: 'Block Basic Auth' } })]);
    expect(runCliProcess(['apply', file, ...sim(state)]).code).toBe(0);
    expect(readState(state).organizationConfig?.defaultAuthenticationPolicy).toBe('Block Basic Auth');
    expect(runCliProcess(['drift', file, ...sim(state)]).code).toBe(0);
  });
});
