/**
 * Our Node.js language host (scripts/engine/cmd/pulumi-language-nodejs) against the SDK it runs:
 * what the host hands the program must be what the SDK parses. A stack with no config at all is
 * the case a hand-written host gets wrong (the SDK reads PULUMI_CONFIG as an object; `null` breaks
 * every `Config.get`).
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TempProject } from '../../scripts/pulumi-project';
import { expectExit, initStack, output } from './harness';

// No `config:` block: with typed project config the engine would send the defaults instead of nothing.
const PROBE_PROJECT = `name: mailpolicy-e2e-probe
runtime:
  name: nodejs
  options:
    typescript: false
main: probe.js
`;

const PROBE_PROGRAM = `const pulumi = require('@pulumi/pulumi');
const value = new pulumi.Config('probe').get('x');
console.log('probe:x=' + (value === undefined ? '<unset>' : value));
`;

describe('the Node.js language host', () => {
  let project: TempProject;
  beforeAll(() => {
    project = TempProject.create({ binDir: inject('engineBin'), prefix: 'mailpolicy-e2e-host-', copyStacks: false, pulumiYaml: PROBE_PROJECT });
    fs.writeFileSync(project.path('probe.js'), PROBE_PROGRAM);
  });
  afterAll(() => project?.remove());

  it('runs a program reading config on a stack that has no config', async () => {
    await initStack(project, 'empty');
    expect(JSON.parse(expectExit(await project.pulumi(['config', '--stack', 'empty', '--json'])).stdout)).toEqual({});
    const result = await project.pulumi(['preview', '--stack', 'empty', '--non-interactive']);
    expect(result.code, output(result)).toBe(0);
    expect(output(result)).toContain('probe:x=<unset>');
  });

  it('hands the program the stack config it has', async () => {
    await initStack(project, 'configured');
    expectExit(await project.pulumi(['config', 'set', 'probe:x', 'hello', '--stack', 'configured']));
    const result = expectExit(await project.pulumi(['preview', '--stack', 'configured', '--non-interactive']));
    expect(output(result)).toContain('probe:x=hello');
  });
});
