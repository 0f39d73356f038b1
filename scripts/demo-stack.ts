/**
 * The demo stack, shared by `npm run demo` and bench/preview.ts: contoso-worldwide, applied to a
 * simulated worldwide tenant of 2,000 mailboxes created with `mailpolicy sim init`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { expectExit, type PulumiResult } from './pulumi-env';

export const DEMO_STACK = 'contoso-worldwide';
export const DEMO_MAILBOXES = 2000;

/** Runs the mailpolicy CLI with these arguments in the project directory. */
export interface MailpolicyRunner {
  mailpolicy(args: readonly string[]): Promise<PulumiResult>;
}

/** `mailpolicy:simulatorState` of the demo stack's config, resolved from the project directory. */
export function demoStatePath(projectDir: string): string {
  const file = path.join(projectDir, 'stacks', `Pulumi.${DEMO_STACK}.yaml`);
  const config = (load(fs.readFileSync(file, 'utf8')) as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const state = config['mailpolicy:simulatorState'];
  if (typeof state !== 'string' || state === '') throw new Error(`${file}: mailpolicy:simulatorState is not set`);
  return path.resolve(projectDir, state);
}

/** The demo stack's document, relative to the project directory. */
export const DEMO_DOCUMENT = `stacks/${DEMO_STACK}.mailpolicy.yaml`;

/** A new simulated tenant for the demo document, with Exchange's defaults. */
export async function initSimulatedOrganisation(runner: MailpolicyRunner, statePath: string): Promise<PulumiResult> {
  fs.mkdirSync(path.dirname(statePath), { recursive: true });
  return expectExit(
    await runner.mailpolicy(['sim', 'init', '--platform', 'exchangeOnline', '--cloud', 'worldwide', '--organization', 'contoso.onmicrosoft.com', '--mailboxes', String(DEMO_MAILBOXES), '--state', statePath]),
  );
}
