/**
 * The policy pack under the real CLI: a GCC High document that opts in to legacy TLS (which does
 * not exist in US government clouds) fails `pulumi preview --policy-pack policies` with the
 * mandatory violation, and `pulumi up` with the pack applies nothing.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initStack, MAILPOLICY_TYPE, newProject, output, readSimulator, seedOrganisation, stateResources, type TempProject } from './harness';

const STACK = 'e2e-gcchigh-legacy-tls';
const DOCUMENT = 'stacks/e2e-gcchigh-legacy-tls.mailpolicy.yaml';

describe('a GCC High stack that enables legacy TLS', () => {
  let project: TempProject;
  let statePath: string;

  beforeAll(async () => {
    project = newProject('gcchigh');
    // A temp copy of the fabrikam document with the one forbidden change.
    const original = fs.readFileSync(project.path('stacks', 'fabrikam-gcchigh.mailpolicy.yaml'), 'utf8');
    const changed = original.replace(/allowLegacyTLSClients: false/, 'allowLegacyTLSClients: true');
    expect(changed).not.toBe(original);
    fs.writeFileSync(project.path(DOCUMENT), changed);
    statePath = project.path('.mailpolicy', `${STACK}.state.json`);
    await seedOrganisation(statePath, project.path(DOCUMENT));
    project.writeStackConfig(STACK, { policyFile: DOCUMENT, backend: 'simulator', simulatorState: `.mailpolicy/${STACK}.state.json` });
    await initStack(project, STACK);
  });
  afterAll(() => project?.remove());

  it('fails the preview with the mandatory violation MP-EXO-001', async () => {
    const before = fs.readFileSync(statePath, 'utf8');
    const preview = await project.pulumi(['preview', '--stack', STACK, '--policy-pack', 'policies', '--non-interactive']);
    const text = output(preview);
    expect(preview.code, text).not.toBe(0);
    expect(text).toContain('MP-EXO-001');
    expect(text).toMatch(/mandatory/i);
    expect(text).toMatch(/legacy[- ]TLS/i);
    expect(fs.readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('applies nothing when up runs with the pack', async () => {
    const before = fs.readFileSync(statePath, 'utf8');
    const up = await project.pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--non-interactive']);
    expect(up.code, output(up)).not.toBe(0);
    expect(output(up)).toContain('MP-EXO-001');
    expect(fs.readFileSync(statePath, 'utf8')).toBe(before);
    expect(readSimulator(statePath).writes ?? {}).toEqual({});
    expect((await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type))).toEqual([]);
  });
});
