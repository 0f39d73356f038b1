/**
 * The ProtocolService kind: the Windows services of one protocol on one server, front end and back end together.
 * Enabling: Set-Service -StartupType, then Start-Service. Disabling: Stop-Service, then
 * Set-Service. A restart is planned exactly when this server's settings for this protocol
 * changed in the same plan, and only for services that are running and stay running: a service
 * being started reads the new settings anyway, and a stopped one must not be started by a
 * restart nobody asked for.
 */
import { PROTOCOL_SERVICES, runsMailProtocols } from '../../exchange/catalog';
import { SERVICE_DEFAULTS } from '../../exchange/defaults';
import { readServers } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import { PROTOCOLS, type MailPolicy, type Protocol, type ProtocolPolicy, type ServerPolicy, type ServicePolicy } from '../../model/types';
import { need, serverProtocolKey } from '../actual';
import type { Change, ResourceRef } from '../plan';
import type { Declared, DocumentPart, ResourceKindModule, UndeclaredHook, UndeclaredObject } from './kind';
import type { ExportedServer } from './snapshot';
import { sameIdentity } from '../compare';
import { pointer } from '../../rules/pointer';
import { readProtocolService, type ActualProtocolService, type ActualService } from './protocol-service-read';
import { PROTOCOL_LABEL } from './protocol-settings';
import { mergeServer, overlayDrift, pickDefaults, serverPart, serverPointer, slug } from './shared';

/** The fields of one Windows service a ServicePolicy sets. */
export type ServiceField = keyof ServicePolicy;

/**
 * A service setting's drift key, `<service name>.<field>` (`MSExchangePOP3BE.state`): front end
 * and back end drift apart, so the key names the service. Service names have no dot.
 */
export function serviceDriftKey(service: string, field: ServiceField): string {
  return `${service}.${field}`;
}

export function parseServiceDriftKey(key: string): { readonly service: string; readonly field: ServiceField } {
  const dot = key.indexOf('.');
  return { service: key.slice(0, dot), field: key.slice(dot + 1) as ServiceField };
}

export function planProtocolService(
  resource: ResourceRef,
  server: string,
  protocol: Protocol,
  desired: ServicePolicy,
  actual: ActualProtocolService,
  settingsChanged: boolean,
): Change[] {
  const label = `${server} ${PROTOCOL_LABEL[protocol]}`;
  const services: readonly ActualService[] = [actual.frontEnd, actual.backEnd];
  const changes: Change[] = [];

  const toStop = desired.state === 'Stopped' ? services.filter((s) => s.state !== 'Stopped') : [];
  const toStart = desired.state === 'Running' ? services.filter((s) => s.state !== 'Running') : [];
  const toRetype = desired.startupType === undefined ? [] : services.filter((s) => s.startupType !== desired.startupType);

  const stateChange = (action: 'start' | 'stop', list: readonly ActualService[], state: 'Running' | 'Stopped'): Change => ({
    resource,
    action,
    subject: server,
    request: buildRequest(action === 'start' ? 'Start-Service' : 'Stop-Service', { name: list.map((s) => s.name) }, server),
    description: `${label}: ${action} ${list.map((s) => s.name).join(', ')}`,
    drift: list.map((s) => ({ key: serviceDriftKey(s.name, 'state'), desired: state, actual: s.state })),
    bulk: false,
  });

  if (toStop.length > 0) changes.push(stateChange('stop', toStop, 'Stopped'));
  // Set-Service takes one service name (Set-Service.md: "only accepts one service name at a time"),
  // so one call per service that needs it: each shows in the plan and succeeds or fails on its own.
  for (const s of toRetype) {
    const startupType = desired.startupType as NonNullable<ServicePolicy['startupType']>;
    changes.push({
      resource,
      action: 'set',
      subject: server,
      request: buildRequest('Set-Service', { name: s.name, startupType }, server),
      description: `${label}: ${s.name} startup ${s.startupType} → ${startupType}`,
      drift: [{ key: serviceDriftKey(s.name, 'startupType'), desired: startupType, actual: s.startupType }],
      bulk: false,
    });
  }
  if (toStart.length > 0) changes.push(stateChange('start', toStart, 'Running'));

  if (settingsChanged) {
    const restart = services.filter((s) => s.state === 'Running' && !toStop.includes(s));
    if (restart.length > 0) {
      changes.push({
        resource,
        action: 'restart',
        subject: server,
        request: buildRequest('Restart-Service', { name: restart.map((s) => s.name) }, server),
        description: `${label}: restart ${restart.map((s) => s.name).join(', ')} (settings changed)`,
        drift: [],
        bulk: false,
      });
    }
  }
  return changes;
}

function requestedServices(change: Change): string[] {
  const name = change.request.parameters.Name;
  // Set-Service takes one name, the other service cmdlets a list.
  if (typeof name === 'string') return [name];
  return Array.isArray(name) ? name.map(String) : [];
}

/**
 * Exchange Server: Mailbox servers Get-ExchangeServer lists that the document's `servers` section
 * does not name; their POP3/IMAP4 settings and services are unmanaged. A server without the
 * Mailbox role (Edge Transport) runs neither (catalog `runsMailProtocols`) and is not reported.
 */
export const UNDECLARED_SERVERS: UndeclaredHook = {
  what: 'ExchangeServer',
  covers: (policy) => policy.target.platform === 'exchangeServer' && policy.servers !== undefined,
  read: async (backend, _policy, actual) => (actual.exchangeServers ? {} : { exchangeServers: await readServers(backend) }),
  find: (policy, actual) => {
    const declared = policy.servers ?? [];
    return need(actual.exchangeServers, 'Exchange servers')
      .filter((s) => runsMailProtocols(s.serverRole) && !declared.some((d) => sameIdentity(d.name, s.name)))
      .map((s) => ({
        object: 'server',
        name: s.name,
        settings: { serverRole: s.serverRole },
        listedBy: 'Get-ExchangeServer',
        pointer: pointer('servers'),
      }));
  },
  keep: keptServers,
};

export const PROTOCOL_SERVICE_KIND: ResourceKindModule<'ProtocolService'> = {
  kind: 'ProtocolService',
  inputKeys: ['server', 'protocol', 'service', 'settingsChangeId'],
  identity: (inputs) => `${String(inputs.server)}/${String(inputs.protocol)}/services`,
  read: async (backend, resources) => {
    const reads = new Map<string, Promise<ActualProtocolService>>();
    for (const { server, protocol } of resources) {
      const key = serverProtocolKey(server, protocol);
      if (!reads.has(key)) reads.set(key, readProtocolService(backend, server, protocol));
    }
    return { protocolServices: new Map(await Promise.all([...reads].map(async ([key, read]) => [key, await read] as const))) };
  },
  actualOf: (inputs, actual) => {
    const key = serverProtocolKey(inputs.server, inputs.protocol);
    return need(actual.protocolServices?.get(key), `${key} services`);
  },
  plan: (ref, inputs, actual, context) => ({ changes: planProtocolService(ref, inputs.server, inputs.protocol, inputs.service, actual, context.settingsChanged === true), notes: [] }),
  restore: (inputs) => {
    const { restored, left } = pickDefaults(inputs.service, SERVICE_DEFAULTS);
    return { kind: 'plan', inputs: { ...inputs, service: restored }, left };
  },
  restartsFor: (inputs) => ({ server: inputs.server, protocol: inputs.protocol }),
  pointer: (policy, change, drift) => {
    // A service drift key names its service; a restart names its services in the request.
    const drifted = drift?.key === undefined ? undefined : parseServiceDriftKey(drift.key);
    const names = drifted ? [drifted.service] : requestedServices(change);
    const protocol = PROTOCOLS.find((p) => names.some((n) => n === PROTOCOL_SERVICES[p].frontEnd || n === PROTOCOL_SERVICES[p].backEnd));
    if (protocol === undefined) return serverPointer(policy, change.subject);
    // A restart exists because the settings changed: point at them.
    return drifted ? serverPointer(policy, change.subject, protocol, 'service', drifted.field) : serverPointer(policy, change.subject, protocol, 'settings');
  },
  // Front end and back end drift under their own keys; the resource has one setting for both.
  refresh: (inputs, changes) => ({ ...inputs, service: overlayDrift(inputs.service, changes, (k) => parseServiceDriftKey(k).field) as ServicePolicy }),
  // For ProtocolService, `input('protocol')` must be a protocol.
  documentPart: (input) => serverPart(input, input('protocol') as Protocol, 'service'),
  mergeInto: mergeServer,
  undeclared: [UNDECLARED_SERVERS],
  desired: { place: 'protocol', declared: declaredService },
  exported: { place: 'protocol', part: exportedService },
};

// ---- What a document declares, and what an export writes ----

/** A service resource exists whenever the protocol declares a service or settings: settings only take effect after a restart. */
function declaredService(server: ServerPolicy, protocol: Protocol): Declared<'ProtocolService'>[] {
  const declared = server[protocol];
  if (!declared?.service && !declared?.settings) return [];
  return [{ name: `${slug(server.name)}-${protocol}-service`, inputs: { server: server.name, protocol, service: declared.service ?? {} } }];
}

/** Front end and back end move together: a setting on which they disagree stays unmanaged. */
function exportedService(server: ExportedServer, protocol: Protocol, warnings: string[]): Partial<ProtocolPolicy> {
  const read = server.protocols[protocol];
  if (!read) return {};
  const label = `${server.name} ${PROTOCOL_LABEL[protocol]}`;
  const { frontEnd, backEnd } = read.service;
  const out: { startupType?: ServicePolicy['startupType']; state?: ServicePolicy['state'] } = {};
  if (frontEnd.startupType === backEnd.startupType) out.startupType = frontEnd.startupType;
  else warnings.push(`${label}: ${frontEnd.name} starts ${frontEnd.startupType}, ${backEnd.name} ${backEnd.startupType}: startupType left unmanaged`);
  if (frontEnd.state === backEnd.state) out.state = frontEnd.state;
  else warnings.push(`${label}: ${frontEnd.name} is ${frontEnd.state}, ${backEnd.name} ${backEnd.state}: state left unmanaged`);
  return { service: out };
}

/** `export --undeclared`: the servers not declared, as exported. */
function keptServers(exported: MailPolicy, objects: readonly UndeclaredObject[]): DocumentPart {
  return { servers: (exported.servers ?? []).filter((s) => objects.some((o) => sameIdentity(o.name, s.name))) };
}
