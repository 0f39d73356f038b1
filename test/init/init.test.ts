/**
 * `mailpolicy init` as a real process in an empty directory: what it writes for each platform
 * and backend is a valid project (the document validates and checks clean, the stack config
 * names it, the simulator state exists only for the simulator backend), the pipelines are the
 * docs/pipelines templates adapted to an installed package, and it never overwrites: one
 * existing file and nothing at all is written.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { packagePath } from '../../src/package-root';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mailpolicy-init-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(cwd: string, ...argv: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [packagePath('bin', 'mailpolicy.js'), ...argv], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let n = 0;
function emptyDir(): string {
  const dir = path.join(tmp, `project-${++n}`);
  fs.mkdirSync(dir);
  return dir;
}

/** Every file under dir, relative, sorted. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('mailpolicy init', () => {
  const cases = [
    { args: ['--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com'], stack: 'contoso', backend: 'simulator', ci: '.github' },
    { args: ['--platform', 'exchangeOnline', '--cloud', 'gccHigh', '--organization', 'fabrikam.onmicrosoft.us', '--stack', 'fab', '--backend', 'powershell', '--ci', 'azure-devops'], stack: 'fab', backend: 'powershell', ci: '.azure-pipelines' },
    { args: ['--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--ci', 'none'], stack: 'woodgrove', backend: 'simulator', ci: undefined },
  ];
  for (const c of cases) {
    it(`writes a valid project for ${c.args.join(' ')}`, () => {
      const dir = emptyDir();
      const r = cli(dir, 'init', ...c.args);
      expect(r.code, r.stderr).toBe(0);
      const doc = `stacks/${c.stack}.mailpolicy.yaml`;
      expect(cli(dir, 'validate', doc).code).toBe(0);
      expect(cli(dir, 'check', doc).code).toBe(0);
      const config = (load(fs.readFileSync(path.join(dir, `stacks/Pulumi.${c.stack}.yaml`), 'utf8')) as { config: Record<string, string> }).config;
      expect(config['mailpolicy:policyFile']).toBe(doc);
      expect(config['mailpolicy:backend']).toBe(c.backend);
      expect(fs.existsSync(path.join(dir, `.mailpolicy/${c.stack}.state.json`))).toBe(c.backend === 'simulator');
      if (c.backend === 'simulator') expect(cli(dir, 'drift', doc, '--state', config['mailpolicy:simulatorState']!).code).toBe(1);
      const project = load(fs.readFileSync(path.join(dir, 'Pulumi.yaml'), 'utf8')) as Record<string, unknown>;
      expect(project).toMatchObject({
        name: `project-${n}`,
        main: 'node_modules/mailpolicy/pulumi-program.js',
        stackConfigDir: 'stacks',
        plugins: { providers: [{ name: 'pulumi-nodejs', path: 'node_modules/mailpolicy/providers/plugin' }] },
      });
      const files = tree(dir);
      expect(files.some((f) => f.startsWith('.github'))).toBe(c.ci === '.github');
      expect(files.some((f) => f.startsWith('.azure-pipelines'))).toBe(c.ci === '.azure-pipelines');
      for (const f of files.filter((f) => /^\.(github|azure-pipelines)\//.test(f))) {
        const text = fs.readFileSync(path.join(dir, f), 'utf8');
        expect(() => load(text), f).not.toThrow();
        expect(text, f).not.toMatch(/npm run build|--policy-pack policies\b|contoso-worldwide/);
        if (/--policy-pack/.test(text)) expect(text, f).toContain('--policy-pack node_modules/mailpolicy/policies');
        if (/STACK/.test(text)) expect(text, f).toContain(c.stack);
      }
    });
  }

  it('writes the schema line editors read, pointing into the installed package', () => {
    const dir = emptyDir();
    cli(dir, 'init', '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com', '--ci', 'none');
    expect(fs.readFileSync(path.join(dir, 'stacks/contoso.mailpolicy.yaml'), 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=../node_modules/mailpolicy/schema/mailpolicy.schema.json');
  });

  it('never overwrites: with one target present it writes nothing and exits 2 naming it', () => {
    const dir = emptyDir();
    fs.mkdirSync(path.join(dir, 'stacks'));
    fs.writeFileSync(path.join(dir, 'stacks', 'contoso.mailpolicy.yaml'), 'mine\n');
    fs.mkdirSync(path.join(dir, 'README.md'));
    const before = tree(dir);
    const r = cli(dir, 'init', '--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mailpolicy init: stacks/contoso.mailpolicy.yaml already exists\n');
    expect(r.stderr).toContain('mailpolicy init: README.md exists and is not a regular file\n');
    expect(r.stderr).toContain('nothing was written');
    expect(r.stdout).toBe('');
    expect(tree(dir)).toEqual(before);
    expect(fs.readdirSync(path.join(dir, 'README.md'))).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'stacks', 'contoso.mailpolicy.yaml'), 'utf8')).toBe('mine\n');
  });

  it('refuses bad options as usage errors, writing nothing', () => {
    const dir = emptyDir();
    for (const args of [
      ['--platform', 'exchangeServer', '--cloud', 'gcc', '--organization', 'woodgrove.com'],
      ['--platform', 'exchangeOnline', '--organization', 'contoso.onmicrosoft.com', '--stack', 'a b'],
      ['--platform', 'exchangeOnline'],
    ]) {
      const r = cli(dir, 'init', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^mailpolicy: /);
    }
    expect(tree(dir)).toEqual([]);
  });
});
