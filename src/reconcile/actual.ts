/**
 * The organisation as read back, organised by the part of it each kind plans against: only the
 * parts the resources being planned manage need to be present.
 */
import type {
  ActualAuthenticationPolicies,
  ActualCasMailboxes,
  ActualCasMailboxPlan,
  ActualExchangeServer,
  ActualProtocolService,
  ActualProtocolSettings,
  ActualServerCertificates,
  ActualUser,
  ActualReceiveConnector,
  ActualTransportConfig,
} from '../exchange/types';
import type { Protocol } from '../model/types';

/** Server + protocol key for the per-server parts of ActualOrganisation (server names are case-insensitive). */
export function serverProtocolKey(server: string, protocol: Protocol): string {
  return `${server.toLowerCase()}/${protocol}`;
}

/** The organisation as read back: only the parts the document manages need to be present. */
export interface ActualOrganisation {
  readonly transportConfig?: ActualTransportConfig;
  readonly authenticationPolicies?: ActualAuthenticationPolicies;
  readonly casMailboxPlans?: readonly ActualCasMailboxPlan[];
  readonly casMailboxes?: ActualCasMailboxes;
  /** Keyed by `serverProtocolKey`. */
  readonly protocolSettings?: ReadonlyMap<string, ActualProtocolSettings>;
  readonly protocolServices?: ReadonlyMap<string, ActualProtocolService>;
  /** Each server's certificates, keyed by the server name lowercased. */
  readonly certificates?: ReadonlyMap<string, ActualServerCertificates>;
  /** Exchange Server: every server Get-ExchangeServer lists (drift's servers-not-declared; plan never reads it). */
  readonly exchangeServers?: readonly ActualExchangeServer[];
  /** Every user holding an authentication policy (drift's assignments-not-declared; plan never reads it). */
  readonly policyAssignments?: readonly ActualUser[];
  /** Each server's Client Frontend receive connector, keyed by the server name lowercased. */
  readonly receiveConnectors?: ReadonlyMap<string, ActualReceiveConnector>;
}

/** A part the planner needs that was not read: a bug in the caller, never "absent". */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the organisation was not read for ${what}`);
  return value;
}

/** Parts read separately (one per kind), as one organisation; the per-server maps are joined. */
export function mergeOrganisation(parts: readonly ActualOrganisation[]): ActualOrganisation {
  const settings = new Map<string, ActualProtocolSettings>();
  const services = new Map<string, ActualProtocolService>();
  const connectors = new Map<string, ActualReceiveConnector>();
  const serverCertificates = new Map<string, ActualServerCertificates>();
  let out: ActualOrganisation = {};
  for (const { protocolSettings, protocolServices, receiveConnectors, certificates, ...rest } of parts) {
    out = { ...out, ...rest };
    for (const [key, value] of protocolSettings ?? []) settings.set(key, value);
    for (const [key, value] of protocolServices ?? []) services.set(key, value);
    for (const [key, value] of receiveConnectors ?? []) connectors.set(key, value);
    for (const [key, value] of certificates ?? []) serverCertificates.set(key, value);
  }
  return { ...out, protocolSettings: settings, protocolServices: services, receiveConnectors: connectors, certificates: serverCertificates };
}
