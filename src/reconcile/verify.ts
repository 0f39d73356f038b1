/**
 * After applying, ask Exchange whether it worked (the seed's "How do you know this step
 * worked?", made automatic): read back what the applied changes manage and plan again. A change
 * the new plan still wants is a setting Exchange accepted but does not have — reverted, not yet
 * replicated, or ignored — and the organisation has not converged. POP3/IMAP4 settings written
 * while a service of theirs is not running are in place but take effect only when it starts.
 *
 * Exchange reports no "restart pending" state: after a restart, all that can be read back is
 * that the services run (Get-Service), so that is what is checked.
 */
import type { ExchangeBackend } from '../exchange/types';
import type { MailPolicy, Protocol } from '../model/types';
import { formatValue } from './format-value';
import { resourceKey, type Change, type Plan } from './plan';
import { planOrganisation, serverProtocolKey } from './planner';
import { readOrganisation } from './read-actual';
import { desiredResources, refOf, type DesiredResource } from './resources';
import { kindModule } from './kinds/registry';
import { PROTOCOL_LABEL } from './kinds/protocol-settings';
import type { ActualProtocolService } from './kinds/protocol-service-read';
import type { ResourceInputsByKind } from './kinds/types';

export interface Verification {
  /** The applied resources planned again, only the changes that set something: each is a setting Exchange did not take. */
  readonly notTaken: Plan;
  /** Settings in place but not in effect until services start, one line each. */
  readonly pending: readonly string[];
}

/** The changes of a plan made after applying that still set something: a restart sets nothing. */
export function settingsNotTaken(changes: readonly Change[]): Change[] {
  return changes.filter((c) => c.drift.length > 0);
}

/** `TransportConfig allowLegacyTLSClients: desired true, Exchange has false (Set-TransportConfig accepted)` */
export function describeNotTaken(change: Change): string {
  const settings = change.drift.map((d) => `${d.key}: desired ${formatValue(d.desired)}, Exchange has ${d.actual === undefined ? '(does not exist)' : formatValue(d.actual)}`);
  return `${change.subject} ${settings.join('; ')} (${change.request.cmdlet} accepted)`;
}

/** The providers' error: every setting of one resource Exchange did not take. */
export function notConvergedMessage(id: string, changes: readonly Change[]): string {
  return `${id}: Exchange accepted the change but did not take ${changes.reduce((n, c) => n + c.drift.length, 0)} setting(s): ${changes.map(describeNotTaken).join('; ')}. It may apply them later (replication) or have reverted them; the next update tries again.`;
}

interface WrittenSettings {
  readonly server: string;
  readonly protocol: Protocol;
}

/** Servers and protocols whose POP3/IMAP4 settings an applied change wrote (the kinds whose changes apply at a restart). */
function settingsWritten(applied: readonly Change[], resources: readonly DesiredResource[]): Map<string, WrittenSettings> {
  const byKey = new Map(resources.map((r) => [resourceKey(refOf(r)), r]));
  const out = new Map<string, WrittenSettings>();
  for (const c of applied) {
    const r = byKey.get(resourceKey(c.resource));
    if (!r) continue;
    for (const { server, protocol } of kindModule(r.kind).appliesAtRestart?.(r.inputs as ResourceInputsByKind[typeof r.kind], [c]) ?? []) out.set(serverProtocolKey(server, protocol), { server, protocol });
  }
  return out;
}

/** The server's protocol whose settings a resource's services restart for, if it is such a resource. */
function restartsFor(r: DesiredResource): WrittenSettings | undefined {
  return kindModule(r.kind).restartsFor?.(r.inputs as ResourceInputsByKind[typeof r.kind]);
}

/** `EX01 POP3: the new settings take effect when MSExchangePOP3BE starts (it is Stopped)` per server and protocol. */
export function pendingRestarts(written: ReadonlyMap<string, WrittenSettings>, services: ReadonlyMap<string, ActualProtocolService> | undefined): string[] {
  const lines: string[] = [];
  for (const [key, { server, protocol }] of written) {
    const actual = services?.get(key);
    if (!actual) continue;
    const idle = [actual.frontEnd, actual.backEnd].filter((s) => s.state !== 'Running');
    if (idle.length === 0) continue;
    const states = idle.map((s) => `${s.name} is ${s.state}`).join(', ');
    lines.push(`${server} ${PROTOCOL_LABEL[protocol]}: the new settings take effect when ${idle.map((s) => s.name).join(' and ')} start${idle.length === 1 ? 's' : ''} (${states})`);
  }
  return lines;
}

/** Reads back every resource an applied change belongs to (and the services of written settings) and plans them again. */
export async function verifyApplied(policy: MailPolicy, applied: readonly Change[], backend: ExchangeBackend): Promise<Verification> {
  const touched = new Set(applied.map((c) => resourceKey(c.resource)));
  const declared = desiredResources(policy);
  const written = settingsWritten(applied, declared);
  const resources = declared.filter((r) => {
    const restarts = restartsFor(r);
    return touched.has(resourceKey(refOf(r))) || (restarts !== undefined && written.has(serverProtocolKey(restarts.server, restarts.protocol)));
  });
  const actual = await readOrganisation(backend, resources);
  const again = planOrganisation(policy, actual, new Set(resources.map((r) => resourceKey(refOf(r)))));
  return { notTaken: { ...again, changes: settingsNotTaken(again.changes) }, pending: pendingRestarts(written, actual.protocolServices) };
}
