/**
 * A new simulated organisation with Exchange's own defaults (src/exchange/defaults.ts):
 * Exchange Online has AllowLegacyTLSClients `$null`, SmtpClientAuthenticationDisabled `$true`,
 * every mailbox with POP and IMAP enabled and SMTP AUTH inheriting; Exchange Server has POP3/IMAP4
 * services Manual and Stopped with the default bindings and internal connection settings.
 */
import { EXCHANGE_SE_RTM } from '../model/exchange-version';
import { randomUUID } from 'node:crypto';
import type { Cloud, Platform, Protocol } from '../model/types';
import { PROTOCOLS } from '../model/types';
import { clientFrontendConnectorName, CLIENT_FRONTEND_DEFAULTS } from '../exchange/defaults';
import { casMailboxPlanDefaults, MAILBOX_DEFAULTS, protocolSettingDefaults, serverProtocolSettingDefaults, SERVICE_DEFAULTS, TRANSPORT_CONFIG_DEFAULTS } from '../exchange/defaults';
import { PROTOCOL_SETTINGS_CMDLETS, PROTOCOL_SETTINGS_OF } from '../exchange/catalog';
import { buildRequest } from '../exchange/request';
import { defaultCertificate } from './certificates';
import { MailboxRow, SimProtocol, SimReceiveConnector, SimServer, SimService, SimulatorState, STATE_VERSION } from './state';

export interface NewOrganisationOptions {
  readonly platform: Platform;
  /** Exchange Online only; defaults to worldwide. */
  readonly cloud?: Cloud;
  /** Tenant (`contoso.onmicrosoft.com`) or on-premises organisation name. */
  readonly organization?: string;
  readonly mailboxes?: number;
  /** Exchange Server only; defaults to one server, EX01. */
  readonly servers?: readonly string[];
  /** Exchange Server only: every server's build; defaults to Exchange Server SE RTM (the supported version). */
  readonly serverVersion?: string;
  /** Mail domain of the generated mailboxes; derived from the organisation when absent. */
  readonly domain?: string;
  /** Accepted domains besides the organisation's name, which is always one (the tenant's initial domain). */
  readonly acceptedDomains?: readonly string[];
}

/** The plans every Exchange Online tenant with Enterprise licences has. */
const ONLINE_PLANS = ['ExchangeOnline', 'ExchangeOnlineDeskless', 'ExchangeOnlineEnterprise', 'ExchangeOnlineEssentials'];

export function defaultOrganizationName(platform: Platform): string {
  // On-prem: the organisation's DNS domain, as the MailPolicy schema expects, so an export loads.
  return platform === 'exchangeOnline' ? 'contoso.onmicrosoft.com' : 'contoso.com';
}

/** `contoso.onmicrosoft.com` → `contoso.com`; an on-prem organisation name → `<name>.com`. */
function mailDomain(organization: string): string {
  const tenant = /^([^.]+)\.onmicrosoft\.(com|us|cn)$/i.exec(organization);
  if (tenant) return `${(tenant[1] as string).toLowerCase()}.com`;
  return organization.includes('.') ? organization.toLowerCase() : `${organization.toLowerCase().replace(/[^a-z0-9-]/g, '')}.com`;
}

/** Deterministic mailbox `n` (1-based) of a generated inventory. */
export function generatedMailbox(n: number, domain: string, upnDomain: string): MailboxRow {
  const alias = `user${String(n).padStart(6, '0')}`;
  return [alias, `${alias}@${domain}`, `${alias}@${upnDomain}`, MAILBOX_DEFAULTS.popEnabled, MAILBOX_DEFAULTS.imapEnabled, MAILBOX_DEFAULTS.smtpClientAuthenticationDisabled];
}

function service(): SimService {
  return { startupType: SERVICE_DEFAULTS.startupType, status: SERVICE_DEFAULTS.state, pendingSettings: [] };
}

export function defaultProtocol(protocol: Protocol, fqdn: string): SimProtocol {
  const { externalConnectionSettings, ...rest } = protocolSettingDefaults(protocol);
  // The model's keys, turned into Set-PopSettings/Set-ImapSettings parameter names by the catalog.
  const { parameters } = buildRequest(PROTOCOL_SETTINGS_CMDLETS[protocol].set, { externalConnectionSettings, ...serverProtocolSettingDefaults(protocol, fqdn), ...rest });
  // A parameter with no default at all (OwaServerUrl) reads back as $null, as on a new server (unverified).
  const settings = Object.fromEntries(Object.keys(PROTOCOL_SETTINGS_OF[protocol]).map((name) => [name, parameters[name] ?? null]));
  return { settings, frontEnd: service(), backEnd: service() };
}

export function defaultServer(name: string, organizationDomain: string, version: string = EXCHANGE_SE_RTM): SimServer {
  const fqdn = `${name.toLowerCase()}.${organizationDomain}`;
  const protocols = Object.fromEntries(PROTOCOLS.map((p) => [p, defaultProtocol(p, fqdn)])) as Record<Protocol, SimProtocol>;
  return { name, fqdn, version, ...protocols, certificates: [defaultCertificate(name, fqdn)] };
}

/**
 * A server's default "Client Frontend <Server>" connector: Exchange's defaults, the server's FQDN
 * as Fqdn, PermissionGroups ExchangeUsers (the Receive connectors page) and no TlsCertificateName
 * (unverified: what a new server shows; Exchange then picks a certificate that matches the FQDN).
 */
export function defaultClientFrontend(server: SimServer): SimReceiveConnector {
  const { parameters } = buildRequest('Set-ReceiveConnector', { fqdn: server.fqdn, ...CLIENT_FRONTEND_DEFAULTS });
  return { server: server.name, name: clientFrontendConnectorName(server.name), permissionGroups: 'ExchangeUsers', settings: { ...parameters, TlsCertificateName: null } };
}

export function newOrganisation(options: NewOrganisationOptions): SimulatorState {
  const organization = options.organization ?? defaultOrganizationName(options.platform);
  const domain = options.domain ?? mailDomain(organization);
  const count = options.mailboxes ?? 0;
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`mailboxes must be a whole number ≥ 0, got ${count}`);
  const online = options.platform === 'exchangeOnline';
  const extraDomains = (options.acceptedDomains ?? []).filter((d) => d.toLowerCase() !== organization.toLowerCase());
  const accepted = extraDomains.length > 0 ? { acceptedDomains: [organization, ...new Set(extraDomains)] } : {};
  const upnDomain = online ? organization.toLowerCase() : domain;
  const mailboxes: MailboxRow[] = new Array<MailboxRow>(count);
  for (let i = 0; i < count; i++) mailboxes[i] = generatedMailbox(i + 1, domain, upnDomain);
  if (online) {
    return {
      version: STATE_VERSION,
      organization: { platform: 'exchangeOnline', cloud: options.cloud ?? 'worldwide', name: organization, ...accepted },
      transportConfig: { ...TRANSPORT_CONFIG_DEFAULTS },
      organizationConfig: { defaultAuthenticationPolicy: null },
      authenticationPolicies: [],
      casMailboxPlans: ONLINE_PLANS.map((name) => ({ identity: `${name}-${randomUUID()}`, ...casMailboxPlanDefaults(name) })),
      mailboxes,
    };
  }
  if (options.cloud !== undefined) throw new RangeError('a cloud applies to Exchange Online only');
  const servers = (options.servers ?? ['EX01']).map((name) => defaultServer(name, domain, options.serverVersion));
  return { version: STATE_VERSION, organization: { platform: 'exchangeServer', name: organization, ...accepted }, mailboxes, servers, receiveConnectors: servers.map(defaultClientFrontend) };
}
