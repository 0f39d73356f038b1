/**
 * A certificate password set with `pulumi config set --secret` stays secret through a whole
 * update: it is not in `pulumi stack export`, in anything the CLI printed, in the stack config
 * file, in any file of the backend, PULUMI_HOME or the project, nor in the simulator state. And a
 * password set in plain text is refused before anything is changed.
 */
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PulumiResult } from '../../scripts/pulumi-env';
import { expectExit, initStack, newProject, output, seedOrganisation, type TempProject } from './harness';

const STACK = 'e2e-secret';
const DOCUMENT = 'stacks/contoso-worldwide.mailpolicy.yaml';

describe('the certificate password', () => {
  let project: TempProject;
  let statePath: string;
  const password = `Pfx-${randomBytes(12).toString('hex')}`;
  const printed: PulumiResult[] = [];
  const run = async (args: string[], input?: string): Promise<PulumiResult> => {
    const result = await project.pulumi(args, input === undefined ? {} : { input });
    printed.push(result);
    return result;
  };

  beforeAll(async () => {
    project = newProject('secret');
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    await seedOrganisation(statePath, project.path(DOCUMENT));
    project.writeStackConfig(STACK, { policyFile: DOCUMENT, backend: 'simulator', simulatorState: `.mailpolicy/${STACK}.state.json` });
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('is stored encrypted by pulumi config set --secret (value read from stdin)', async () => {
    expectExit(await run(['config', 'set', '--secret', '--stack', STACK, 'mailpolicy:certificatePassword', '--non-interactive'], password));
    const config = fs.readFileSync(project.path('stacks', `Pulumi.${STACK}.yaml`), 'utf8');
    expect(config).toMatch(/mailpolicy:certificatePassword:\s*\n\s*secure: /);
    expect(config).not.toContain(password);
    // Pulumi can decrypt it: the value really is the password (so the searches below are meaningful).
    const shown = expectExit(await project.pulumi(['config', 'get', '--stack', STACK, 'mailpolicy:certificatePassword']));
    expect(shown.stdout.trim()).toBe(password);
  });

  it('never appears in plain text after preview, up, refresh and stack export', async () => {
    expectExit(await run(['preview', '--stack', STACK, '--policy-pack', 'policies', '--diff', '--non-interactive']));
    expectExit(await run(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--diff', '--non-interactive']));
    expectExit(await run(['refresh', '--stack', STACK, '--yes', '--diff', '--non-interactive']));
    const exported = expectExit(await run(['stack', 'export', '--stack', STACK]));
    expect(JSON.parse(exported.stdout)).toHaveProperty('deployment');
    expectExit(await run(['stack', 'output', '--stack', STACK, '--json']));

    for (const result of printed) {
      expect(result.stdout, result.commandLine.join(' ')).not.toContain(password);
      expect(result.stderr, result.commandLine.join(' ')).not.toContain(password);
    }
    const files = project.allFiles();
    expect(files).toContain(statePath);
    expect(files.some((f) => f.includes(`${STACK}.json`))).toBe(true);
    for (const file of files) expect(fs.readFileSync(file).includes(password), file).toBe(false);
  });

  it('is refused when set in plain text, before anything changes', async () => {
    expectExit(await project.pulumi(['config', 'set', '--plaintext', '--stack', STACK, 'mailpolicy:certificatePassword', 'not-a-secret', '--non-interactive']));
    const before = fs.readFileSync(statePath, 'utf8');
    const up = await project.pulumi(['up', '--stack', STACK, '--yes', '--non-interactive']);
    expect(up.code).not.toBe(0);
    expect(output(up)).toContain('pulumi config set --secret mailpolicy:certificatePassword');
    expect(fs.readFileSync(statePath, 'utf8')).toBe(before);
  });
});
