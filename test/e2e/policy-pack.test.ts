/**
 * The policy pack under the real CLI: a GCC High document that enables SMTP AUTH for the whole
 * tenant (mandatory MP-EXO-003 in US government clouds) fails `pulumi preview --policy-pack
 * policies` with the mandatory violation, and `pulumi up` with the pack applies nothing. A
 * document that opts in to legacy TLS there (which does not exist in US government clouds) does
 * not even load: the program refuses it at FILE:LINE:COL, pack or no pack.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initStack, MAILPOLICY_TYPE, newProject, output, readSimulator, seedOrganisation, stateResources, type TempProject } from './harness';

/** A temp copy of the fabrikam document with one forbidden change, its simulated organisation and its stack. */
async function gccHighStack(project: TempProject, stack: string, change: (text: string) => string): Promise<{ document: string; statePath: string }> {
  const document = `stacks/${stack}.mailpolicy.yaml`;
  const original = fs.readFileSync(project.path('stacks', 'fabrikam-gcchigh.mailpolicy.yaml'), 'utf8');
  const changed = change(original);
  expect(changed).not.toBe(original);
  const statePath = project.path('.mailpolicy', `${stack}.state.json`);
  // The organisation is seeded from the unchanged document, which loads.
  await seedOrganisation(statePath, project.path('stacks', 'fabrikam-gcchigh.mailpolicy.yaml'));
  fs.writeFileSync(project.path(document), changed);
  project.writeStackConfig(stack, { policyFile: document, backend: 'simulator', simulatorState: `.mailpolicy/${stack}.state.json` });
  await initStack(project, stack);
  return { document, statePath };
}

describe('a GCC High stack that enables SMTP AUTH for the whole tenant', () => {
  const STACK = 'e2e-gcchigh-smtp-auth';
  let project: TempProject;
  let statePath: string;

  beforeAll(async () => {
    project = newProject('gcchigh');
    ({ statePath } = await gccHighStack(project, STACK, (text) => text.replace(/smtpClientAuthenticationDisabled: true/, 'smtpClientAuthenticationDisabled: false')));
  });
  afterAll(() => project?.remove());

  it('fails the preview with the mandatory violation MP-EXO-003', async () => {
    const before = fs.readFileSync(statePath, 'utf8');
    const preview = await project.pulumi(['preview', '--stack', STACK, '--policy-pack', 'policies', '--non-interactive']);
    const text = output(preview);
    expect(preview.code, text).not.toBe(0);
    expect(text).toContain('MP-EXO-003');
    expect(text).toMatch(/mandatory/i);
    expect(text).toMatch(/SMTP AUTH/);
    expect(fs.readFileSync(statePath, 'utf8')).toBe(before);
  });

  it('applies nothing when up runs with the pack', async () => {
    const before = fs.readFileSync(statePath, 'utf8');
    const up = await project.pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', 'policies', '--non-interactive']);
    expect(up.code, output(up)).not.toBe(0);
    expect(output(up)).toContain('MP-EXO-003');
    expect(fs.readFileSync(statePath, 'utf8')).toBe(before);
    expect(readSimulator(statePath).writes ?? {}).toEqual({});
    expect((await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type))).toEqual([]);
  });
});

describe('a GCC High stack that enables legacy TLS', () => {
  const STACK = 'e2e-gcchigh-legacy-tls';
  let project: TempProject;
  let statePath: string;
  let document: string;

  beforeAll(async () => {
    project = newProject('gcchigh-tls');
    ({ statePath, document } = await gccHighStack(project, STACK, (text) => text.replace(/allowLegacyTLSClients: false/, 'allowLegacyTLSClients: true')));
  });
  afterAll(() => project?.remove());

  it('is refused by the program at FILE:LINE:COL, with or without the pack, and nothing is written', async () => {
    const before = fs.readFileSync(statePath, 'utf8');
    for (const pack of [[], ['--policy-pack', 'policies']]) {
      const up = await project.pulumi(['up', '--stack', STACK, '--yes', '--non-interactive', ...pack]);
      const text = output(up);
      expect(up.code, text).not.toBe(0);
      expect(text).toMatch(new RegExp(`${document.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:16:3: transportConfig\\.allowLegacyTLSClients: must not be true for target\\.cloud gccHigh`));
      expect(fs.readFileSync(statePath, 'utf8')).toBe(before);
    }
    expect((await stateResources(project, STACK)).filter((r) => MAILPOLICY_TYPE.test(r.type))).toEqual([]);
  });
});
