/**
 * Simulated receive connector cmdlets (Exchange Server): Get-ReceiveConnector and
 * Set-ReceiveConnector over the connectors sim init creates (each server's "Client Frontend
 * <Server>"). Set-ReceiveConnector refuses what its reference forbids (Set-ReceiveConnector.md):
 * AuthMechanism combinations (src/model/auth-mechanism.ts, one source with `validate`),
 * ExternalAuthoritative without PermissionGroups ExchangeServers, a TlsCertificateName not in the
 * `<I>issuer<S>subject` form, bindings that are not IP:port. The wording of Exchange's own errors
 * for these is unverified: the reference gives the rules, not the messages.
 */
import type { CmdletName } from '../../exchange/catalog';
import type { JsonValue } from '../../exchange/types';
import { authMechanismProblems } from '../../model/auth-mechanism';
import { parseBinding } from '../../model/connection-setting';
import * as err from '../errors';
import type { SimReceiveConnector, SimulatorState } from '../state';
import { noChangeWarning, notFound, ok, requireString, same, type Simulation } from './common';

/** How Exchange prints a connector (`-EnumsAsStrings` prints the AuthMechanism flags as `Tls, BasicAuth`). */
function connectorObject(connector: SimReceiveConnector): Record<string, JsonValue> {
  const { AuthMechanism, ...rest } = connector.settings;
  return {
    Identity: `${connector.server}\\${connector.name}`,
    Name: connector.name,
    Server: connector.server,
    PermissionGroups: connector.permissionGroups,
    TransportRole: 'FrontendTransport',
    ...rest,
    AuthMechanism: Array.isArray(AuthMechanism) ? AuthMechanism.join(', ') : (AuthMechanism ?? null),
  };
}

const getReceiveConnector: Simulation = (state, params, cmdlet) => {
  const connectors = state.receiveConnectors ?? [];
  const server = params.Server;
  if (typeof server !== 'string') return ok(connectors.map(connectorObject));
  const known = (state.servers ?? []).find((s) => same(s.name, server) || same(s.fqdn, server));
  if (!known) throw notFound(state, cmdlet, server);
  return ok(connectors.filter((c) => same(c.server, known.name)).map(connectorObject));
};

/** -Identity as Set-ReceiveConnector.md takes it here: the name, or ServerName\Name. */
function findConnector(state: SimulatorState, cmdlet: string, identity: string): SimReceiveConnector {
  const slash = identity.indexOf('\\');
  const connectors = state.receiveConnectors ?? [];
  const matches =
    slash < 0 ? connectors.filter((c) => same(c.name, identity)) : connectors.filter((c) => same(c.server, identity.slice(0, slash)) && same(c.name, identity.slice(slash + 1)));
  if (matches.length > 1) throw err.ambiguous(cmdlet, identity);
  const found = matches[0];
  if (!found) throw notFound(state, cmdlet, identity);
  return found;
}

function validated(cmdlet: CmdletName, name: string, value: JsonValue): JsonValue {
  switch (name) {
    case 'Bindings':
      return (value as string[]).map((entry) => {
        if (!parseBinding(entry.trim()).ok) throw err.invalidValue(cmdlet, name, entry, 'expected IPAddress:Port, IPv6 addresses in brackets.');
        return entry.trim();
      });
    case 'TlsCertificateName':
      // Set-ReceiveConnector.md, -TlsCertificateName: "A valid value for this parameter is "<I>X.500Issuer<S>X.500Subject"".
      if (!/^<I>[^<>]+<S>[^<>]+$/.test(value as string)) throw err.invalidValue(cmdlet, name, value, 'expected "<I>X.500Issuer<S>X.500Subject".');
      return value;
    default:
      return value;
  }
}

const setReceiveConnector: Simulation = (state, params, cmdlet) => {
  const connector = findConnector(state, cmdlet, requireString(cmdlet, params, 'Identity'));
  const updates: [string, JsonValue][] = Object.entries(params)
    .filter(([name]) => name !== 'Identity')
    .map(([name, value]) => [name, validated(cmdlet, name, value)]);
  const next = { ...connector.settings, ...Object.fromEntries(updates) };
  const mechanisms = Array.isArray(next.AuthMechanism) ? next.AuthMechanism.map(String) : [];
  const problems = authMechanismProblems(mechanisms, next.RequireTLS === true).map((p) => p.message);
  if (mechanisms.some((m) => same(m, 'ExternalAuthoritative')) && connector.permissionGroups !== 'ExchangeServers') {
    problems.push('ExternalAuthoritative requires PermissionGroups ExchangeServers');
  }
  if (problems.length > 0) throw err.invalidOperation(cmdlet, `The AuthMechanism and RequireTLS settings of receive connector '${connector.server}\\${connector.name}' are invalid: ${problems.join('; ')}.`);
  const changed = updates.some(([name, value]) => JSON.stringify(connector.settings[name]) !== JSON.stringify(value));
  connector.settings = next;
  if (!changed) return ok(null, false, [noChangeWarning(cmdlet, `${connector.server}\\${connector.name}`)]);
  return ok(null, true);
};

export const CONNECTOR_SIMULATIONS = {
  'Get-ReceiveConnector': getReceiveConnector,
  'Set-ReceiveConnector': setReceiveConnector,
} satisfies Partial<Record<CmdletName, Simulation>>;
