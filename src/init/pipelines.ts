/**
 * The CI templates of docs/pipelines, adapted to a project that installs mailpolicy from npm:
 * nothing to build (the package ships compiled), the policy pack inside node_modules, and the
 * new project's stack instead of the example's. The templates stay the one source: `init`
 * copies what the package ships and changes only these three things, and refuses (rather than
 * writes a half-adapted pipeline) when a template no longer has the shape an edit expects.
 */
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root';

export const CI_SYSTEMS = ['github', 'azure-devops', 'none'] as const;
export type CiSystem = (typeof CI_SYSTEMS)[number];

/** Where the installed package's policy pack is, from the project directory. */
export const INSTALLED_POLICY_PACK = 'node_modules/mailpolicy/policies';

/** The example stack the templates are written for. */
const TEMPLATE_STACK = 'contoso-worldwide';

interface Edit {
  readonly what: string;
  readonly pattern: RegExp;
  readonly replacement: string;
}

/** The build step: GitHub's composite-action step, Azure DevOps' script step. */
const DROP_BUILD: readonly Edit[] = [
  { what: 'the build step', pattern: /^ {4}- name: Build the program, providers and policy pack\n {6}shell: bash\n {6}run: npm run build\n/m, replacement: '' },
  { what: 'the build step', pattern: /^ {2}- script: npm run build\n {4}displayName: Build the program, providers and policy pack\n/m, replacement: '' },
];

function templateEdits(stack: string): readonly Edit[] {
  return [
    { what: 'the policy pack path', pattern: /--policy-pack policies\b/g, replacement: `--policy-pack ${INSTALLED_POLICY_PACK}` },
    { what: 'the example stack', pattern: new RegExp(TEMPLATE_STACK, 'g'), replacement: stack },
    { what: 'the build in the description', pattern: /npm ci, npm run build/g, replacement: 'npm ci (mailpolicy ships compiled)' },
    { what: 'the build in the comment', pattern: /the compiled program and policy pack/g, replacement: 'mailpolicy from node_modules' },
  ];
}

export interface PipelineFile {
  /** Path in the new project, with forward slashes. */
  readonly path: string;
  /** Path under the package's docs/pipelines. */
  readonly template: string;
}

/** What each CI system gets: the pull-request check, the deployment and the drift check, with their shared setup. */
export const PIPELINE_FILES: Readonly<Record<Exclude<CiSystem, 'none'>, readonly PipelineFile[]>> = {
  github: [
    { path: '.github/actions/mailpolicy-setup/action.yml', template: 'github/actions/mailpolicy-setup/action.yml' },
    { path: '.github/workflows/mailpolicy-pull-request.yml', template: 'github/workflows/mailpolicy-pull-request.yml' },
    { path: '.github/workflows/mailpolicy-deploy.yml', template: 'github/workflows/mailpolicy-deploy.yml' },
    { path: '.github/workflows/mailpolicy-drift.yml', template: 'github/workflows/mailpolicy-drift.yml' },
  ],
  'azure-devops': [
    { path: '.azure-pipelines/templates/mailpolicy-setup.yml', template: 'azure-devops/templates/mailpolicy-setup.yml' },
    { path: '.azure-pipelines/mailpolicy-pull-request.yml', template: 'azure-devops/mailpolicy-pull-request.yml' },
    { path: '.azure-pipelines/mailpolicy-deploy.yml', template: 'azure-devops/mailpolicy-deploy.yml' },
    { path: '.azure-pipelines/mailpolicy-drift.yml', template: 'azure-devops/mailpolicy-drift.yml' },
  ],
};

/** One template's text for a project whose stack is `stack`. Throws when a setup template has no build step to drop. */
export function adaptTemplate(text: string, stack: string, file: string): string {
  let out = text;
  if (/npm run build/.test(out)) {
    const drop = DROP_BUILD.find((edit) => edit.pattern.test(out));
    if (!drop) throw new Error(`docs/pipelines/${file}: runs npm run build in a step of unexpected shape; cannot adapt it`);
    out = out.replace(drop.pattern, drop.replacement);
  }
  for (const edit of templateEdits(stack)) out = out.replace(edit.pattern, edit.replacement);
  if (/npm run build|--policy-pack policies\b/.test(out)) throw new Error(`docs/pipelines/${file}: still builds or names ./policies after adapting it`);
  return out;
}

/** The adapted templates of `ci` as project files. */
export function pipelineFiles(ci: CiSystem, stack: string): { readonly path: string; readonly text: string }[] {
  if (ci === 'none') return [];
  return PIPELINE_FILES[ci].map((f) => ({ path: f.path, text: adaptTemplate(readFileSync(packagePath('docs', 'pipelines', f.template), 'utf8'), stack, f.template) }));
}
