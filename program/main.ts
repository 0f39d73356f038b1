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
import { formatProblem, loadPolicyFile, type LoadResult } from '../src/model';
import type { MailPolicy } from '../src/model/types';
import { projectDir } from '../providers/project-dir';
import { CONFIG_KEYS, CONFIG_NAMESPACE, readProviderSettings, SECRET_CONFIG_KEYS, SettingsError, type ProviderSettings } from '../providers/settings';
import { declareStack, type StackOutputs } from './declare';

function isSecret(key: string): boolean {
  // isConfigSecret is exported by the SDK's runtime but left out of its typings.
  const runtime = runtimeConfig as unknown as { isConfigSecret?: (k: string) => boolean };
  return runtime.isConfigSecret?.(key) ?? false;
}

/**
 * The stack's `mailpolicy:*` settings, checked here so that bad config fails the preview, not
 * the first create (the providers read the same settings in `configure`).
 */
export function readStackSettings(config: Config = new Config(CONFIG_NAMESPACE), root: string = projectDir()): ProviderSettings {
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
  return settings;
}

/** The model of a load result, or every problem logged (files relative to `root`) and a clean failure. */
export function policyOrFail(result: LoadResult, what: string, root: string): MailPolicy {
  if (result.ok) return result.loaded.policy;
  for (const problem of result.problems) log.error(formatProblem({ ...problem, file: path.relative(root, problem.file) || problem.file }));
  throw new RunError(`${what}: ${result.problems.length} problem(s) found; nothing was changed`);
}

export function runStack(): StackOutputs {
  const config = new Config(CONFIG_NAMESPACE);
  const policyFile = config.require(CONFIG_KEYS.policyFile);
  // Relative config paths start where Pulumi.yaml is, for the program and the providers alike.
  const root = projectDir();
  const settings = readStackSettings(config, root);
  const policy = policyOrFail(loadPolicyFile(path.resolve(root, policyFile)), policyFile, root);
  return declareStack(policy, { policyFile, restoreDefaultsOnDelete: settings.restoreDefaultsOnDelete });
}
