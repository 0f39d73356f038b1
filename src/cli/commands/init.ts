/**
 * `mailpolicy init`: scaffolds a Pulumi project in the current directory, where mailpolicy is
 * installed from npm (src/init/scaffold.ts says what it writes). It never overwrites: every
 * target is checked first, and if any exists (or is not a regular file) nothing is written and
 * the command exits 2 naming them all. With the simulator backend it also creates the
 * simulated organisation, so `pulumi up` works at once. Exit 0 written, 2 could not.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CLOUDS, PLATFORMS } from '../../model/types';
import { escapeControls } from '../../text/escape';
import { defineCommand, type OptionSpecs, type OptionValues } from '../args/spec';
import { wholeNumber } from '../args/whole-number';
import type { CliIO } from '../command';
import { EXIT_ERROR, EXIT_OK, UsageError, type ExitCode } from '../exit-codes';
import { CI_SYSTEMS } from '../../init/pipelines';
import { defaultProjectName, defaultStackName, INIT_BACKENDS, PULUMI_NAME, scaffoldFiles, simulatorStatePath } from '../../init/scaffold';

const INIT_OPTIONS = {
  platform: { value: 'platform', description: 'Exchange Online or Exchange Server', choices: PLATFORMS, required: true },
  cloud: { value: 'cloud', description: 'Exchange Online cloud (default worldwide)', choices: CLOUDS },
  organization: { value: 'name', description: 'tenant (contoso.onmicrosoft.com) or on-premises organisation name', required: true },
  stack: { value: 'name', description: 'the first stack (default: the organisation name up to its first dot)' },
  backend: { value: 'backend', description: 'how the stack reaches the organisation', choices: INIT_BACKENDS, default: 'simulator' },
  ci: { value: 'system', description: 'pipeline templates to write', choices: CI_SYSTEMS, default: 'github' },
  mailboxes: { value: 'n', description: 'simulator backend: mailboxes of the simulated organisation', parse: wholeNumber('--mailboxes'), default: 10 },
} as const satisfies OptionSpecs;

/** Every target that exists, as the reason it cannot be written; empty when all are free. */
async function occupied(dir: string, files: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const stats = await fs.lstat(path.join(dir, file)).catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return undefined;
      throw e;
    });
    if (stats) found.push(stats.isFile() ? `${file} already exists` : `${file} exists and is not a regular file`);
  }
  return found;
}

export async function runInit(options: OptionValues<typeof INIT_OPTIONS>, io: CliIO, dir: string = process.cwd()): Promise<ExitCode> {
  if (options.platform === 'exchangeServer' && options.cloud !== undefined) throw new UsageError('--cloud applies to --platform exchangeOnline only');
  const stack = options.stack ?? defaultStackName(options.organization);
  if (!PULUMI_NAME.test(stack)) throw new UsageError(`--stack ${stack}: a Pulumi stack name has letters, digits, '-', '_' and '.' only`);
  const mailboxes = options.mailboxes;

  const files = scaffoldFiles({
    platform: options.platform,
    ...(options.cloud === undefined ? {} : { cloud: options.cloud }),
    organization: options.organization,
    stack,
    backend: options.backend,
    ci: options.ci,
    project: defaultProjectName(path.basename(dir)),
  });
  const statePath = options.backend === 'simulator' ? simulatorStatePath(stack) : undefined;
  const targets = [...files.map((f) => f.path), ...(statePath ? [statePath] : [])];
  const refused = await occupied(dir, targets);
  if (refused.length > 0) {
    io.stderr(`${refused.map((r) => `mailpolicy init: ${escapeControls(r)}`).join('\n')}\nmailpolicy init: nothing was written (init never overwrites; run it in a new directory, or move these away)\n`);
    return EXIT_ERROR;
  }

  const { writeFileSafely } = await import('../../files/safe-write');
  for (const file of files) {
    const target = path.join(dir, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    // overwrite: false re-checks each target at the moment of writing.
    await writeFileSafely(target, file.text, { overwrite: false, overwriteHint: 'init never overwrites' });
    io.stdout(`wrote ${escapeControls(file.path)}\n`);
  }
  if (statePath) {
    const [{ newOrganisation }, { saveState }] = await Promise.all([import('../../simulator/defaults'), import('../../simulator/store')]);
    const target = path.join(dir, statePath);
    await fs.mkdir(path.dirname(target), { recursive: true });
    const state = newOrganisation({
      platform: options.platform,
      ...(options.cloud === undefined ? {} : { cloud: options.cloud }),
      organization: options.organization,
      mailboxes,
    });
    await saveState(target, state, {}, { overwrite: false });
    io.stdout(`wrote ${escapeControls(statePath)} (simulated organisation ${escapeControls(options.organization)}, ${mailboxes} mailbox(es))\n`);
  }
  io.stdout(
    `\nNext:\n  npx mailpolicy check stacks/${stack}.mailpolicy.yaml\n  pulumi stack select ${stack} --create\n  pulumi preview --policy-pack node_modules/mailpolicy/policies\n  pulumi up\n`,
  );
  return EXIT_OK;
}

export const initCommand = defineCommand({
  name: 'init',
  description: 'scaffold a Pulumi project that uses the installed mailpolicy package (never overwrites a file)',
  options: INIT_OPTIONS,
  run: async (_args, options, { io }) => {
    try {
      return await runInit(options, io);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      io.stderr(`mailpolicy init: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
      return EXIT_ERROR;
    }
  },
});
