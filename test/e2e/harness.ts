/** What the engine tests share: a throwaway project on the real CLI, and simulated organisations shaped like a document. */
import * as fs from 'node:fs';
import { inject } from 'vitest';
import type { SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';
import { expectExit, type PulumiResult } from '../../scripts/pulumi-env';
import { TempProject } from '../../scripts/pulumi-project';
import { organisationFor } from '../reconcile/simulated';
import { loadPolicyFileOrThrow } from '../../src/model/load';

export { expectExit, TempProject };

export function newProject(prefix: string): TempProject {
  return TempProject.create({ binDir: inject('engineBin'), prefix: `mailpolicy-e2e-${prefix}-` });
}

/** A new organisation with Exchange's defaults holding every mailbox and server `policyFile` names. */
export async function seedOrganisation(statePath: string, policyFile: string, mailboxes = 50): Promise<void> {
  await saveState(statePath, organisationFor(loadPolicyFileOrThrow(policyFile).policy, mailboxes));
}

export function readSimulator(statePath: string): SimulatorState {
  return JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;
}

/** Successful writes per cmdlet the simulator counted. */
export function writes(statePath: string): Record<string, number> {
  return readSimulator(statePath).writes ?? {};
}

/** stdout and stderr together: where a message appears is Pulumi's business. */
export function output(result: PulumiResult): string {
  return `${result.stdout}\n${result.stderr}`;
}

export async function initStack(project: TempProject, stack: string): Promise<void> {
  expectExit(await project.pulumi(['stack', 'init', stack, '--non-interactive']));
}

/** The resources in the stack's state, from `pulumi stack export`. */
export async function stateResources(project: TempProject, stack: string): Promise<{ urn: string; type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[]> {
  const exported = expectExit(await project.pulumi(['stack', 'export', '--stack', stack]));
  const deployment = (JSON.parse(exported.stdout) as { deployment?: { resources?: { urn: string; type: string }[] } }).deployment;
  return deployment?.resources ?? [];
}

export const MAILPOLICY_TYPE = /^pulumi-nodejs:dynamic\/mailpolicy:/;
