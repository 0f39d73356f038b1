/**
 * The ProtocolService kind's read-back: the front-end and back-end Windows services of one
 * protocol on one server (Get-Service), and its part of the organisation as read. Owned by
 * protocol-service.ts.
 */
import { PROTOCOL_SERVICES } from '../../exchange/catalog';
import { readBack, resultList } from '../../exchange/read-back';
import { missing } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend, JsonValue } from '../../exchange/types';
import type { Protocol, ServiceState, StartupType } from '../../model/types';

export interface ActualService {
  /** Windows service name, e.g. MSExchangePOP3 or MSExchangePOP3BE. */
  readonly name: string;
  readonly startupType: StartupType;
  readonly state: ServiceState;
}

/** Front end and back end service of one protocol on one server. */
export interface ActualProtocolService {
  readonly frontEnd: ActualService;
  readonly backEnd: ActualService;
}

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface ProtocolServicePart {
  /** Keyed by `serverProtocolKey` (src/reconcile/actual.ts). */
  readonly protocolServices?: ReadonlyMap<string, ActualProtocolService>;
}

/** A service in a transitional state counts as where it is heading only once it gets there: anything not Running is Stopped. */
function serviceState(status: JsonValue): ServiceState {
  return status === 'Running' ? 'Running' : 'Stopped';
}

export async function readProtocolService(backend: ExchangeBackend, server: string, protocol: Protocol): Promise<ActualProtocolService> {
  const names = PROTOCOL_SERVICES[protocol];
  const raw = await backend.invoke(buildRequest('Get-Service', { name: [names.frontEnd, names.backEnd] }, server));
  const found = resultList(raw).map((item) => readBack('Get-Service', item));
  const pick = (name: string): ActualService => {
    const o = found.find((s) => typeof s.name === 'string' && s.name.toLowerCase() === name.toLowerCase());
    if (!o) throw missing('Get-Service', `service ${name} on ${server}`);
    return { name, startupType: o.startType as StartupType, state: serviceState(o.status) };
  };
  return { frontEnd: pick(names.frontEnd), backEnd: pick(names.backEnd) };
}
