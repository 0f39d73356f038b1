/**
 * What one resource reads (the providers' create, read, update and delete): the same slice the
 * planner gets from a whole-document read, in as few round trips.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { actualFor } from '../../src/reconcile/planner';
import { readActualFor, readOrganisation } from '../../src/reconcile/read-actual';
import { desiredResources, type DesiredResource } from '../../src/reconcile/resources';
import { SimulatorBackend } from '../../src/simulator/backend';
import type { ResourceInputsByKind } from '../../providers/resource-types';
import { EXAMPLE_STACKS, exampleFile, organisationFor, saveOrganisation, tempDir } from './simulated';

const dir = tempDir('read-actual');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Round trips each kind's read takes against the simulator (authentication policies: the policies,
 * then the organisation default, then, for a policy with assignedTo, its users in one batch).
 */
const ROUND_TRIPS = { TransportConfig: 1, AuthenticationPolicy: 2, CasMailboxPlan: 1, PopSettings: 1, ImapSettings: 1, ProtocolService: 1, CasMailboxProtocol: 1, ExchangeCertificate: 1, ReceiveConnector: 1 } as const;

describe('readActualFor', () => {
  it.each(EXAMPLE_STACKS)('%s: each resource reads its slice in its own round trips', async (stack) => {
    const { policy } = loadPolicyFileOrThrow(exampleFile(stack));
    const statePath = await saveOrganisation(dir, stack, organisationFor(policy));
    const resources: DesiredResource[] = desiredResources(policy);
    const whole = new SimulatorBackend({ statePath });
    const everything = await readOrganisation(whole, resources);
    await whole.close();
    for (const r of resources) {
      const backend = new SimulatorBackend({ statePath });
      const actual = await readActualFor(r.kind, r.inputs as ResourceInputsByKind[typeof r.kind], backend);
      const assigned = r.kind === 'AuthenticationPolicy' && (r.inputs.policy.assignedTo ?? []).length > 0 ? 1 : 0;
      expect(backend.stats().roundTrips, `${stack} ${r.name}`).toBe(ROUND_TRIPS[r.kind] + assigned);
      await backend.close();
      expect(actual, `${stack} ${r.name}`).toEqual(actualFor(r, everything));
    }
  });
});
