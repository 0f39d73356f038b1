/**
 * The Pulumi program, kept thin: read the stack config, load and validate the document (every
 * problem as FILE:LINE:COL, then a clean failure that changes nothing), declare the resources.
 */
import * as path from 'node:path';
// Deep imports on purpose: `@pulumi/pulumi`'s index loads closure serialisation (~0.8 s per run), unused here.
import { Config } from '@pulumi/pulumi/config';
import { RunError } from '@pulumi/pulumi/errors';
import * as log from '@pulumi/pulumi/log';
import * as runtimeConfig from '@pulumi/pulumi/runtime/config';
import { formatProblem, loadPolicyFile } from '../src/model';
import { projectDir } from '../providers/project-dir';
import { CONFIG_KEYS, CONFIG_NAMESPACE, readProviderSettings, SECRET_CONFIG_KEYS, SettingsError, type ProviderSettings } from '../providers/settings';
import { declareStack, type StackOutputs } from './declare';

function isSecret(key: string): boolean {
  // isConfigSecret is exported by the SDK's runtime but left out of its typings.
  const runtime = runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean };
  return runtime.isConfigSecret?.(key) ?? false;
}

export function runStack(): StackOutputs {
  const config = new Config(CONFIG_NAMESPACE);
  const policyFile = config.require(CONFIG_KEYS.policyFile);
  // Relative config paths start where Pulumi.yaml is, for the program and the providers alike.
  const root = projectDir();

  // The providers read the same settings; checking them here fails the preview, not the first create.
  let settings: ProviderSettings;
  try {
    settings = readProviderSettings((key) => config.get(key), root);
  } catch (err) {
    if (err instanceof SettingsError) throw new RunError(err.message);
    throw err;
  }
  for (const key of SECRET_CONFIG_KEYS) {
    const passwordKey = `${CONFIG_NAMESPACE}:${key}`;
    if ((runtimeConfig.allConfig()[passwordKey] ?? '') !== '' && !isSecret(passwordKey)) {
      throw new RunError(`${passwordKey} is stored in plain text: set it with \`pulumi config set --secret ${passwordKey}\``);
    }
  }

  const file = path.resolve(root, policyFile);
  const result = loadPolicyFile(file);
  if (!result.ok) {
    for (const problem of result.problems) log.error(formatProblem({ ...problem, file: path.relative(root, problem.file) || problem.file }));
    throw new RunError(`${policyFile}: ${result.problems.length} problem(s) found; nothing was changed`);
  }
  return declareStack(result.loaded.policy, { policyFile, restoreDefaultsOnDelete: settings.restoreDefaultsOnDelete });
}
