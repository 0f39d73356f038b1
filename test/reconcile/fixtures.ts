/** Builders for planner tests: model documents and organisations as read back. */
import type { ActualCasMailbox, ActualProtocolService, ActualProtocolSettings, ActualService } from '../../src/exchange/types';
import type { MailPolicy, ServiceState, StartupType } from '../../src/model/types';

export function onlinePolicy(parts: Partial<MailPolicy> = {}): MailPolicy {
  return {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: 'contoso-worldwide' },
    target: { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' },
    ...parts,
  };
}

export function onPremPolicy(parts: Partial<MailPolicy> = {}): MailPolicy {
  return {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: { name: 'woodgrove-onprem' },
    target: { platform: 'exchangeServer', organization: 'woodgrove.local' },
    ...parts,
  };
}

/** Exchange Server defaults for POP3 (DOMAIN.md), with overrides. */
export function popSettings(server: string, overrides: Partial<ActualProtocolSettings> = {}): ActualProtocolSettings {
  return {
    externalConnectionSettings: [],
    internalConnectionSettings: [`${server}.woodgrove.local:995:SSL`, `${server}.woodgrove.local:110:TLS`],
    x509CertificateName: null,
    sslBindings: ['[::]:995', '0.0.0.0:995'],
    unencryptedOrTLSBindings: ['[::]:110', '0.0.0.0:110'],
    loginType: 'SecureLogin',
    protocolLogEnabled: false,
    maxConnections: 2147483647,
    maxConnectionsPerUser: 16,
    maxConnectionFromSingleIP: 2147483647,
    authenticatedConnectionTimeout: '00:30:00',
    preAuthenticatedConnectionTimeout: '00:01:00',
    enableGSSAPIAndNTLMAuth: true,
    enforceCertificateErrors: false,
    suppressReadReceipt: false,
    ...overrides,
  };
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
