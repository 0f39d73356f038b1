/** Builders for planner tests: organisations as read back (documents: test/support/documents). */
import type { ActualCasMailbox } from '../../src/exchange/types';
import type { ActualProtocolService, ActualService } from '../../src/reconcile/kinds/protocol-service-read';
import type { ActualProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import type { ServiceState, StartupType } from '../../src/model/types';
import { protocolSettingDefaults } from '../../src/exchange/defaults';

/** A new Exchange server's POP3 settings as read back (defaults from the one table in src), with overrides. */
export function popSettings(server: string, overrides: Partial<ActualProtocolSettings> = {}): ActualProtocolSettings {
  return {
    ...protocolSettingDefaults('pop3'),
    internalConnectionSettings: [`${server}.woodgrove.local:995:SSL`, `${server}.woodgrove.local:110:TLS`],
    x509CertificateName: null,
    // No documented default: these name the installation (and no OWA server URL is set).
    logFileLocation: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Pop3',
    owaServerUrl: null,
    ...overrides,
  } as ActualProtocolSettings;
}

function service(name: string, startupType: StartupType, state: ServiceState): ActualService {
  return { name, startupType, state };
}

/** POP3 services with front end `fe` and back end `be` as `[startupType, state]`. */
export function popServices(fe: [StartupType, ServiceState], be: [StartupType, ServiceState] = fe): ActualProtocolService {
  return { frontEnd: service('MSExchangePOP3', ...fe), backEnd: service('MSExchangePOP3BE', ...be) };
}

export function imapServices(fe: [StartupType, ServiceState], be: [StartupType, ServiceState] = fe): ActualProtocolService {
  return { frontEnd: service('MSExchangeIMAP4', ...fe), backEnd: service('MSExchangeIMAP4BE', ...be) };
}

export function mailbox(address: string, overrides: Partial<ActualCasMailbox> = {}): ActualCasMailbox {
  return {
    identity: address.split('@')[0] ?? address,
    primarySmtpAddress: address,
    popEnabled: true,
    imapEnabled: true,
    smtpClientAuthenticationDisabled: null,
    ...overrides,
  };
}
