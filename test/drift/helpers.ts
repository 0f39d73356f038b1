/** Shared by the drift and export tests: a simulated organisation the document was applied to, and "someone changed Exchange". */
import * as fs from 'node:fs';
import { type CmdletName } from '../../src/exchange/catalog';
import { buildRequest } from '../../src/exchange/request';
import type { JsonValue } from '../../src/exchange/types';
import { applyChanges } from '../../src/reconcile/executor';
import { planOrganisation } from '../../src/reconcile/planner';
import { readOrganisation } from '../../src/reconcile/read-actual';
import { desiredResources } from '../../src/reconcile/resources';
import { SimulatorBackend } from '../../src/simulator/backend';
import { loadPolicyFileOrThrow } from '../../src/model/load';

/** What `pulumi up` does to the organisation, through the planner and its executor. */
export async function applyDocument(file: string, statePath: string): Promise<number> {
  const { policy } = loadPolicyFileOrThrow(file);
  const backend = new SimulatorBackend({ statePath });
  try {
    const actual = await readOrganisation(backend, desiredResources(policy));
    const plan = planOrganisation(policy, actual);
    const result = await applyChanges(plan.target, plan.changes, backend);
    if (result.failures.length > 0) throw new Error(result.failures.map((f) => f.error.message).join('\n'));
    return result.applied.length;
  } finally {
    await backend.close();
  }
}

/** An administrator changes something in Exchange behind the document's back. */
export async function changeInExchange(statePath: string, cmdlet: CmdletName, parameters: Readonly<Record<string, JsonValue>>, computerName?: string): Promise<void> {
  const backend = new SimulatorBackend({ statePath });
  try {
    await backend.invoke(buildRequest(cmdlet, parameters, computerName));
  } finally {
    await backend.close();
  }
}

/** 1-based line of the first line of `file` containing `needle` after the line containing `after`. */
export function lineOf(file: string, needle: string, after = ''): number {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const start = after === '' ? 0 : lines.findIndex((l) => l.includes(after));
  const index = lines.findIndex((l, i) => i >= start && l.includes(needle));
  if (start < 0 || index < 0) throw new Error(`${needle} not found in ${file}`);
  return index + 1;
}
