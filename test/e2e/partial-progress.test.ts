/**
 * Partial progress through the real engine (issue 15 item 3): a `pulumi up` whose mailbox
 * resource fails part-way records what it wrote — the engine keeps the provider's partial
 * outputs (`changesApplied`) with an initialization error — and the next `pulumi up` updates that
 * resource, writing only the mailbox left, then the stack has no changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { saveState } from '../../src/simulator/store';
import { organisationFor } from '../reconcile/simulated';
import { expectExit, initStack, newProject, output, readSimulator, stateResources, writes, type TempProject } from './harness';

const STACK = 'contoso-worldwide';
const MAILBOXES = 450;

describe('pulumi up with a mailbox Exchange refuses, then again', () => {
  let project: TempProject;
  let statePath: string;
  let mailboxCount: number;

  beforeAll(async () => {
    project = newProject('partial');
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    const organisation = organisationFor(loadPolicyFileOrThrow(project.path('stacks', `${STACK}.mailpolicy.yaml`)).policy, MAILBOXES);
    // The 250th Set-CASMailbox fails once; the others go through.
    organisation.faults = [{ kind: 'permanent', cmdlet: 'Set-CASMailbox', call: 250 }];
    mailboxCount = organisation.mailboxes.length;
    await saveState(statePath, organisation);
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('the failed up records the partial progress; the next up writes only the rest and converges', async () => {
    const up = await project.pulumi(['up', '--stack', STACK, '--yes', '--skip-preview', '--non-interactive']);
    expect(up.code, output(up)).not.toBe(0);
    expect(output(up)).toMatch(/of \d+ change\(s\) applied; Set-CASMailbox \(user000250@contoso\.com\)/);
    const written = writes(statePath)['Set-CASMailbox'] ?? 0;
    expect(written).toBe(mailboxCount - 1);
    const mailboxes = (await stateResources(project, STACK)).find((r) => r.type.endsWith(':CasMailboxProtocol')) as { outputs?: Record<string, unknown>; initErrors?: string[] } | undefined;
    expect(mailboxes?.outputs?.changesApplied).toBe(written);
    expect(mailboxes?.initErrors?.join('\n')).toMatch(/the next pulumi up applies what is left/);

    const state = readSimulator(statePath);
    state.faults = [];
    await saveState(statePath, state);
    expectExit(await project.pulumi(['up', '--stack', STACK, '--yes', '--skip-preview', '--non-interactive']));
    expect(writes(statePath)['Set-CASMailbox']).toBe(mailboxCount);
    expectExit(await project.pulumi(['preview', '--stack', STACK, '--expect-no-changes', '--non-interactive']));
  });
});
