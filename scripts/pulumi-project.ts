/**
 * A throwaway copy of the mailpolicy Pulumi project for the engine tests and the preview
 * benchmark: Pulumi.yaml, its program entry, package.json and stacks/ are copied (so stack config
 * can be changed and stacks created without touching the repository), while the folders in
 * LINKED (node_modules, dist, policies, providers) are symlinks to the repository's (so it runs
 * exactly the built code). It has its own file backend, PULUMI_HOME and simulator states.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dump, load } from 'js-yaml';
import { packageRoot } from '../src/package-root';
import { DEMO_PASSPHRASE, pulumiEnv, runPulumi, runProcess, type PulumiResult } from './pulumi-env';

const LINKED = ['node_modules', 'dist', 'policies', 'providers'];

export interface TempProjectOptions {
  readonly binDir: string;
  /** Directory name prefix under the OS temp directory. */
  readonly prefix?: string;
  /** Copy the repository's stacks/ (default true). */
  readonly copyStacks?: boolean;
  /** Write this instead of the repository's Pulumi.yaml and its entry (e.g. an empty program for a baseline). */
  readonly pulumiYaml?: string;
}

export class TempProject {
  /** The Pulumi project directory (Pulumi.yaml, stacks/, .mailpolicy/). */
  readonly dir: string;
  readonly backendDir: string;
  readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly root: string,
    binDir: string,
  ) {
    this.dir = path.join(root, 'project');
    this.backendDir = path.join(root, 'backend');
    this.env = pulumiEnv({ binDir, backendDir: this.backendDir, pulumiHome: path.join(root, 'pulumi-home'), passphrase: DEMO_PASSPHRASE });
  }

  static create(options: TempProjectOptions): TempProject {
    const repo = packageRoot();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), options.prefix ?? 'mailpolicy-e2e-'));
    const project = new TempProject(root, options.binDir);
    fs.mkdirSync(path.join(project.dir, 'stacks'), { recursive: true });
    fs.mkdirSync(path.join(project.dir, '.mailpolicy'), { recursive: true });
    for (const link of LINKED) fs.symlinkSync(path.join(repo, link), path.join(project.dir, link));
    fs.copyFileSync(path.join(repo, 'package.json'), path.join(project.dir, 'package.json'));
    if (options.pulumiYaml === undefined) {
      fs.copyFileSync(path.join(repo, 'Pulumi.yaml'), path.join(project.dir, 'Pulumi.yaml'));
      // The program's entry is copied, not linked: the engine runs the program and the provider
      // plugins in the entry's directory, which must be this project's.
      const main = (load(fs.readFileSync(path.join(repo, 'Pulumi.yaml'), 'utf8')) as { main?: string }).main;
      if (main !== undefined && !LINKED.includes(main.split(/[\\/]/)[0] as string)) {
        fs.mkdirSync(path.dirname(path.join(project.dir, main)), { recursive: true });
        fs.copyFileSync(path.join(repo, main), path.join(project.dir, main));
      }
    } else {
      fs.writeFileSync(path.join(project.dir, 'Pulumi.yaml'), options.pulumiYaml);
    }
    if (options.copyStacks !== false) fs.cpSync(path.join(repo, 'stacks'), path.join(project.dir, 'stacks'), { recursive: true });
    return project;
  }

  /** `pulumi ARGS` in the project directory; never throws for a non-zero exit. */
  pulumi(args: readonly string[], options: { readonly input?: string } = {}): Promise<PulumiResult> {
    return runPulumi(args, { cwd: this.dir, env: this.env, ...(options.input === undefined ? {} : { input: options.input }) });
  }

  /** The mailpolicy CLI of this repository, run in the project directory. */
  mailpolicy(args: readonly string[]): Promise<PulumiResult> {
    return runProcess(process.execPath, [path.join(packageRoot(), 'bin', 'mailpolicy.js'), ...args], { cwd: this.dir, env: this.env });
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** Writes stacks/Pulumi.<stack>.yaml with `mailpolicy:<key>` settings. */
  writeStackConfig(stack: string, settings: Readonly<Record<string, string>>): void {
    const config = Object.fromEntries(Object.entries(settings).map(([k, v]) => [`mailpolicy:${k}`, v]));
    fs.writeFileSync(this.path('stacks', `Pulumi.${stack}.yaml`), dump({ config }));
  }

  /** Every file this project and its backend wrote, for searching for leaked secrets. */
  allFiles(): string[] {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isSymbolicLink()) continue;
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    walk(this.root);
    return files;
  }

  remove(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
