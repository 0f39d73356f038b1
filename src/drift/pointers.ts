/**
 * Where in the document a drifted setting is declared (RFC 6901), so a drift report can point
 * at FILE:LINE:COL. Each change names its resource and Exchange object; this module finds the
 * declaration that produced it. For a mailbox, the planner says which exception naming it (or
 * `default`) decided the setting (SettingDrift.declaredAt).
 */
import { PROTOCOL_SERVICES } from '../exchange/catalog';
import { PROTOCOLS, type JsonPointer, type MailPolicy, type Protocol } from '../model/types';
import { sameIdentity } from '../reconcile/compare';
import type { Change, SettingDrift } from '../reconcile/plan';
import { settingsProtocol } from '../reconcile/resources';
import { DEFAULT_POLICY_DRIFT_KEY, defaultDriftPolicy } from '../reconcile/sections/authentication-policy';
import { planBaseName } from '../reconcile/sections/cas-mailbox-plan';
import { parseServiceDriftKey } from '../reconcile/sections/protocol-service';
import { pointer } from '../rules/pointer';

export class PointerIndex {
  constructor(private readonly policy: MailPolicy) {}

  /** The pointer of one drifted setting of a change. */
  of(change: Change, drift: SettingDrift | undefined): JsonPointer {
    const key = drift?.key;
    const { resource } = change;
    switch (resource.kind) {
      case 'TransportConfig':
        return pointer('transportConfig', ...(key ? [key] : []));
      case 'AuthenticationPolicy': {
        const policies = this.policy.authenticationPolicies ?? [];
        if (drift !== undefined && key === DEFAULT_POLICY_DRIFT_KEY) {
          const name = defaultDriftPolicy(drift);
          const index = name === undefined ? -1 : policies.findIndex((p) => p.default !== undefined && sameIdentity(p.name, name));
          return index < 0 ? pointer('authenticationPolicies') : pointer('authenticationPolicies', index, 'default');
        }
        const index = policies.findIndex((p) => sameIdentity(p.name, change.subject));
        return index < 0 ? pointer('authenticationPolicies') : pointer('authenticationPolicies', index, ...(key ? [key] : []));
      }
      case 'CasMailboxPlan': {
        const plans = this.policy.casMailboxPlans ?? [];
        const index = plans.findIndex((p) => sameIdentity(p.identity, change.subject) || sameIdentity(p.identity, planBaseName(change.subject)));
        return index < 0 ? pointer('casMailboxPlans') : pointer('casMailboxPlans', index, ...(key ? [key] : []));
      }
      case 'PopSettings':
      case 'ImapSettings':
        return this.server(change.subject, settingsProtocol(resource.kind), 'settings', key);
      case 'ProtocolService': {
        // A service drift key names its service; a restart names its services in the request.
        const drifted = key === undefined ? undefined : parseServiceDriftKey(key);
        const names = drifted ? [drifted.service] : requestedServices(change);
        const protocol = PROTOCOLS.find((p) => names.some((n) => n === PROTOCOL_SERVICES[p].frontEnd || n === PROTOCOL_SERVICES[p].backEnd));
        if (protocol === undefined) return this.server(change.subject);
        // A restart exists because the settings changed: point at them.
        return drifted ? this.server(change.subject, protocol, 'service', drifted.field) : this.server(change.subject, protocol, 'settings');
      }
      case 'CasMailboxProtocol':
        // The planner knows which exception (or the default) decided each mailbox setting.
        return drift?.declaredAt ?? pointer('casMailboxes');
    }
  }

  private server(name: string, protocol?: Protocol, part?: 'settings' | 'service', key?: string): JsonPointer {
    const servers = this.policy.servers ?? [];
    const index = servers.findIndex((s) => sameIdentity(s.name, name));
    if (index < 0) return pointer('servers');
    const server = servers[index];
    if (protocol === undefined || server?.[protocol] === undefined) return pointer('servers', index);
    if (part === undefined || server[protocol]?.[part] === undefined) return pointer('servers', index, protocol);
    return pointer('servers', index, protocol, part, ...(key ? [key] : []));
  }
}

function requestedServices(change: Change): string[] {
  const name = change.request.parameters.Name;
  // Set-Service takes one name, the other service cmdlets a list.
  if (typeof name === 'string') return [name];
  return Array.isArray(name) ? name.map(String) : [];
}
