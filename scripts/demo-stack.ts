/**
 * The demo stack, shared by `npm run demo` and bench/preview.ts: contoso-worldwide, applied to a
 * simulated worldwide tenant of 2,000 mailboxes created with `mailpolicy sim init`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { loadPolicyFileOrThrow } from '../src/model/load';
import { StateStore } from '../src/simulator/store';
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

/**
 * A new simulated tenant for the demo document, with Exchange's defaults: `mailpolicy sim init`
 * generates the 2,000 mailboxes; the mailboxes the document's exceptions name (the scanner, the
 * help-desk archive) are added beside them, as they exist in the real tenant the story describes.
 */
export async function initSimulatedOrganisation(runner: MailpolicyRunner, projectDir: string, statePath: string): Promise<void> {
  fs.mkdirSync(path.dirname(statePath), { recursive: true });
  expectExit(
    await runner.mailpolicy(['sim', 'init', '--platform', 'exchangeOnline', '--cloud', 'worldwide', '--organization', 'contoso.onmicrosoft.com', '--mailboxes', String(DEMO_MAILBOXES), '--state', statePath]),
  );
  const { policy } = loadPolicyFileOrThrow(path.join(projectDir, DEMO_DOCUMENT));
  const named = (policy.casMailboxes?.exceptions ?? []).flatMap((e) => e.identities).filter((identity) => identity.includes('@'));
  await new StateStore(statePath).update((state) => {
    for (const address of named) {
      if (state.mailboxes.some((row) => row[1].toLowerCase() === address.toLowerCase())) continue;
      // A new mailbox as Exchange Online creates it: POP3 and IMAP4 on, SMTP AUTH inherited.
      state.mailboxes.push([address.split('@')[0] as string, address, address, true, true, null]);
    }
    return { result: undefined, changed: named.length > 0 };
  });
}
