/**
 * What destroy does is each resource's `restoreDefaultsOnDelete` input, as the last `up` stored it
 * (issue 17, item 1): the engine configures a delete with the stack config stored at the last
 * `up`, so a config change that only `destroy` would see could not work, and nothing showed it.
 * Flipped both ways under the real CLI: the preview shows the change on every mailpolicy
 * resource, and destroy does what the last `up` recorded — not what the config says now.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectExit, initStack, MAILPOLICY_TYPE, newProject, output, readSimulator, seedOrganisation, stateResources, writes, type TempProject } from './harness';

const STACK = 'contoso-worldwide';
const KEY = 'mailpolicy:restoreDefaultsOnDelete';

describe('restoreDefaultsOnDelete flipped before destroy', () => {
  let project: TempProject;
  let statePath: string;

  const pulumi = async (args: readonly string[]) => expectExit(await project.pulumi([...args, '--stack', STACK, '--non-interactive']));
  const setRestore = (value: boolean) => pulumi(['config', 'set', KEY, String(value)]);
  const recorded = async () => (await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type)).map((r) => r.inputs?.restoreDefaultsOnDelete);
  /** Mailboxes other than the document's exceptions: [pop, imap, smtp auth disabled]. */
  const ordinaryMailboxes = () =>
    readSimulator(statePath)
      .mailboxes.filter((row) => !['scanner@contoso.com', 'helpdesk-archive@contoso.com'].includes(row[1]))
      .map((row) => row.slice(3));

  beforeAll(async () => {
    project = newProject('restore-on-delete');
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    await seedOrganisation(statePath, project.path('stacks', `${STACK}.mailpolicy.yaml`));
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('true at up, then false and up: the preview shows the change on every resource, and destroy leaves the organisation as it is', async () => {
    await setRestore(true);
    await pulumi(['up', '--yes']);
    expect(new Set(await recorded())).toEqual(new Set([true]));

    await setRestore(false);
    const preview = output(await pulumi(['preview', '--diff']));
    const resources = (await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type)).length;
    expect(preview.match(/restoreDefaultsOnDelete\s*:\s*true\s*=>\s*false/g)?.length, preview).toBe(resources);

    // Set but not applied: the last up recorded true, and destroy would restore. Apply it.
    await pulumi(['up', '--yes']);
    expect(new Set(await recorded())).toEqual(new Set([false]));
    const before = readSimulator(statePath);
    const counted = writes(statePath);
    const destroyed = await pulumi(['destroy', '--yes']);
    expect(output(destroyed)).toContain('the organisation is left as it is');
    expect(writes(statePath)).toEqual(counted);
    expect(readSimulator(statePath).mailboxes).toEqual(before.mailboxes);
  });

  it('false at up, then true and up: destroy puts Exchange defaults back', async () => {
    await pulumi(['up', '--yes']);
    expect(new Set(await recorded())).toEqual(new Set([false]));
    for (const row of ordinaryMailboxes()) expect(row).toEqual([false, false, null]);

    await setRestore(true);
    await pulumi(['up', '--yes']);
    expect(new Set(await recorded())).toEqual(new Set([true]));
    // A config change after the last up does not count: destroy follows what the up recorded.
    await setRestore(false);
    // The destroy's preview shows, per resource, what its delete will do.
    const preview = output(await pulumi(['destroy', '--preview-only', '--diff']));
    const resources = (await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type)).length;
    expect(preview.match(/^\s*restoreDefaultsOnDelete\s*:\s*true$/gm)?.length, preview).toBe(resources);
    const destroyed = await pulumi(['destroy', '--yes']);
    expect(output(destroyed)).toMatch(/Exchange defaults restored/);
    const state = readSimulator(statePath);
    expect(state.transportConfig).toEqual({ allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true });
    for (const row of ordinaryMailboxes()) expect(row).toEqual([true, true, null]);
  });
});
