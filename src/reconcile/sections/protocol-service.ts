/**
 * The Windows services of one protocol on one server, front end and back end together.
 * Enabling: Set-Service -StartupType, then Start-Service. Disabling: Stop-Service, then
 * Set-Service. A restart is planned exactly when this server's settings for this protocol
 * changed in the same plan, and only for services that are running and stay running: a service
 * being started reads the new settings anyway, and a stopped one must not be started by a
 * restart nobody asked for.
 */
import { buildRequest } from '../../exchange/catalog';
import type { ActualProtocolService, ActualService } from '../../exchange/types';
import type { Protocol, ServicePolicy } from '../../model/types';
import type { Change, ResourceRef } from '../plan';
import { PROTOCOL_LABEL } from './protocol-settings';

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
