/**
 * mailpolicy the way users get it: `npm pack`, then the tarball installed into fresh temporary
 * directories outside this repository (nothing of the repository on PATH but the Node runtime,
 * no npm_* variables of this run), and the real Pulumi CLI against simulated organisations:
 *
 * - `npx mailpolicy init` scaffolds a project whose program, provider plugin and policy pack come
 *   from node_modules/mailpolicy; preview with the pack, up, a drift check and destroy work;
 * - the user program of docs/pulumi.md#your-own-program, exactly as the page shows it (compiled
 *   with tsc, strict, against the package's typings), declares the organisation with
 *   MailPolicyOrganisation from an in-memory document and from a document file through the same
 *   cycle, the pack first blocking a mandatory violation in the file.
 *
 * npm installs with --prefer-offline: dependencies come from the npm cache when they are there
 * (`npm ci` of this repository put them there), and metadata missing from the cache is fetched.
 * Measured on the 2-core CI machine: 28 s with a cold metadata cache, 13-15 s warm; --offline
 * alone fails with ENOTCACHED after a plain `npm ci`, which caches tarballs but not metadata.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { DEMO_PASSPHRASE, expectExit, pulumiEnv, runProcess, type PulumiResult } from '../../scripts/pulumi-env';
import { packageRoot } from '../../src/package-root';

const REPO = packageRoot();
const VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const PACK = 'node_modules/mailpolicy/policies';

let root: string;
let tarball: string;

/** PATH without this repository's directories, except the one holding the Node runtime the tests run on. */
function outsidePath(pathVar: string): string {
  const nodeDir = path.dirname(process.execPath);
  return pathVar
    .split(path.delimiter)
    .filter((dir) => dir === nodeDir || !path.resolve(dir).startsWith(REPO + path.sep))
    .join(path.delimiter);
}

/** A project directory with its own file backend and PULUMI_HOME, and an environment that knows nothing of this repository. */
function projectEnv(name: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  const base = pulumiEnv({ binDir: inject('engineBin'), backendDir: path.join(root, `${name}-backend`), pulumiHome: path.join(root, `${name}-home`), passphrase: DEMO_PASSPHRASE });
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!/^(npm_|INIT_CWD$)/i.test(key)) env[key] = value;
  env.PATH = outsidePath(base.PATH ?? '');
  return { dir, env };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<PulumiResult> {
  return runProcess(command, args, { cwd, env, timeoutMs: 5 * 60_000 });
}

const text = (r: PulumiResult): string => `${r.stdout}\n${r.stderr}`;

async function npmInstall(dir: string, env: NodeJS.ProcessEnv, packages: readonly string[]): Promise<void> {
  expectExit(await run('npm', ['install', '--save-dev', '--prefer-offline', '--no-audit', '--no-fund', ...packages], dir, env));
}

function readState(file: string): { transportConfig?: Record<string, unknown>; writes?: Record<string, number> } {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { transportConfig?: Record<string, unknown>; writes?: Record<string, number> };
}

async function mailpolicyResources(pulumi: (args: string[]) => Promise<PulumiResult>, stack: string): Promise<{ type: string; urn: string }[]> {
  const exported = expectExit(await pulumi(['stack', 'export', '--stack', stack]));
  const resources = (JSON.parse(exported.stdout) as { deployment?: { resources?: { type: string; urn: string }[] } }).deployment?.resources ?? [];
  return resources.filter((r) => r.type.startsWith('pulumi-nodejs:dynamic/mailpolicy:'));
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-e2e-npm-'));
  // The tarball exactly as `npm publish` would upload it.
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', root], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  tarball = path.join(root, (JSON.parse(out) as { filename: string }[])[0]!.filename);
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('npm i -D mailpolicy, then npx mailpolicy init', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const STACK = 'contoso';
  const npx = (args: readonly string[], cwd = dir) => run('npx', ['--no-install', 'mailpolicy', ...args], cwd, env);
  const pulumi = (args: string[]) => run('pulumi', [...args, '--non-interactive'], dir, env);

  beforeAll(async () => {
    ({ dir, env } = projectEnv('scaffolded'));
    await npmInstall(dir, env, [tarball]);
  });

  it('is the package npm installed: name and version as npm lists them, from any directory of the project', async () => {
    const listed = JSON.parse(expectExit(await run('npm', ['ls', 'mailpolicy', '--json'], dir, env)).stdout) as { dependencies: Record<string, { version: string }> };
    expect(listed.dependencies.mailpolicy?.version).toBe(VERSION);
    const deep = path.join(dir, 'some', 'where');
    fs.mkdirSync(deep, { recursive: true });
    const version = expectExit(await npx(['--version'], deep));
    expect(version.stdout.trim()).toBe(VERSION);
  });

  it('scaffolds a project, and refuses to run again over it, writing nothing', async () => {
    const init = expectExit(await npx(['init', '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com']));
    expect(init.stdout).toContain('wrote Pulumi.yaml');
    for (const file of ['Pulumi.yaml', `stacks/Pulumi.${STACK}.yaml`, `stacks/${STACK}.mailpolicy.yaml`, 'README.md', '.gitignore', '.github/workflows/mailpolicy-deploy.yml', `.mailpolicy/${STACK}.state.json`]) {
      expect(fs.existsSync(path.join(dir, file)), file).toBe(true);
    }
    expect(fs.readFileSync(path.join(dir, 'Pulumi.yaml'), 'utf8')).toContain('main: node_modules/mailpolicy/pulumi-program.js');
    expect(fs.readFileSync(path.join(dir, `stacks/${STACK}.mailpolicy.yaml`), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/node_modules\/mailpolicy\/schema\/mailpolicy\.schema\.json\n/);
    // The schema line points at a file that is there.
    expect(fs.existsSync(path.join(dir, 'node_modules/mailpolicy/schema/mailpolicy.schema.json'))).toBe(true);

    const before = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    fs.writeFileSync(path.join(dir, 'README.md'), 'mine\n');
    fs.rmSync(path.join(dir, 'Pulumi.yaml'));
    const again = await npx(['init', '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('README.md already exists');
    expect(again.stderr).toContain('nothing was written');
    expect(fs.existsSync(path.join(dir, 'Pulumi.yaml'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe('mine\n');
    // Put the scaffold back as init wrote it (a fresh init elsewhere writes the same bytes).
    fs.writeFileSync(path.join(dir, 'README.md'), before);
    const elsewhere = path.join(root, 'scaffolded-copy');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(path.join(dir, 'node_modules'), path.join(elsewhere, 'node_modules'));
    expectExit(await npx(['init', '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com', '--ci', 'none', '--backend', 'powershell'], elsewhere));
    fs.copyFileSync(path.join(elsewhere, 'Pulumi.yaml'), path.join(dir, 'Pulumi.yaml'));
    expect(fs.readFileSync(path.join(elsewhere, `stacks/Pulumi.${STACK}.yaml`), 'utf8')).toMatch(/mailpolicy:backend: powershell[\s\S]*mailpolicy:appId/);
    expect(fs.existsSync(path.join(elsewhere, `.mailpolicy/${STACK}.state.json`))).toBe(false);
  });

  it('checks the document, and the CLI works from a subdirectory', async () => {
    expectExit(await npx(['validate', `${STACK}.mailpolicy.yaml`], path.join(dir, 'stacks')));
    expectExit(await npx(['check', `stacks/${STACK}.mailpolicy.yaml`]));
  });

  it('previews with the installed policy pack, applies, finds no drift, finds drift made by hand, and destroys', async () => {
    const statePath = path.join(dir, `.mailpolicy/${STACK}.state.json`);
    expectExit(await pulumi(['stack', 'init', STACK]));
    const preview = expectExit(await pulumi(['preview', '--stack', STACK, '--policy-pack', PACK]));
    expect(text(preview)).toContain(`mailpolicy@v${VERSION} (local: ${PACK})`);
    expect(readState(statePath).writes ?? {}).toEqual({});

    expectExit(await pulumi(['up', '--stack', STACK, '--yes', '--policy-pack', PACK]));
    // The simulated tenant has POP3 and IMAP4 on for every mailbox; the document turns them off.
    expect(Object.values(readState(statePath).writes ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect((await mailpolicyResources(pulumi, STACK)).length).toBeGreaterThan(0);

    expectExit(await pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes']));
    expectExit(await npx(['drift', `stacks/${STACK}.mailpolicy.yaml`, '--state', `.mailpolicy/${STACK}.state.json`]));
    // Someone turns SMTP AUTH back on by hand.
    expectExit(await npx(['sim', 'invoke', '--state', `.mailpolicy/${STACK}.state.json`, 'Set-TransportConfig', 'SmtpClientAuthenticationDisabled=false']));
    const drift = await npx(['drift', `stacks/${STACK}.mailpolicy.yaml`, '--state', `.mailpolicy/${STACK}.state.json`]);
    expect(drift.code, text(drift)).toBe(1);
    expect(drift.stdout).toMatch(/smtpClientAuthenticationDisabled/i);
    const refreshed = await pulumi(['preview', '--stack', STACK, '--refresh', '--expect-no-changes']);
    expect(refreshed.code, text(refreshed)).not.toBe(0);

    expectExit(await pulumi(['destroy', '--stack', STACK, '--yes']));
    expect(await mailpolicyResources(pulumi, STACK)).toEqual([]);
  });
});

/** The complete example of docs/pulumi.md#your-own-program, exactly as the page shows it. */
function documentedProgram(): string {
  const page = fs.readFileSync(path.join(REPO, 'docs', 'pulumi.md'), 'utf8');
  const section = page.slice(page.indexOf('## Your own program'));
  const block = /```ts\n([\s\S]*?)```/.exec(section);
  if (!block) throw new Error('docs/pulumi.md: no ts example under "## Your own program"');
  return block[1]!;
}

/** fabrikam's GCC tenant with SMTP AUTH on or off for the whole organisation. */
const fileDocument = (smtpAuthDisabled: boolean) => `apiVersion: mailpolicy/v1
kind: MailPolicy
metadata: { name: fabrikam-gcc }
target: { platform: exchangeOnline, cloud: gcc, organization: fabrikam.onmicrosoft.com }
transportConfig: { smtpClientAuthenticationDisabled: ${smtpAuthDisabled} }
`;

describe("a user's own TypeScript program with MailPolicyOrganisation (the example of docs/pulumi.md)", () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const npx = (args: readonly string[]) => run('npx', ['--no-install', ...args], dir, env);
  const pulumi = (args: string[]) => run('pulumi', [...args, '--non-interactive'], dir, env);

  beforeAll(async () => {
    ({ dir, env } = projectEnv('user-program'));
    await npmInstall(dir, env, [tarball, '@pulumi/pulumi@3.270.0', 'typescript@5.9.3', '@types/node@24.19.2']);
    fs.writeFileSync(path.join(dir, 'index.ts'), documentedProgram());
    fs.writeFileSync(
      path.join(dir, 'Pulumi.yaml'),
      [
        // The page's project, except that the program is compiled by the test's tsc rather than by ts-node.
        'name: mail',
        'runtime:',
        '  name: nodejs',
        '  options: { typescript: false }',
        'main: index.js',
        'plugins:',
        '  providers:',
        '    - { name: pulumi-nodejs, path: node_modules/mailpolicy/providers/plugin }',
        '',
      ].join('\n'),
    );
  });

  it("type-checks against the package's typings (strict)", async () => {
    expectExit(await npx(['tsc', '--strict', '--module', 'commonjs', '--target', 'es2022', '--esModuleInterop', '--skipLibCheck', 'index.ts']));
    expect(fs.existsSync(path.join(dir, 'index.js'))).toBe(true);
  });

  for (const source of ['memory', 'file'] as const) {
    it(`manages an organisation from ${source === 'file' ? 'a document file (the pack first blocking a mandatory violation in it)' : 'an in-memory document'}: preview, up, drift, destroy`, async () => {
      const stack = `fabrikam-${source}`;
      const state = `.mailpolicy/${stack}.state.json`;
      fs.mkdirSync(path.join(dir, '.mailpolicy'), { recursive: true });
      expectExit(await npx(['mailpolicy', 'sim', 'init', '--state', state, '--platform', 'exchangeOnline', '--cloud', 'gcc', '--organization', 'fabrikam.onmicrosoft.com', '--mailboxes', '5']));
      expectExit(await pulumi(['stack', 'init', stack]));
      const settings: [string, string][] = [
        ['mailpolicy:backend', 'simulator'],
        ['mailpolicy:simulatorState', state],
      ];
      if (source === 'file') settings.push(['mail:policyFile', `${stack}.mailpolicy.yaml`]);
      for (const [key, value] of settings) expectExit(await pulumi(['config', 'set', '--stack', stack, key, value]));
      const statePath = path.join(dir, state);

      if (source === 'file') {
        // SMTP AUTH for the whole tenant is mandatory MP-EXO-003 in GCC: the installed pack stops it.
        fs.writeFileSync(path.join(dir, `${stack}.mailpolicy.yaml`), fileDocument(false));
        const blocked = await pulumi(['preview', '--stack', stack, '--policy-pack', PACK]);
        expect(blocked.code, text(blocked)).not.toBe(0);
        expect(text(blocked)).toContain('MP-EXO-003');
        fs.writeFileSync(path.join(dir, `${stack}.mailpolicy.yaml`), fileDocument(true));
      }
      expect(text(expectExit(await pulumi(['preview', '--stack', stack, '--policy-pack', PACK])))).toContain(`mailpolicy@v${VERSION} (local: ${PACK})`);
      expectExit(await pulumi(['up', '--stack', stack, '--yes', '--policy-pack', PACK]));
      expect(readState(statePath).transportConfig?.smtpClientAuthenticationDisabled).toBe(true);
      const resources = await mailpolicyResources(pulumi, stack);
      expect(resources.map((r) => r.urn)).toContainEqual(expect.stringContaining('mailpolicy:index:Organisation$pulumi-nodejs:dynamic/mailpolicy:TransportConfig::mail-transport-config'));

      expectExit(await pulumi(['preview', '--stack', stack, '--refresh', '--expect-no-changes']));
      expectExit(await npx(['mailpolicy', 'sim', 'invoke', '--state', state, 'Set-TransportConfig', 'SmtpClientAuthenticationDisabled=false']));
      const drifted = await pulumi(['preview', '--stack', stack, '--refresh', '--expect-no-changes']);
      expect(drifted.code, text(drifted)).not.toBe(0);
      expectExit(await pulumi(['up', '--stack', stack, '--yes', '--refresh']));
      expect(readState(statePath).transportConfig?.smtpClientAuthenticationDisabled).toBe(true);

      expectExit(await pulumi(['destroy', '--stack', stack, '--yes']));
      expect(await mailpolicyResources(pulumi, stack)).toEqual([]);
    });
  }
});
