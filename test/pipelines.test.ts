/**
 * The CI templates in docs/pipelines are part of the product: each must be valid YAML with the
 * structure its platform requires, every `mailpolicy`, `npm run` and `pulumi` command it calls
 * must exist with the flags it passes, and every secret or variable it reads is documented.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { commandFlags } from '../src/cli/args/inventory';
import { loadCommands } from '../src/cli/commands';
import { programSpec } from '../src/cli/program';
import { simpleCommands, type SimpleCommand } from './pipelines/shell-commands';

const ROOT = path.resolve(__dirname, '..');
const PIPELINES = path.join(ROOT, 'docs', 'pipelines');
const README = fs.readFileSync(path.join(PIPELINES, 'README.md'), 'utf8');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const PULUMI = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'pipelines', 'pulumi-cli.json'), 'utf8')) as {
  global: string[];
  commands: Record<string, string[]>;
};

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

interface Template {
  readonly file: string;
  readonly rel: string;
  readonly doc: Yaml;
  readonly platform: 'github' | 'azure-devops';
}

const TEMPLATES: Template[] = yamlFiles(PIPELINES).map((file) => {
  const rel = path.relative(PIPELINES, file);
  const doc = load(fs.readFileSync(file, 'utf8'));
  if (!isMap(doc)) throw new Error(`${rel}: not a YAML mapping`);
  return { file, rel, doc, platform: rel.startsWith('github') ? 'github' : 'azure-devops' };
});

const ROLES = ['pull-request', 'deploy', 'drift', 'msp'] as const;
type Role = (typeof ROLES)[number];
function pipeline(platform: Template['platform'], role: Role): Template {
  const found = TEMPLATES.find((t) => t.platform === platform && path.basename(t.rel) === `mailpolicy-${role}.yml`);
  if (!found) throw new Error(`no ${platform} ${role} template`);
  return found;
}

/** A shell script inside a template, with where it is. */
interface Script {
  readonly template: Template;
  readonly where: string;
  readonly shell: 'bash' | 'pwsh';
  readonly text: string;
}

const SCRIPT_KEYS: Record<string, Script['shell']> = { run: 'bash', script: 'bash', bash: 'bash', pwsh: 'pwsh', powershell: 'pwsh' };

function scriptsOf(template: Template): Script[] {
  const found: Script[] = [];
  const walk = (node: unknown, where: string, parent: Yaml | undefined): void => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}[${i}]`, parent));
    else if (isMap(node)) {
      for (const [key, value] of Object.entries(node)) {
        const shell = SCRIPT_KEYS[key];
        // `run` of a GitHub step with `shell: pwsh` is PowerShell.
        const effective = shell === 'bash' && key === 'run' && node.shell === 'pwsh' ? 'pwsh' : shell;
        if (effective !== undefined && typeof value === 'string') found.push({ template, where: `${where}.${key}`, shell: effective, text: value });
        else walk(value, `${where}.${key}`, node);
      }
    }
    void parent;
  };
  walk(template.doc, '', undefined);
  return found;
}

interface Invocation {
  readonly script: Script;
  readonly command: SimpleCommand;
  readonly tool: 'mailpolicy' | 'pulumi' | 'npm';
  /** The words after the tool's name. */
  readonly args: readonly string[];
}

const NPX_OPTIONS_WITHOUT_VALUE = new Set(['--no-install', '--no', '--yes', '-y', '--quiet', '-q']);

function invocationOf(script: Script, command: SimpleCommand): Invocation | undefined {
  const [first, ...rest] = command.words;
  if (first === 'npx') {
    let i = 0;
    while (i < rest.length && NPX_OPTIONS_WITHOUT_VALUE.has(rest[i] as string)) i++;
    if (rest[i] === 'mailpolicy') return { script, command, tool: 'mailpolicy', args: rest.slice(i + 1) };
    if (rest[i] === 'pulumi') return { script, command, tool: 'pulumi', args: rest.slice(i + 1) };
    return undefined;
  }
  if (first === 'node' && rest[0] !== undefined && /(^|\/)bin\/mailpolicy\.js$/.test(rest[0])) return { script, command, tool: 'mailpolicy', args: rest.slice(1) };
  if (first === 'mailpolicy' || first === 'pulumi' || first === 'npm') return { script, command, tool: first, args: rest };
  return undefined;
}

const ALL_SCRIPTS = TEMPLATES.flatMap(scriptsOf);
const INVOCATIONS = ALL_SCRIPTS.flatMap((s) => simpleCommands(s.text).flatMap((c) => invocationOf(s, c) ?? []));
const at = (i: Invocation): string => `${i.script.template.rel} ${i.script.where} line ${i.command.line}: ${i.command.words.join(' ')}`;

/** The CLI as `mailpolicy --help` describes it: command path (`check`, `sim init`) → its long and short options. */
async function mailpolicyCommands(): Promise<Map<string, Set<string>>> {
  return commandFlags(programSpec(await loadCommands()));
}

function flagsOf(args: readonly string[]): string[] {
  return args.filter((a) => /^-{1,2}[A-Za-z]/.test(a)).map((a) => a.split('=')[0] as string);
}

/** The longest `pulumi` command path the words start with. */
function pulumiCommand(args: readonly string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  for (let n = Math.min(2, words.length); n > 0; n--) {
    const candidate = words.slice(0, n).join(' ');
    if (PULUMI.commands[candidate] !== undefined) return candidate;
  }
  return undefined;
}

function invocations(template: Template, tool: Invocation['tool'], sub?: string): Invocation[] {
  return INVOCATIONS.filter((i) => i.script.template === template && i.tool === tool && (sub === undefined || i.args[0] === sub));
}

function optionValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    for (const name of names) {
      if (arg === name) return args[i + 1];
      if (arg.startsWith(`${name}=`)) return arg.slice(name.length + 1);
    }
  }
  return undefined;
}

/** Every `${{ … }}` expression in a value, recursively. */
function expressions(node: unknown): string[] {
  if (typeof node === 'string') return [...node.matchAll(/\$\{\{(.*?)\}\}/g)].map((m) => (m[1] as string).trim());
  if (Array.isArray(node)) return node.flatMap(expressions);
  if (isMap(node)) return Object.entries(node).flatMap(([k, v]) => [...expressions(k), ...expressions(v)]);
  return [];
}

function isCron(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const fields = text.trim().split(/\s+/);
  const ranges: [number, number][] = [
    [0, 59],
    [0, 23],
    [1, 31],
    [1, 12],
    [0, 6],
  ];
  return (
    fields.length === 5 &&
    fields.every((field, i) =>
      field.split(',').every((part) => {
        const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
        if (!m) return false;
        const [lo, hi] = ranges[i] as [number, number];
        return [m[2], m[3]].every((n) => n === undefined || (Number(n) >= lo && Number(n) <= hi));
      }),
    )
  );
}

describe('shell command extraction (used to read the templates)', () => {
  it('splits on control operators, joins continuations, drops redirections and keeps quoted words whole', () => {
    const cmds = simpleCommands(
      [
        'mkdir -p "$(Build.ArtifactStagingDirectory)/x" && npx --no-install mailpolicy check a.yaml \\',
        '  --format sarif --output "out dir/r.sarif" # trailing comment',
        "if true; then pulumi preview --stack \"$STACK\" --refresh; fi",
        'x=$(for f in a b; do echo "$f"; done | jq -cs .) npm run build >> "$GITHUB_STEP_SUMMARY" 2>&1 || true',
      ].join('\n'),
    );
    expect(cmds.map((c) => c.words)).toEqual([
      ['mkdir', '-p', '$(Build.ArtifactStagingDirectory)/x'],
      ['npx', '--no-install', 'mailpolicy', 'check', 'a.yaml', '--format', 'sarif', '--output', 'out dir/r.sarif'],
      ['true'],
      ['pulumi', 'preview', '--stack', '$STACK', '--refresh'],
      ['npm', 'run', 'build'],
      ['true'],
    ]);
    expect(cmds[4]?.redirects).toEqual(['$GITHUB_STEP_SUMMARY', '1']);
    expect(cmds.map((c) => c.line)).toEqual([1, 1, 3, 3, 4, 4]);
  });

  it('finds the cron fields valid or not', () => {
    expect(isCron('17 5 * * *')).toBe(true);
    expect(isCron('*/15 0-6 1,15 * 1-5')).toBe(true);
    expect(isCron('17 25 * * *')).toBe(false);
    expect(isCron('17 5 * *')).toBe(false);
  });
});

describe('pipeline templates', () => {
  it('covers both platforms and every role, each listed in docs/pipelines/README.md', () => {
    for (const platform of ['github', 'azure-devops'] as const) for (const role of ROLES) expect(pipeline(platform, role).doc).toBeTruthy();
    for (const t of TEMPLATES) expect(README, `README.md does not mention ${t.rel}`).toContain(t.rel);
  });

  it('calls only mailpolicy commands and options that exist', async () => {
    const commands = await mailpolicyCommands();
    const calls = INVOCATIONS.filter((i) => i.tool === 'mailpolicy');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      // A command of a group is two words: `sim init`.
      const name = commands.has(call.args[0] ?? '') ? (call.args[0] as string) : call.args.slice(0, 2).join(' ');
      const flags = commands.get(name);
      expect(flags, `${at(call)}: no mailpolicy command "${name}" (known: ${[...commands.keys()].join(', ')})`).toBeDefined();
      for (const flag of flagsOf(call.args.slice(name.split(' ').length))) expect(flags?.has(flag), `${at(call)}: mailpolicy ${name} has no option ${flag}`).toBe(true);
    }
  });

  it('runs only npm scripts that package.json defines', () => {
    const calls = INVOCATIONS.filter((i) => i.tool === 'npm');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const [sub, name] = call.args;
      if (sub === 'run' || sub === 'run-script') expect(PACKAGE.scripts[name ?? ''], `${at(call)}: no npm script "${name}"`).toBeDefined();
      else if (sub === 'test' || sub === 't' || sub === 'start') expect(PACKAGE.scripts[sub === 't' ? 'test' : sub], at(call)).toBeDefined();
      else expect(['ci', 'install', 'exec'], `${at(call)}: unexpected npm command`).toContain(sub);
    }
  });

  it('calls only real pulumi commands and flags', () => {
    const calls = INVOCATIONS.filter((i) => i.tool === 'pulumi');
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const command = pulumiCommand(call.args);
      expect(command, `${at(call)}: not a known pulumi command`).toBeDefined();
      const known = new Set([...PULUMI.global, ...(PULUMI.commands[command ?? ''] ?? [])]);
      for (const flag of flagsOf(call.args)) expect(known.has(flag), `${at(call)}: pulumi ${command} has no flag ${flag}`).toBe(true);
    }
  });

  it('documents every secret and variable the templates read', () => {
    const names = new Set<string>();
    for (const t of TEMPLATES) {
      for (const e of expressions(t.doc)) for (const m of e.matchAll(/\b(?:secrets|vars)\.([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1] as string);
      // Azure DevOps: secrets mapped into a step's env from the variable group, e.g. $(PULUMI_CONFIG_PASSPHRASE).
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (isMap(node)) {
          if (t.platform === 'azure-devops' && isMap(node.env)) {
            for (const v of Object.values(node.env)) for (const m of String(v).matchAll(/\$\(([A-Z][A-Z0-9_]*)\)/g)) names.add(m[1] as string);
          }
          Object.values(node).forEach(walk);
        }
      };
      walk(t.doc);
    }
    expect(names.size).toBeGreaterThan(0);
    for (const name of names) expect(README, `docs/pipelines/README.md does not document ${name}`).toContain(name);
  });

  it('pull-request check: SARIF from mailpolicy check goes to code scanning, and a preview runs the policy pack', () => {
    const gh = pipeline('github', 'pull-request');
    expect(Object.keys(gh.doc.on as Yaml)).toContain('pull_request');
    const sarif = invocations(gh, 'mailpolicy', 'check').find((i) => optionValue(i.args, '--format', '-f') === 'sarif');
    expect(sarif, 'a mailpolicy check --format sarif').toBeDefined();
    const output = optionValue(sarif?.args ?? [], '--output', '-o');
    const jobs = gh.doc.jobs as Record<string, Yaml>;
    const upload = Object.values(jobs).find((j) => list(j.steps).some((s) => isMap(s) && String(s.uses).startsWith('github/codeql-action/upload-sarif@')));
    expect(upload, 'a job uploading SARIF').toBeDefined();
    expect((upload?.permissions as Yaml | undefined)?.['security-events']).toBe('write');
    const step = list(upload?.steps).find((s) => isMap(s) && String(s.uses).startsWith('github/codeql-action/upload-sarif@')) as Yaml;
    expect((step.with as Yaml).sarif_file).toBe(output);
    // The upload must run when the check fails: that is when there is something to show.
    expect(String(step.if)).toMatch(/!cancelled\(\)|always\(\)/);
    expect(invocations(gh, 'pulumi', 'preview').some((i) => i.args.includes('--policy-pack'))).toBe(true);

    const az = pipeline('azure-devops', 'pull-request');
    expect(az.doc.trigger).toBe('none');
    expect(isMap(az.doc.pr)).toBe(true);
    const azSarif = invocations(az, 'mailpolicy', 'check').find((i) => optionValue(i.args, '--format', '-f') === 'sarif');
    expect(optionValue(azSarif?.args ?? [], '--output', '-o')).toContain('CodeAnalysisLogs/');
    const publish = JSON.stringify(az.doc);
    expect(publish).toContain('"ArtifactName":"CodeAnalysisLogs"');
    expect(invocations(az, 'pulumi', 'preview').some((i) => i.args.includes('--policy-pack'))).toBe(true);
  });

  it('deploy on main: pulumi up --yes with the policy pack', () => {
    const gh = pipeline('github', 'deploy');
    expect(((gh.doc.on as Yaml).push as Yaml).branches).toContain('main');
    const az = pipeline('azure-devops', 'deploy');
    expect(((az.doc.trigger as Yaml).branches as Yaml).include).toContain('main');
    for (const t of [gh, az]) {
      const ups = invocations(t, 'pulumi', 'up');
      expect(ups.length, t.rel).toBeGreaterThan(0);
      for (const up of ups) expect(up.args, at(up)).toEqual(expect.arrayContaining(['--yes', '--policy-pack', '--stack']));
    }
  });

  it('every pulumi up follows a refresh that clears pending creates (an interrupted run recovers without a human) or refreshes itself', () => {
    for (const t of [pipeline('github', 'deploy'), pipeline('azure-devops', 'deploy'), pipeline('github', 'msp'), pipeline('azure-devops', 'msp')]) {
      const all = INVOCATIONS.filter((i) => i.script.template === t && i.tool === 'pulumi');
      const ups = all.filter((i) => i.args[0] === 'up');
      expect(ups.length, t.rel).toBeGreaterThan(0);
      for (const up of ups) {
        const before = all.slice(0, all.indexOf(up));
        expect(
          before.some((i) => i.args[0] === 'refresh' && i.args.includes('--clear-pending-creates') && i.args.includes('--yes')),
          `${at(up)}: no pulumi refresh --yes --clear-pending-creates before it`,
        ).toBe(true);
      }
    }
  });

  it('never turns on Pulumi diagnostics that print decrypted secrets (-v, --verbose, --logtostderr, --logflow, PULUMI_DEBUG_GRPC)', () => {
    for (const i of INVOCATIONS.filter((x) => x.tool === 'pulumi')) {
      expect(flagsOf(i.args).filter((f) => ['-v', '--verbose', '--logtostderr', '--logflow'].includes(f)), at(i)).toEqual([]);
    }
    for (const t of TEMPLATES) expect(fs.readFileSync(path.join(PIPELINES, t.rel), 'utf8'), t.rel).not.toMatch(/PULUMI_DEBUG_GRPC|(^|\s)-v=?\d/m);
  });

  it('scheduled drift: a refreshing preview that expects no changes, and the drift report in the job summary', () => {
    const gh = pipeline('github', 'drift');
    const az = pipeline('azure-devops', 'drift');
    for (const s of list((gh.doc.on as Yaml).schedule)) expect(isCron((s as Yaml).cron)).toBe(true);
    expect(list((gh.doc.on as Yaml).schedule).length).toBeGreaterThan(0);
    expect(list(az.doc.schedules).length).toBeGreaterThan(0);
    for (const s of list(az.doc.schedules)) expect(isCron((s as Yaml).cron)).toBe(true);
    for (const t of [gh, az, pipeline('github', 'msp'), pipeline('azure-devops', 'msp')]) {
      expect(
        invocations(t, 'pulumi', 'preview').some((i) => i.args.includes('--refresh') && i.args.includes('--expect-no-changes')),
        `${t.rel}: pulumi preview --refresh --expect-no-changes`,
      ).toBe(true);
      const drift = invocations(t, 'mailpolicy', 'drift');
      expect(drift.length, `${t.rel}: mailpolicy drift`).toBeGreaterThan(0);
      for (const d of drift) expect(optionValue(d.args, '--format', '-f'), at(d)).toBe('markdown');
    }
    const ghDrift = invocations(gh, 'mailpolicy', 'drift');
    expect(ghDrift.some((d) => d.command.redirects.includes('$GITHUB_STEP_SUMMARY'))).toBe(true);
    const azText = ALL_SCRIPTS.filter((s) => s.template === az).map((s) => s.text).join('\n');
    const report = invocations(az, 'mailpolicy', 'drift').flatMap((d) => d.command.redirects);
    expect(report.length).toBeGreaterThan(0);
    for (const file of report) expect(azText).toContain(`##vso[task.uploadsummary]${file}`);
  });

  it('drift reports read every connection setting from the stack config, as the preview does', () => {
    // The stack config is the one place a tenant's connection is kept: a literal here would go
    // stale the day the stack's value changes.
    const FROM_STACK: Record<string, string> = { '--app-id': 'appId', '--certificate-file': 'certificateFile', '--connection-uri': 'connectionUri' };
    const checked: string[] = [];
    for (const t of [pipeline('github', 'drift'), pipeline('azure-devops', 'drift'), pipeline('github', 'msp'), pipeline('azure-devops', 'msp')]) {
      for (const d of invocations(t, 'mailpolicy', 'drift')) {
        for (const [option, key] of Object.entries(FROM_STACK)) {
          const value = optionValue(d.args, option);
          if (value === undefined) continue;
          // Directly, or through a shell variable assigned from it in the same script.
          const variable = /^\$\{?([A-Za-z_]\w*)\}?$/.exec(value)?.[1];
          const source = variable === undefined ? value : new RegExp(`^\\s*${variable}=(.+?)\\s*$`, 'm').exec(d.script.text)?.[1];
          expect(source, `${at(d)}: ${option}`).toBe(`$(setting ${key})`);
          checked.push(option);
        }
      }
    }
    expect(new Set(checked)).toEqual(new Set(Object.keys(FROM_STACK)));
    for (const script of ALL_SCRIPTS.filter((s) => s.text.includes('$(setting '))) {
      expect(script.text, `${script.template.rel} ${script.where}: setting()`).toMatch(/setting\(\) \{ pulumi config get "mailpolicy:\$1" --stack "\$STACK"/);
    }
  });

  it('MSP: one job per tenant stack, fed by a matrix or a template loop', () => {
    const gh = pipeline('github', 'msp');
    const jobs = gh.doc.jobs as Record<string, Yaml>;
    const matrixJobs = Object.entries(jobs).filter(([, j]) => isMap(j.strategy) && isMap((j.strategy as Yaml).matrix));
    expect(matrixJobs.length).toBeGreaterThan(0);
    for (const [name, job] of matrixJobs) {
      const strategy = job.strategy as Yaml;
      expect(strategy['fail-fast'], `${name}: one tenant's failure must not cancel the others`).toBe(false);
      const source = Object.values(strategy.matrix as Yaml).map(String).join(' ');
      const m = /fromJSON\(needs\.([\w-]+)\.outputs\.([\w-]+)\)/.exec(source);
      expect(m, `${name}: matrix from a job output`).not.toBeNull();
      expect(list(job.needs)).toContain(m?.[1]);
      expect(((jobs[m?.[1] ?? ''] as Yaml).outputs as Yaml)[m?.[2] ?? '']).toBeDefined();
    }
    for (const role of ['preview', 'up'] as const) expect(invocations(gh, 'pulumi', role).length, role).toBeGreaterThan(0);

    const az = pipeline('azure-devops', 'msp');
    const parameters = list(az.doc.parameters) as Yaml[];
    const loops = expressions(az.doc).filter((e) => e.startsWith('each '));
    expect(loops.length).toBeGreaterThan(0);
    for (const loop of loops) {
      const m = /^each \w+ in parameters\.(\w+)$/.exec(loop);
      expect(m, loop).not.toBeNull();
      const parameter = parameters.find((p) => p.name === m?.[1]);
      expect(parameter?.type).toBe('object');
      expect(list(parameter?.default).length).toBeGreaterThan(1);
    }
    for (const role of ['preview', 'up'] as const) expect(invocations(az, 'pulumi', role).length, role).toBeGreaterThan(0);
  });
});

describe('GitHub Actions structure', () => {
  const githubTemplates = TEMPLATES.filter((t) => t.platform === 'github');
  const workflows = githubTemplates.filter((t) => t.rel.includes(`workflows${path.sep}`));
  const actions = githubTemplates.filter((t) => path.basename(t.rel) === 'action.yml');

  it('workflows have triggers and jobs with runners and steps; needs and outputs resolve', () => {
    expect(workflows.length).toBe(4);
    for (const w of workflows) {
      expect(typeof w.doc.name, w.rel).toBe('string');
      expect(isMap(w.doc.on), `${w.rel}: on`).toBe(true);
      const jobs = w.doc.jobs as Record<string, Yaml>;
      expect(Object.keys(jobs).length, w.rel).toBeGreaterThan(0);
      for (const [id, job] of Object.entries(jobs)) {
        const where = `${w.rel} jobs.${id}`;
        expect(job['runs-on'], `${where}: runs-on`).toBeDefined();
        expect(list(job.steps).length, `${where}: steps`).toBeGreaterThan(0);
        const needs = typeof job.needs === 'string' ? [job.needs] : list(job.needs).map(String);
        for (const n of needs) expect(jobs[n], `${where}: needs unknown job ${n}`).toBeDefined();
        const stepIds = new Set(list(job.steps).map((s) => (s as Yaml).id).filter((x) => x !== undefined));
        for (const e of expressions(job)) {
          for (const m of e.matchAll(/needs\.([\w-]+)\.outputs\.([\w-]+)/g)) {
            expect(needs, `${where}: ${e} needs ${m[1]}`).toContain(m[1]);
            expect(((jobs[m[1] as string] as Yaml).outputs as Yaml | undefined)?.[m[2] as string], `${where}: ${e}`).toBeDefined();
          }
          for (const m of e.matchAll(/steps\.([\w-]+)\.outputs/g)) expect(stepIds.has(m[1]), `${where}: ${e} names an unknown step`).toBe(true);
        }
        for (const step of list(job.steps) as Yaml[]) expect(('run' in step ? 1 : 0) + ('uses' in step ? 1 : 0), `${where}: a step has run or uses`).toBe(1);
      }
    }
  });

  it('composite actions declare a shell for every run step, and steps reference only declared inputs', () => {
    expect(actions.length).toBeGreaterThan(0);
    for (const a of actions) {
      const runs = a.doc.runs as Yaml;
      expect(runs.using).toBe('composite');
      const declared = new Set(Object.keys((a.doc.inputs as Yaml | undefined) ?? {}));
      for (const step of list(runs.steps) as Yaml[]) {
        if ('run' in step) expect(step.shell, `${a.rel}: ${String(step.name)} needs shell`).toBeDefined();
        for (const e of expressions(step)) for (const m of e.matchAll(/inputs\.([\w-]+)/g)) expect(declared.has(m[1] as string), `${a.rel}: ${e}`).toBe(true);
      }
    }
  });

  it('uses local actions that exist (the github/ folder is .github/) with only their inputs, and pins external ones', () => {
    for (const t of githubTemplates) {
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (isMap(node)) {
          if (typeof node.uses === 'string') {
            const uses = node.uses;
            if (uses.startsWith('./.github/')) {
              const file = path.join(PIPELINES, 'github', uses.slice('./.github/'.length), 'action.yml');
              expect(fs.existsSync(file), `${t.rel}: ${uses}`).toBe(true);
              const action = load(fs.readFileSync(file, 'utf8')) as Yaml;
              const inputs = Object.keys((action.inputs as Yaml | undefined) ?? {});
              for (const key of Object.keys((node.with as Yaml | undefined) ?? {})) expect(inputs, `${t.rel}: ${uses} has no input ${key}`).toContain(key);
            } else {
              expect(uses, `${t.rel}: pin ${uses} to a version`).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$/);
            }
          }
          Object.values(node).forEach(walk);
        }
      };
      walk(t.doc);
    }
  });

  it('passes secrets to scripts through env, never into the script text', () => {
    for (const s of ALL_SCRIPTS.filter((x) => x.template.platform === 'github')) {
      expect(s.text, `${s.template.rel} ${s.where}`).not.toMatch(/\$\{\{\s*(secrets|inputs)\./);
    }
  });
});

describe('Azure DevOps structure', () => {
  const azure = TEMPLATES.filter((t) => t.platform === 'azure-devops');
  const STEP_KINDS = ['script', 'bash', 'pwsh', 'powershell', 'task', 'template', 'checkout', 'download', 'publish'];

  function steps(node: unknown, found: Yaml[] = []): Yaml[] {
    if (Array.isArray(node)) node.forEach((n) => steps(n, found));
    else if (isMap(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'steps') {
          for (const item of list(value)) {
            if (isMap(item) && Object.keys(item).length === 1 && /^\$\{\{/.test(Object.keys(item)[0] as string)) steps(Object.values(item), found);
            else if (isMap(item)) found.push(item);
          }
        } else steps(value, found);
      }
    }
    return found;
  }

  it('every step is exactly one kind, tasks are versioned, secrets go through env', () => {
    for (const t of azure) {
      const all = steps(t.doc);
      expect(all.length, t.rel).toBeGreaterThan(0);
      for (const step of all) {
        const kinds = STEP_KINDS.filter((k) => k in step);
        expect(kinds.length, `${t.rel}: ${JSON.stringify(step).slice(0, 120)}`).toBe(1);
        if (typeof step.task === 'string') expect(step.task, t.rel).toMatch(/^[\w-]+@\d+$/);
        for (const key of ['script', 'bash', 'pwsh']) {
          if (typeof step[key] === 'string') expect(step[key] as string, `${t.rel}: use env for parameters and secrets`).not.toMatch(/\$\{\{\s*parameters\.|\$\((PULUMI_CONFIG_PASSPHRASE|AZURE_STORAGE_KEY)\)/);
        }
      }
    }
  });

  it('templates exist beside the pipeline and receive only parameters they declare', () => {
    let references = 0;
    for (const t of azure) {
      for (const step of steps(t.doc).filter((s) => typeof s.template === 'string')) {
        references++;
        const file = path.join(path.dirname(t.file), step.template as string);
        expect(fs.existsSync(file), `${t.rel}: ${String(step.template)}`).toBe(true);
        const declared = (list((load(fs.readFileSync(file, 'utf8')) as Yaml).parameters) as Yaml[]).map((p) => p.name);
        for (const key of Object.keys((step.parameters as Yaml | undefined) ?? {})) expect(declared, `${t.rel}: ${String(step.template)} has no parameter ${key}`).toContain(key);
      }
    }
    expect(references).toBeGreaterThan(0);
  });

  it('job names are identifiers and deployment jobs check out the repository', () => {
    for (const t of azure) {
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (isMap(node)) {
          for (const key of ['job', 'deployment', 'stage']) {
            if (typeof node[key] === 'string') expect(node[key] as string, `${t.rel}: ${key} name`).toMatch(/^([A-Za-z_][A-Za-z0-9_]*|\$\{\{.*\}\})$/);
          }
          if (typeof node.deployment === 'string') expect(JSON.stringify(node)).toContain('"checkout":"self"');
          Object.values(node).forEach(walk);
        }
      };
      walk(t.doc);
    }
  });
});
