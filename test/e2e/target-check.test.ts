/**
 * The target is verified before anything is written (issue 17, item 4): a document aimed at an
 * organisation in another cloud fails `pulumi preview` and `pulumi up` as a whole, with nothing
 * written and no resource in the state; a missing simulator state fails the preview, not the
 * first create.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { saveState } from '../../src/simulator/store';
import { organisationFor } from '../reconcile/simulated';
import { expectExit, initStack, MAILPOLICY_TYPE, newProject, output, readSimulator, stateResources, type TempProject } from './harness';

const STACK = 'contoso-worldwide';

describe(`the ${STACK} document against a GCC High organisation of the same name`, () => {
  let project: TempProject;
  let statePath: string;

  beforeAll(async () => {
    project = newProject('target-check');
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    const organisation = organisationFor(loadPolicyFileOrThrow(project.path('stacks', `${STACK}.mailpolicy.yaml`)).policy, 50);
    organisation.organization.cloud = 'gccHigh';
    await saveState(statePath, organisation);
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('preview fails, naming the mismatch', async () => {
    const preview = await project.pulumi(['preview', '--stack', STACK, '--non-interactive']);
    expect(preview.code, output(preview)).not.toBe(0);
    expect(output(preview)).toMatch(/wrong organisation: the document targets the worldwide cloud, but contoso\.onmicrosoft\.com is in the gccHigh cloud/);
  });

  it('up fails as a whole: no write, no resource in the state', async () => {
    const before = readSimulator(statePath);
    const up = await project.pulumi(['up', '--stack', STACK, '--yes', '--skip-preview', '--non-interactive']);
    expect(up.code, output(up)).not.toBe(0);
    expect(output(up)).toMatch(/wrong organisation/);
    expect(readSimulator(statePath)).toEqual(before);
    expect((await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type))).toEqual([]);
  });

  it('a missing simulator state fails the preview, naming the file', async () => {
    expectExit(await project.pulumi(['config', 'set', '--stack', STACK, 'mailpolicy:simulatorState', '.mailpolicy/missing.state.json']));
    const preview = await project.pulumi(['preview', '--stack', STACK, '--non-interactive']);
    expect(preview.code, output(preview)).not.toBe(0);
    expect(output(preview)).toContain('missing.state.json');
  });
});
