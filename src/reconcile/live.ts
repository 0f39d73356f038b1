/**
 * Plans a document against a live organisation: check it is the organisation the document
 * names (verifyTarget, read from Exchange), read what the document manages (each part once),
 * plan. Reads only.
 */
import type { ExchangeBackend } from '../exchange/types';
import { verifyTarget } from '../exchange/verify-target';
import type { MailPolicy } from '../model/types';
import { checkConnection } from './executor';
import type { Plan } from './plan';
import { planOrganisation, type ActualOrganisation } from './planner';
import { readOrganisation } from './read-actual';
import { desiredResources } from './resources';

/** `restartsOwed`: restarts an earlier run left undone (restarts-owed.ts). */
export async function planLive(policy: MailPolicy, backend: ExchangeBackend, restartsOwed?: ReadonlySet<string>): Promise<{ plan: Plan; actual: ActualOrganisation }> {
  const connection = await verifyTarget(backend, policy.target);
  const actual = await readOrganisation(backend, desiredResources(policy));
  const plan = planOrganisation(policy, actual, undefined, restartsOwed);
  // Refuse now what `pulumi up` would refuse (legacy TLS in a US government cloud).
  checkConnection(connection, plan.changes);
  return { plan, actual };
}
