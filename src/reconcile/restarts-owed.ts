/**
 * Restarts owed across runs. A POP3/IMAP4 settings change takes effect only when the protocol's
 * services restart, and the planner plans that restart only when it plans the settings change
 * too. If a run stops between the two (killed, Ctrl-C, the restart failed), the next run reads
 * the new settings back, plans no settings change, and would plan no restart: the settings
 * would stay configured but not in effect until something else restarts the services.
 *
 * Exchange cannot tell the next run: it reports no "restart pending" state, Get-PopSettings
 * and Get-ImapSettings say nothing of when their services last read them, and Get-Service (a
 * ServiceController) has no start time. So the run that plans a restart records it as owed
 * before its first write, and clears it once the restart is done; a later run plans the restart
 * of every owed server and protocol whose services run. A run stopped before its settings write
 * leaves a restart owed that turns out not to be needed: at worst one restart too many, never one
 * too few. The record itself is kept by the caller (the CLI: src/cli/restarts-owed-file.ts;
 * `pulumi up` has Pulumi's state and settingsChangeId instead).
 */
import { kindModule } from './kinds/registry';
import type { ResourceInputsByKind } from './kinds/types';
import { resourceKey, type Change } from './plan';
import { serverProtocolKey } from './actual';
import { desiredResources, refOf } from './resources';
import type { MailPolicy } from '../model/types';

/** The server/protocol keys (`serverProtocolKey`) of the restarts among `changes`. */
export function restartKeys(policy: MailPolicy, changes: readonly Change[]): Set<string> {
  const keys = new Map<string, string>();
  for (const r of desiredResources(policy)) {
    const restarts = kindModule(r.kind).restartsFor?.(r.inputs as ResourceInputsByKind[typeof r.kind]);
    if (restarts) keys.set(resourceKey(refOf(r)), serverProtocolKey(restarts.server, restarts.protocol));
  }
  const out = new Set<string>();
  for (const c of changes) {
    const key = c.action === 'restart' ? keys.get(resourceKey(c.resource)) : undefined;
    if (key !== undefined) out.add(key);
  }
  return out;
}

/**
 * What is still owed after a run that started owing `owed` and planned the restarts `planned`:
 * a run with no failure did every restart it planned, and a service it did not restart was
 * stopped (it reads the settings when it starts), so nothing is owed; otherwise what was owed or
 * planned, less the restarts that were done.
 */
export function stillOwed(owed: ReadonlySet<string>, planned: ReadonlySet<string>, done: ReadonlySet<string>, complete: boolean): Set<string> {
  if (complete) return new Set();
  return new Set([...owed, ...planned].filter((k) => !done.has(k)));
}
