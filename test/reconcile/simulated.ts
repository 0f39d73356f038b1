/** Simulated organisations shaped like a document: its platform, cloud, organisation, servers and named mailboxes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MailPolicy } from '../../src/model/types';
import { newOrganisation } from '../../src/simulator/defaults';
import type { SimulatorState } from '../../src/simulator/state';
import { saveState } from '../../src/simulator/store';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mailpolicy-${prefix}-`));
}

/** A new organisation with Exchange's defaults, `mailboxes` generated ones plus every mailbox the document's exceptions name. */
export function organisationFor(policy: MailPolicy, mailboxes = 20): SimulatorState {
  const { platform, cloud, organization } = policy.target;
  const state = newOrganisation({
    platform,
    ...(cloud === undefined ? {} : { cloud }),
    organization,
    mailboxes,
    ...(policy.servers ? { servers: policy.servers.map((s) => s.name) } : {}),
  });
  for (const exception of policy.casMailboxes?.exceptions ?? []) {
    for (const identity of exception.identities) {
      if (!identity.includes('@') || state.mailboxes.some((r) => r[1].toLowerCase() === identity.toLowerCase())) continue;
      state.mailboxes.push([identity.split('@')[0] as string, identity, identity, true, true, null]);
    }
  }
  return state;
}

export async function saveOrganisation(dir: string, name: string, state: SimulatorState): Promise<string> {
  const statePath = path.join(dir, `${name}.state.json`);
  await saveState(statePath, state);
  return statePath;
}

export { EXAMPLE_STACKS, exampleFile } from '../support/example-stacks';
