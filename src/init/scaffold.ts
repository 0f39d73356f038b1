/**
 * What `mailpolicy init` writes into a directory where mailpolicy is installed from npm: a
 * Pulumi project whose program and provider plugin are the installed package's, one stack (its
 * config and its document), the CI templates adapted to this layout, a README and a .gitignore.
 * Pure: it returns the files' paths and texts; the command writes them (src/cli/commands/init.ts).
 */
import { dump } from 'js-yaml';
import type { Cloud, Platform } from '../model/types';
import { pipelineFiles, INSTALLED_POLICY_PACK, type CiSystem } from './pipelines';

export const INIT_BACKENDS = ['simulator', 'powershell'] as const;
export type InitBackend = (typeof INIT_BACKENDS)[number];

export interface ScaffoldOptions {
  readonly platform: Platform;
  /** Exchange Online only (default worldwide). */
  readonly cloud?: Cloud;
  readonly organization: string;
  readonly stack: string;
  readonly backend: InitBackend;
  readonly ci: CiSystem;
  /** The Pulumi project name. */
  readonly project: string;
}

export interface ScaffoldFile {
  /** Relative to the project directory, forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** Where the installed package is, from the project directory. */
const PACKAGE_DIR = 'node_modules/mailpolicy';

/** Pulumi stack and project names: letters, digits, `-`, `_`, `.`. */
export const PULUMI_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A stack name from the organisation: `contoso.onmicrosoft.com` → `contoso`. */
export function defaultStackName(organization: string): string {
  const first = organization.split('.')[0] ?? '';
  const name = first.toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '');
  return name === '' ? 'mailpolicy' : name;
}

/** The Pulumi project name from the directory's name, or `mailpolicy` when nothing usable is left. */
export function defaultProjectName(dirName: string): string {
  const name = dirName.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[-.]+|-+$/g, '');
  return name === '' ? 'mailpolicy' : name.slice(0, 100);
}

export function documentPath(stack: string): string {
  return `stacks/${stack}.mailpolicy.yaml`;
}

export function simulatorStatePath(stack: string): string {
  return `.mailpolicy/${stack}.state.json`;
}

function pulumiYaml(o: ScaffoldOptions): string {
  return [
    `# Written by \`mailpolicy init\`. The program and the provider plugin are the installed mailpolicy`,
    `# package's (${PACKAGE_DIR}): upgrading the package upgrades them. Stack config and documents`,
    `# are in stacks/. See ${PACKAGE_DIR}/docs/pulumi.md.`,
    dump({
      name: o.project,
      description: `Exchange mail-protocol policy of ${o.organization}, managed by mailpolicy`,
      runtime: { name: 'nodejs', options: { typescript: false } },
      main: `${PACKAGE_DIR}/pulumi-program.js`,
      stackConfigDir: 'stacks',
      plugins: { providers: [{ name: 'pulumi-nodejs', path: `${PACKAGE_DIR}/providers/plugin` }] },
    }, { lineWidth: -1 }).trimEnd(),
    '',
  ].join('\n');
}

function stackConfig(o: ScaffoldOptions): string {
  const head = [`# Stack ${o.stack}: its document and how to reach ${o.organization}. Every key: ${PACKAGE_DIR}/docs/pulumi.md#config-reference`];
  const base = { 'mailpolicy:policyFile': documentPath(o.stack), 'mailpolicy:backend': o.backend };
  if (o.backend === 'simulator') {
    return [...head, '# The built-in Exchange simulator: `mailpolicy init` created its state; nothing real is touched.', dump({ config: { ...base, 'mailpolicy:simulatorState': simulatorStatePath(o.stack) } })].join('\n');
  }
  if (o.platform === 'exchangeOnline') {
    return [
      ...head,
      '# Exchange Online, app-only sign-in: fill in appId (the Entra application) and the certificate',
      '# file, then store its password encrypted:',
      '#   pulumi config set --secret mailpolicy:certificatePassword',
      '# Or, on an Azure machine with a managed identity: remove appId and certificateFile and set',
      '#   pulumi config set mailpolicy:managedIdentity true',
      '# PowerShell 7 with the ExchangeOnlineManagement module must be installed (mailpolicy:pwshPath',
      '# if pwsh is not on PATH).',
      dump({ config: { ...base, 'mailpolicy:appId': '', 'mailpolicy:certificateFile': '.secrets/exchange.pfx' } }),
    ].join('\n');
  }
  return [
    ...head,
    '# Exchange Server: fill in the remote PowerShell endpoint of one of your servers, e.g.',
    `#   http://ex01.${o.organization}/PowerShell/`,
    '# (from a Windows host in the organisation\'s network: WSMan remoting does not work from Linux).',
    dump({ config: { ...base, 'mailpolicy:connectionUri': '' } }),
  ].join('\n');
}

function documentText(o: ScaffoldOptions): string {
  const header = [
    `# yaml-language-server: $schema=../${PACKAGE_DIR}/schema/mailpolicy.schema.json`,
    `# The mail-protocol policy of ${o.organization}. Only the keys written here are managed; an absent`,
    '# key means "leave it as it is". Every key: node_modules/mailpolicy/docs/schema.md',
  ];
  const target = o.platform === 'exchangeOnline' ? { platform: o.platform, cloud: o.cloud ?? 'worldwide', organization: o.organization } : { platform: o.platform, organization: o.organization };
  const body: Record<string, unknown> = {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: o.stack },
    target,
  };
  if (o.platform === 'exchangeOnline') {
    // SMTP AUTH off for the organisation (CIS 6.5.4, CISA MS.EXO.5.1v1) and no legacy TLS.
    body.transportConfig = { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true };
    body.casMailboxes = { default: { popEnabled: false, imapEnabled: false } };
  } else {
    body.casMailboxes = { default: { popEnabled: false, imapEnabled: false } };
    // EX01 is the simulator's server; name your own servers here.
    body.servers = [{ name: 'EX01', pop3: { service: { startupType: 'Disabled', state: 'Stopped' } }, imap4: { service: { startupType: 'Disabled', state: 'Stopped' } } }];
  }
  return `${header.join('\n')}\n${dump(body, { flowLevel: 2 })}`;
}

function readme(o: ScaffoldOptions): string {
  const stateLine =
    o.backend === 'simulator'
      ? `The stack uses the built-in Exchange simulator (state in \`${simulatorStatePath(o.stack)}\`), so everything below works without a tenant. Switch to the real organisation with \`pulumi config set mailpolicy:backend powershell\` and the connection settings in ${PACKAGE_DIR}/docs/pulumi.md.`
      : `The stack talks to the real organisation through Exchange PowerShell: fill in the connection settings in \`stacks/Pulumi.${o.stack}.yaml\` first.`;
  return `# ${o.project}

The Exchange mail-protocol policy (POP3, IMAP4, SMTP AUTH, legacy TLS) of ${o.organization}, as
code, managed with [mailpolicy](${PACKAGE_DIR}/README.md) and Pulumi.

| path | what |
|---|---|
| \`${documentPath(o.stack)}\` | the policy document (edit this; your editor completes and explains keys through the schema line) |
| \`stacks/Pulumi.${o.stack}.yaml\` | the stack: which document, and how to reach the organisation |
| \`Pulumi.yaml\` | the Pulumi project; its program, providers and policy pack come from \`${PACKAGE_DIR}\` |
${o.ci === 'github' ? '| `.github/` | pull-request check, deployment and daily drift check (GitHub Actions) |\n' : ''}${o.ci === 'azure-devops' ? '| `.azure-pipelines/` | pull-request check, deployment and daily drift check (Azure DevOps) |\n' : ''}
${stateLine}

\`\`\`sh
npx mailpolicy validate ${documentPath(o.stack)}      # the document against the schema
npx mailpolicy check ${documentPath(o.stack)}         # the policy rules (CIS, ScubaGear and Maester IDs included)
pulumi login --local                                   # or your own backend
pulumi stack select ${o.stack} --create
pulumi preview --policy-pack ${INSTALLED_POLICY_PACK}
pulumi up --policy-pack ${INSTALLED_POLICY_PACK}
pulumi preview --refresh --expect-no-changes           # drift: fails when Exchange changed
\`\`\`

Commands: ${PACKAGE_DIR}/docs/commands/. Pipelines: ${PACKAGE_DIR}/docs/pipelines/README.md.
`;
}

const GITIGNORE = ['node_modules/', '# simulator states', '.mailpolicy/', '# certificates written by the pipelines', '.secrets/', ''].join('\n');

/** Every file `init` writes, except the simulator state (which the command creates itself). */
export function scaffoldFiles(o: ScaffoldOptions): ScaffoldFile[] {
  return [
    { path: 'Pulumi.yaml', text: pulumiYaml(o) },
    { path: `stacks/Pulumi.${o.stack}.yaml`, text: stackConfig(o) },
    { path: documentPath(o.stack), text: documentText(o) },
    { path: 'README.md', text: readme(o) },
    { path: '.gitignore', text: GITIGNORE },
    ...pipelineFiles(o.ci, o.stack),
  ];
}
