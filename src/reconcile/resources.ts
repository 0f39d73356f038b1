/**
 * The Pulumi resources a document declares, in dependency order: one list read by the Pulumi
 * program (which declares them), by the planner (which plans them in this order) and by
 * `mailpolicy plan` (which groups changes by them), so all three agree by construction.
 */
import { RESOURCE_KINDS, type ProtocolServiceInputs, type ResourceInputsByKind, type ResourceKind } from './kinds/types';
import type { MailPolicy } from '../model/types';
import { PROTOCOLS } from '../model/types';
import { sameIdentity } from './compare';
import type { Declared, PlanPlace, ServerProtocol } from './kinds/kind';
import { kindModule } from './kinds/registry';
import type { ResourceRef } from './plan';

interface DesiredOf<K extends ResourceKind> {
  readonly kind: K;
  /** Logical name in the stack (unique per document). */
  readonly name: string;
  readonly inputs: ResourceInputsByKind[K];
}

export type DesiredProtocolService = DesiredOf<'ProtocolService'> & {
  /** Name of the PopSettings/ImapSettings resource whose `settingsChangeId` triggers a restart. */
  readonly settingsResource?: string;
  /** Other resources of the server whose changes apply at this restart (certificates assigned to the protocol): their `settingsChangeId` triggers it too. */
  readonly restartSources?: readonly string[];
  readonly inputs: Omit<ProtocolServiceInputs, 'settingsChangeId'>;
};

/** One resource of any kind (a new kind is one by being in RESOURCE_KINDS). */
export type DesiredResource = { [K in ResourceKind]: K extends 'ProtocolService' ? DesiredProtocolService : DesiredOf<K> }[ResourceKind];

/** The kinds whose resources sit at `place`, in registry order. */
function kindsAt(place: PlanPlace): ResourceKind[] {
  return RESOURCE_KINDS.filter((kind) => kindModule(kind).desired.place === place);
}

/**
 * The resources a document declares, each kind's from its module's `desired` hook, in plan order:
 * the kinds placed before the servers; per server, its kinds placed before the protocols, per
 * protocol its protocol kinds, then those placed after the protocols; last the kinds placed after
 * the servers. A resource that restarts a server's protocol (`restartsFor`) is wired to the
 * resources of the server declared before it whose changes apply at that restart (`mayApplyAtRestart`).
 */
export function desiredResources(policy: MailPolicy): DesiredResource[] {
  const out: DesiredResource[] = [];
  const used = new Set<string>();
  // Two names that slug alike (e.g. `A B` and `a-b`) stay distinct and stable: the later gets a suffix.
  const unique = (name: string): string => {
    let candidate = name;
    for (let i = 2; used.has(candidate); i++) candidate = `${name}-${i}`;
    used.add(candidate);
    return candidate;
  };
  const common = { target: policy.target };
  /** Adds the declared resources of `kind`; `server` / `protocol`: the resources of the server before the protocol, and of the protocol, so far. */
  const add = <K extends ResourceKind>(kind: K, declared: readonly Declared<K>[], server?: DesiredResource[], protocol?: DesiredResource[]): void => {
    for (const d of declared) {
      const inputs = { ...common, ...d.inputs } as ResourceInputsByKind[K];
      const resource = { kind, name: unique(d.name), inputs, ...restartWiring(kindModule(kind).restartsFor?.(inputs), server ?? [], protocol ?? []) } as DesiredResource;
      out.push(resource);
      (protocol ?? server)?.push(resource);
    }
  };
  const atDocument = (place: 'beforeServers' | 'afterServers'): void => {
    for (const kind of kindsAt(place)) {
      const hook = kindModule(kind).desired;
      if (hook.place === place) add(kind, hook.declared(policy));
    }
  };

  atDocument('beforeServers');
  for (const server of policy.servers ?? []) {
    const ofServer: DesiredResource[] = [];
    const atServer = (place: 'server' | 'serverAfterProtocols'): void => {
      for (const kind of kindsAt(place)) {
        const hook = kindModule(kind).desired;
        if (hook.place === place) add(kind, hook.declared(server), ofServer);
      }
    };
    atServer('server');
    for (const protocol of PROTOCOLS) {
      const ofProtocol: DesiredResource[] = [];
      for (const kind of kindsAt('protocol')) {
        const hook = kindModule(kind).desired;
        if (hook.place === 'protocol') add(kind, hook.declared(server, protocol), ofServer, ofProtocol);
      }
      ofServer.push(...ofProtocol);
    }
    atServer('serverAfterProtocols');
  }
  atDocument('afterServers');
  return out;
}

/**
 * What a resource restarting `restarts` restarts for: the first resource of its protocol's own
 * section whose changes apply at that restart (the protocol's settings: `settingsResource`), and
 * the server's others, in plan order (certificates enabled for the protocol: `restartSources`).
 */
function restartWiring(restarts: ServerProtocol | undefined, server: readonly DesiredResource[], protocol: readonly DesiredResource[]): Pick<DesiredProtocolService, 'settingsResource' | 'restartSources'> {
  if (restarts === undefined) return {};
  const appliesThere = (r: DesiredResource): boolean =>
    (kindModule(r.kind).mayApplyAtRestart?.(r.inputs as ResourceInputsByKind[typeof r.kind]) ?? []).some((p) => p.protocol === restarts.protocol && sameIdentity(p.server, restarts.server));
  const [settingsResource, ...others] = protocol.filter(appliesThere).map((r) => r.name);
  const restartSources = [...others, ...server.filter(appliesThere).map((r) => r.name)];
  return { ...(settingsResource === undefined ? {} : { settingsResource }), ...(restartSources.length === 0 ? {} : { restartSources }) };
}

export function refOf(resource: DesiredResource): ResourceRef {
  return { kind: resource.kind, name: resource.name };
}
