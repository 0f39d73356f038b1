/**
 * The life of a stack under the real Pulumi CLI, as the pipelines run it: preview with the
 * policy pack → up → a preview with nothing to do → someone changes a setting in Exchange →
 * the refreshing drift check fails and names it → up repairs exactly that → destroy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, initStack, MAILPOLICY_TYPE, newProject, output, readSimulator, seedOrganisation, stateResources, writes, type TempProject } from './harness';

const STACK = 'contoso-worldwide';

describe(`the ${STACK} stack through preview, up, drift, repair and destroy`, () => {
  let project: TempProject;
  let statePath: string;

  beforeAll(async () => {
    project = newProject('lifecycle');
    // The stack config copied from the repository points at .mailpolicy/contoso-worldwide.state.json.
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    await seedOrganisation(statePath, project.path('stacks', `${STACK}.mailpolicy.yaml`));
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('previews the changes with the policy pack and applies nothing', async () => {
    const before = readSimulator(statePath);
    const preview = expectExit(await project.pulumi(['preview', '--stack', STACK, '--policy-pack', 'policies', '--diff', '--non-interactive']));
    const text = output(preview);
    expect(text).toContain('transport-config');
    expect(text).toContain('cas-mailboxes');
    expect(text).toMatch(/\+ \d+ to create|\d+ to create/);
    // The waived advisory of the document is visible to the pack, not a failure.
    expect(text).not.toMatch(/mandatory/i);
    expect(readSimulator(statePath)).toEqual(before);
  });

  it('applies the document', async () => {
    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--non-interactive']));
    const state = readSimulator(statePath);
    expect(state.transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true });
    expect(state.organizationConfig?.defaultAuthenticationPolicy).toBe('Block Basic Auth');
    expect(state.authenticationPolicies).toEqual([{ name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false }]);
    const mailbox = (smtp: string): unknown[] | undefined => state.mailboxes.find((row) => row[1] === smtp);
    expect(mailbox('scanner@contoso.com')?.slice(3)).toEqual([false, false, false]);
    expect(mailbox('helpdesk-archive@contoso.com')?.slice(3)).toEqual([false, true, null]);
    const others = state.mailboxes.filter((row) => !['scanner@contoso.com', 'helpdesk-archive@contoso.com'].includes(row[1]));
    expect(others.length).toBeGreaterThan(0);
    for (const row of others) expect(row.slice(3), row[1]).toEqual([false, false, null]);

    const resources = (await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type));
    expect(resources.map((r) => r.type).sort()).toEqual(
      expect.arrayContaining(['pulumi-nodejs:dynamic/mailpolicy:TransportConfig', 'pulumi-nodejs:dynamic/mailpolicy:CasMailboxProtocol', 'pulumi-nodejs:dynamic/mailpolicy:AuthenticationPolicy']),
    );
  });

  it('has nothing left to do: a preview and a refreshing preview both expect no changes, and nothing is written', async () => {
    const counted = writes(statePath);
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--policy-pack', 'policies', '--expect-no-changes', '--non-interactive']));
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes', '--non-interactive']));
    expect(writes(statePath)).toEqual(counted);
  });

  it('finds a setting changed outside Pulumi: the refreshing preview fails and names it', async () => {
    // An administrator re-enables SMTP AUTH org-wide by hand.
    expectExit(await project.mailpolicy(['sim', 'invoke', 'Set-TransportConfig', 'SmtpClientAuthenticationDisabled=false', '--state', statePath]));
    const drift = await project.pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes', '--diff', '--non-interactive']);
    expect(drift.code, output(drift)).not.toBe(0);
    const text = output(drift);
    expect(text).toContain('transport-config');
    expect(text).toContain('smtpClientAuthenticationDisabled');
    expect(text).toMatch(/no changes were expected.* but changes were proposed/i);
    // Only the changed resource is proposed for update.
    expect(text).not.toMatch(/~\s+\S*mailpolicy:CasMailboxProtocol/);
    expect(readSimulator(statePath).transportConfig?.smtpClientAuthenticationDisabled).toBe(false);
  });

  it('repairs it with up --refresh, with one Set call', async () => {
    const counted = writes(statePath);
    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--refresh', '--policy-pack', 'policies', '--non-interactive']));
    expect(readSimulator(statePath).transportConfig?.smtpClientAuthenticationDisabled).toBe(true);
    const after = writes(statePath);
    const delta = Object.fromEntries(Object.keys(after).map((k) => [k, (after[k] ?? 0) - (counted[k] ?? 0)]).filter(([, n]) => n !== 0));
    expect(delta).toEqual({ 'Set-TransportConfig': 1 });
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes', '--non-interactive']));
  });

  it('destroys the stack and leaves the organisation as it is (the default), saying so', async () => {
    const before = readSimulator(statePath);
    const destroyed = expectExit(await project.pulumi(['destroy', '--stack', STACK, '--yes', '--non-interactive']));
    expect(output(destroyed)).toMatch(/leav|left/i);
    const after = readSimulator(statePath);
    expect(after.transportConfig).toEqual(before.transportConfig);
    expect(after.mailboxes).toEqual(before.mailboxes);
    expect((await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type))).toEqual([]);
    expectExit(await project.pulumi(['stack', 'rm', STACK, '--yes', '--non-interactive']));
  });
});
