/**
 * What the resume tests share (apply-resume.test.ts, apply-interrupt.test.ts): simulated
 * organisations with latency and the write log on, and reading that log.
 */
import * as fs from 'node:fs';
import { loadPolicyFileOrThrow } from '../../src/model/load';
import { auditKey, type AuditEntry } from '../../src/simulator/audit';
import type { SimulatorState } from '../../src/simulator/state';
import { organisationFor, saveOrganisation } from '../reconcile/simulated';

export const AS_OF = ['--as-of', '2026-12-01'];
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
export const readState = (statePath: string): SimulatorState => JSON.parse(fs.readFileSync(statePath, 'utf8')) as SimulatorState;

/** How many writes the simulator has logged (the state is replaced atomically: always a whole file). */
export const writesLogged = (statePath: string): number => readState(statePath).auditLog?.length ?? 0;

/** Writes that repeat an earlier one (same cmdlet, object and values), and writes that changed nothing. */
export function repeatedWrites(log: readonly AuditEntry[]): string[] {
  const seen = new Set<string>();
  const repeated: string[] = [];
  for (const entry of log) {
    const key = `${auditKey(entry)} ${JSON.stringify(entry.parameters)}`;
    if (seen.has(key) || !entry.changed) repeated.push(`${entry.changed ? 'repeated' : 'no change'}: ${key}`);
    seen.add(key);
  }
  return repeated;
}

/** The document's organisation in `dir`, with `mailboxes` more, 25 ms per round trip and the write log on. */
export async function organisation(dir: string, name: string, document: string, mailboxes: number, edit?: (s: SimulatorState) => void): Promise<string> {
  const state = organisationFor(loadPolicyFileOrThrow(document).policy, mailboxes);
  edit?.(state);
  // What `sim faults --round-trip-ms 25` and `sim audit --start` set (sim-audit.test.ts runs those).
  state.latency = { perCallMs: 25 };
  state.auditLog = [];
  return saveOrganisation(dir, name, state);
}

/** POP3 running on every server: a settings change there needs a restart. */
export function pop3Running(s: SimulatorState): void {
  for (const server of s.servers ?? []) for (const svc of [server.pop3.frontEnd, server.pop3.backEnd]) Object.assign(svc, { startupType: 'Automatic', status: 'Running' });
}

/** Every settings change took effect: [server, front end pending, back end pending] for each. */
export function pendingRestarts(s: SimulatorState): unknown[] {
  return (s.servers ?? []).map((server) => [server.name, server.pop3.frontEnd.pendingSettings, server.pop3.backEnd.pendingSettings]);
}
