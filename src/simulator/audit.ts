/**
 * The simulator's write log (`sim audit`): when a state has `auditLog`, every write cmdlet the
 * simulator runs successfully is appended to it, whether or not it changed anything, in the same
 * locked, atomic save as the change itself. So the log never shows a write the state does not
 * have, nor misses one it has, even when a process is killed mid-apply: what the resume test
 * checks "no write repeated" against. Recording is off unless switched on (the log grows with
 * every write).
 */
import type { CmdletRequest, JsonValue } from '../exchange/types';

/** One write, as it reached the simulated Exchange. */
export interface AuditEntry {
  cmdlet: string;
  /** The server a Windows service cmdlet ran on. */
  computerName?: string;
  parameters: Record<string, JsonValue>;
  /** Whether it changed the state (false: it set what was already there). */
  changed: boolean;
}

/** The part of a state the log lives in (kept apart from the state's other fields). */
export interface Audited {
  auditLog?: AuditEntry[];
}

/** Appends a successful write to the state's log when recording is on; true when it did. */
export function recordWrite(state: Audited, request: CmdletRequest, changed: boolean): boolean {
  if (!state.auditLog) return false;
  state.auditLog.push({
    cmdlet: request.cmdlet,
    ...(request.computerName === undefined ? {} : { computerName: request.computerName }),
    parameters: request.parameters,
    changed,
  });
  return true;
}

/**
 * What a write wrote to: the cmdlet and the object it names (Identity, Server, Name, or none for
 * an organisation-wide setting), and the server it ran on. Two entries with the same key and
 * parameters wrote the same thing twice.
 */
export function auditKey(entry: AuditEntry): string {
  const p = entry.parameters;
  const object = p.Identity ?? p.Server ?? p.Name ?? null;
  return JSON.stringify([entry.cmdlet, entry.computerName ?? null, object]);
}
