/** Simulated Exchange Server cmdlets: the servers, POP3/IMAP4 settings, and the protocols' Windows services. */
import { adminDisplayVersion, EXCHANGE_SE_RTM, parseExchangeVersion, type ExchangeVersion } from '../../model/exchange-version';
import { forProtocol, PROTOCOL_SERVER_ROLE, PROTOCOL_SERVICES, PROTOCOL_SETTINGS_CMDLETS, PROTOCOL_SETTINGS_OF, type CmdletName, type ProtocolSettingSpec } from '../../exchange/catalog';
import { byteQuantityBytes, printedByteQuantity } from '../../model/byte-quantity';
import { defaultProtocol } from '../defaults';
import { parameterSpec } from '../../exchange/request';
import { canonicalConnectionSetting } from '../../exchange/read-back';
import type { JsonValue } from '../../exchange/types';
import { formatConnectionSetting, parseBinding, parseConnectionSetting } from '../../model/connection-setting';
import { checkTimeout, formatTimeSpan, parseTimeSpan, TIMEOUT_RANGE } from '../../model/timespan';
import type { Protocol, StartupType } from '../../model/types';
import { PROTOCOLS } from '../../model/types';
import * as err from '../errors';
import type { SimServer, SimService, SimulatorState } from '../state';
import { noChangeWarning, notFound, ok, same, type ExecuteResult, type Params, type Simulation } from './common';

function findServer(state: SimulatorState, cmdlet: string, name: string, computer: boolean): SimServer {
  const server = (state.servers ?? []).find((s) => same(s.name, name) || same(s.fqdn, name));
  if (!server) throw computer ? err.computerNotFound(cmdlet, name) : notFound(state, cmdlet, name);
  return server;
}

/**
 * Every simulated server is a Mailbox server (which runs the Client Access services too), of the
 * build its state gives (Exchange Server SE RTM when none), printed as Exchange prints AdminDisplayVersion.
 */
function getExchangeServer(state: SimulatorState): ExecuteResult {
  return ok(
    (state.servers ?? []).map((s) => ({
      Name: s.name,
      Fqdn: s.fqdn,
      ServerRole: PROTOCOL_SERVER_ROLE,
      AdminDisplayVersion: adminDisplayVersion(parseExchangeVersion(s.version ?? EXCHANGE_SE_RTM) as ExchangeVersion),
    })),
  );
}

function settingsServer(state: SimulatorState, cmdlet: string, params: Params): SimServer {
  const name = params.Server;
  if (typeof name === 'string') return findServer(state, cmdlet, name, false);
  // Without -Server, Exchange answers for the server the shell runs on.
  const first = state.servers?.[0];
  if (!first) throw notFound(state, cmdlet, '(local server)');
  return first;
}

function validateSetting(cmdlet: CmdletName, protocol: Protocol, name: string, value: JsonValue): JsonValue {
  const { spec } = parameterSpec(cmdlet, name);
  switch (spec.type) {
    case 'endpointList':
      if (value === null) return []; // `$null` clears the list; it reads back empty.
      return (value as string[]).map((entry) => {
        const parsed = parseConnectionSetting(canonicalConnectionSetting(entry.trim()));
        if (!parsed.ok) throw err.invalidValue(cmdlet, name, entry, 'expected HostName:Port[:SSL|TLS] (leave the third part out for unencrypted).');
        return formatConnectionSetting(parsed.value);
      });
    case 'bindingList':
      if (value === null) return [];
      return (value as string[]).map((entry) => {
        if (!parseBinding(entry.trim()).ok) throw err.invalidValue(cmdlet, name, entry, 'expected IPAddress:Port, IPv6 addresses in brackets.');
        return entry.trim();
      });
    case 'timespan': {
      const text = (value as string).trim();
      if (!parseTimeSpan(text).ok) throw err.invalidValue(cmdlet, name, value, 'expected a time span dd.hh:mm:ss.');
      const checked = checkTimeout(text);
      if (!checked.ok) throw err.invalidValue(cmdlet, name, value, `the value must be between ${formatTimeSpan(TIMEOUT_RANGE.min)} and ${formatTimeSpan(TIMEOUT_RANGE.max)}.`);
      return checked.normalised;
    }
    case 'int': {
      // The range Microsoft's reference gives for the parameter (the catalog's doc), per protocol.
      const doc = (PROTOCOL_SETTINGS_OF[protocol][name] as ProtocolSettingSpec | undefined)?.doc;
      const range = doc?.range === undefined ? { minimum: 1, maximum: 2147483647 } : forProtocol(doc.range, protocol);
      const n = value as number;
      if (n < range.minimum || n > range.maximum) throw err.invalidValue(cmdlet, name, value, `the value must be between ${range.minimum} and ${range.maximum}.`);
      return value;
    }
    case 'byteQuantity': {
      const text = String(value);
      if (Number.isNaN(byteQuantityBytes(text))) throw err.invalidValue(cmdlet, name, value, 'expected a size with B, KB, MB, GB or TB, or Unlimited.');
      // Exchange prints the size with its byte count.
      return printedByteQuantity(text);
    }
    default:
      return value;
  }
}

function sameSetting(a: JsonValue | undefined, b: JsonValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function getProtocolSettings(state: SimulatorState, cmdlet: string, protocol: Protocol, params: Params): ExecuteResult {
  const server = settingsServer(state, cmdlet, params);
  // A state saved before a setting was simulated lacks it: it has Exchange's default.
  return ok({ Server: server.name, ...defaultProtocol(protocol, server.fqdn).settings, ...server[protocol].settings });
}

function setProtocolSettings(state: SimulatorState, cmdlet: CmdletName, protocol: Protocol, params: Params): ExecuteResult {
  const server = settingsServer(state, cmdlet, params);
  const target = server[protocol];
  const updates: [string, JsonValue][] = [];
  for (const [name, value] of Object.entries(params)) {
    if (name === 'Server') continue;
    updates.push([name, validateSetting(cmdlet, protocol, name, value)]);
  }
  const changedNames = updates.filter(([name, value]) => !sameSetting(target.settings[name], value)).map(([name]) => name);
  for (const [name, value] of updates) target.settings[name] = value;
  if (changedNames.length === 0) return ok(null, false, [noChangeWarning(cmdlet, server.name)]);
  for (const svc of [target.frontEnd, target.backEnd]) svc.pendingSettings = [...new Set([...svc.pendingSettings, ...changedNames])].sort();
  const service = protocol === 'pop3' ? 'POP3' : 'IMAP4';
  return ok(null, true, [`Changes to ${service} settings will only take effect after all Microsoft Exchange ${service} services are restarted on server ${server.name}.`]);
}

function serviceTargets(state: SimulatorState, cmdlet: string, computer: string, params: Params): { server: SimServer; services: { name: string; service: SimService }[] } {
  const server = findServer(state, cmdlet, computer, true);
  // Set-Service -Name takes one string, the other service cmdlets a list.
  const given = params.Name;
  const names = typeof given === 'string' ? [given] : (given as string[] | undefined);
  if (!names || names.length === 0) throw err.missingParameter(cmdlet, 'Name');
  const services = names.map((name) => {
    for (const protocol of ['pop3', 'imap4'] as const) {
      const { frontEnd, backEnd } = PROTOCOL_SERVICES[protocol];
      if (same(name, frontEnd)) return { name: frontEnd, service: server[protocol].frontEnd };
      if (same(name, backEnd)) return { name: backEnd, service: server[protocol].backEnd };
    }
    throw err.serviceNotFound(cmdlet, name);
  });
  return { server, services };
}

function serviceObject(name: string, service: SimService): Record<string, JsonValue> {
  return { Name: name, DisplayName: `Microsoft Exchange ${name.replace('MSExchange', '')}`, StartType: service.startupType, Status: service.status };
}

function runService(state: SimulatorState, cmdlet: CmdletName, computer: string, params: Params): ExecuteResult {
  const { services } = serviceTargets(state, cmdlet, computer, params);
  switch (cmdlet) {
    case 'Get-Service':
      return ok(services.map((s) => serviceObject(s.name, s.service)));
    case 'Set-Service': {
      const startupType = params.StartupType as StartupType | undefined;
      if (startupType === undefined) return ok(null);
      let changed = false;
      for (const s of services) {
        if (s.service.startupType !== startupType) {
          s.service.startupType = startupType;
          changed = true;
        }
      }
      return ok(null, changed);
    }
    case 'Start-Service':
    case 'Restart-Service': {
      for (const s of services) if (s.service.startupType === 'Disabled') throw err.serviceCannotStart(cmdlet, s.name);
      let changed = false;
      for (const s of services) {
        // A service reads its settings when it starts: a start of a stopped service or any restart picks up pending changes.
        if (cmdlet === 'Start-Service' && s.service.status === 'Running') continue;
        s.service.status = 'Running';
        s.service.pendingSettings = [];
        changed = true;
      }
      return ok(null, changed);
    }
    case 'Stop-Service': {
      let changed = false;
      for (const s of services) {
        if (s.service.status !== 'Stopped') {
          s.service.status = 'Stopped';
          changed = true;
        }
      }
      return ok(null, changed);
    }
    default:
      throw new Error(`${cmdlet} is not a service cmdlet`);
  }
}

/** The protocol each Get/Set settings cmdlet manages. */
const PROTOCOL_OF_SETTINGS_CMDLET: ReadonlyMap<CmdletName, Protocol> = new Map(
  PROTOCOLS.flatMap((protocol) => [PROTOCOL_SETTINGS_CMDLETS[protocol].get, PROTOCOL_SETTINGS_CMDLETS[protocol].set].map((cmdlet) => [cmdlet, protocol] as const)),
);

function protocolOfSettingsCmdlet(cmdlet: CmdletName): Protocol {
  const protocol = PROTOCOL_OF_SETTINGS_CMDLET.get(cmdlet);
  if (!protocol) throw new Error(`${cmdlet} manages no protocol's settings`);
  return protocol;
}

const getProtocolSettingsOf: Simulation = (state, params, cmdlet) => getProtocolSettings(state, cmdlet, protocolOfSettingsCmdlet(cmdlet), params);
const setProtocolSettingsOf: Simulation = (state, params, cmdlet) => setProtocolSettings(state, cmdlet, protocolOfSettingsCmdlet(cmdlet), params);
// assertCatalogRequest made sure a service cmdlet names its server (Invoke-Command's -ComputerName).
const service: Simulation = (state, params, cmdlet, request) => runService(state, cmdlet, request.computerName as string, params);

export const SERVER_SIMULATIONS = {
  'Get-ExchangeServer': getExchangeServer,
  'Get-PopSettings': getProtocolSettingsOf,
  'Get-ImapSettings': getProtocolSettingsOf,
  'Set-PopSettings': setProtocolSettingsOf,
  'Set-ImapSettings': setProtocolSettingsOf,
  'Get-Service': service,
  'Set-Service': service,
  'Start-Service': service,
  'Stop-Service': service,
  'Restart-Service': service,
} satisfies Partial<Record<CmdletName, Simulation>>;
