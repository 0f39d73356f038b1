/**
 * A certificate password set with `pulumi config set --secret` stays secret through a whole
 * update: it is not in `pulumi stack export`, in anything the CLI printed, in the stack config
 * file, in any file of the backend, PULUMI_HOME or the project, nor in the simulator state. And a
 * password set in plain text is refused before anything is changed.
 *
 * Twice: with the simulator backend (the provider is configured with it but never uses it), and
 * with the PowerShell backend through the stand-in pwsh, where the password really travels to
 * Connect-ExchangeOnline (the stand-in's wire log proves it arrived).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PulumiResult } from '../../scripts/pulumi-env';
import { STAND_IN_PWSH, standInEnv } from '../../bench/stand-in-pwsh';
import { expectExit, initStack, newProject, output, seedOrganisation, type TempProject } from './harness';

const DOCUMENT = 'stacks/contoso-worldwide.mailpolicy.yaml';

describe.each(['simulator', 'powershell'] as const)('the certificate password, %s backend', (backend) => {
  const STACK = `e2e-secret-${backend}`;
  let project: TempProject;
  let statePath: string;
  let wireLog: string;
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
    if (backend === 'simulator') {
      project.writeStackConfig(STACK, { policyFile: DOCUMENT, backend, simulatorState: `.mailpolicy/${STACK}.state.json` });
    } else {
      fs.writeFileSync(project.path('contoso-app.pfx'), randomBytes(64));
      project.writeStackConfig(STACK, { policyFile: DOCUMENT, backend, pwshPath: STAND_IN_PWSH, appId: '00000000-0000-0000-0000-00000000e2e0', certificateFile: 'contoso-app.pfx' });
      // The stand-in serves this organisation and records what reaches it (outside the searched tree).
      wireLog = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-e2e-wire-')), 'requests.log');
      Object.assign(project.env, standInEnv(statePath, { switches: { LOG: wireLog } }));
    }
    await initStack(project, STACK);
  });
  afterAll(() => {
    project?.remove();
    if (wireLog) fs.rmSync(path.dirname(wireLog), { recursive: true, force: true });
  });

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
    // Verbose engine and plugin logs too. (From -v=9 up, Pulumi's own RPC payload trace prints every
    // provider Configure input decrypted, whatever the provider does: never run a pipeline at -v=9.)
    expectExit(await run(['refresh', '--stack', STACK, '--yes', '--diff', '--non-interactive', '--logtostderr', '--logflow', '-v=8']));
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
    // The update really happened, and with PowerShell the password really reached Connect-ExchangeOnline.
    expect(JSON.parse(fs.readFileSync(statePath, 'utf8')).transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true });
    if (backend === 'powershell') {
      const wire = fs.readFileSync(wireLog, 'utf8');
      expect(wire).toContain('Connect-ExchangeOnline');
      expect(wire).toContain(password);
    }
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
