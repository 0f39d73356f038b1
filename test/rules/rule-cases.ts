/**
 * One violating and one clean document per rule, and the outcome each cloud must give. The
 * generic suite (rule-set.test.ts) runs every case through the same questions the issue asks:
 * violation, no violation, each cloud, waiver valid/expired/not allowed, --as-of before/after.
 */
import { CLOUDS, cloudFacts } from '../../src/model/clouds';
import type { Cloud, MailPolicy, SmtpClientSubmissionPolicy } from '../../src/model/types';
import { RULES } from '../../src/rules';
import type { Outcome } from '../../src/rules';
import { online, onPrem, soundPop3Server } from './documents';

/** Where a document can live: an Exchange Online cloud or on-premises. */
export type Place = Cloud | 'exchangeServer';
/** Every cloud of the clouds table, then on-premises: a new cloud joins every rule's matrix. */
export const PLACES: readonly Place[] = [...CLOUDS, 'exchangeServer'];

export interface RuleCase {
  readonly id: string;
  /** A document that breaks the rule, for a place the rule applies to. */
  readonly violating: (place: Place) => MailPolicy;
  readonly clean: (place: Place) => MailPolicy;
  /** Outcome per place without waivers; 'none' = the rule says nothing there. */
  readonly outcomes: Readonly<Record<Place, Outcome | 'none'>>;
  /** Pointer the finding must carry. */
  readonly pointer: string;
  /** Scope of the finding, when it has one (for scoped waivers). */
  readonly scope?: string;
}

const byPlace = (place: Place, make: (cloud: Cloud) => MailPolicy, server: () => MailPolicy) =>
  place === 'exchangeServer' ? server() : make(place);

type Outcomes = Readonly<Record<Place, Outcome | 'none'>>;
/** Outcomes per place from the clouds table's US-government flag: [US government cloud, other cloud, on-premises]. */
function byGovernment(government: Outcome | 'none', other: Outcome | 'none', server: Outcome | 'none'): Outcomes {
  return Object.fromEntries(PLACES.map((p) => [p, p === 'exchangeServer' ? server : cloudFacts(p).usGovernment ? government : other])) as Outcomes;
}
const GOV_ONLY = byGovernment('violation', 'none', 'none');
const ADVISORY_GOV_MANDATORY = byGovernment('violation', 'advisory', 'none');
const ONLINE_NON_GOV_ADVISORY = byGovernment('none', 'advisory', 'none');
const SERVER_ONLY = (o: Outcome): Outcomes => byGovernment('none', 'none', o);

const legacyTls = (on: boolean) => (place: Place) => byPlace(place, (c) => online(c, { transportConfig: { allowLegacyTLSClients: on } }), () => onPrem());

/** A server document whose first POP3 block is the sound one with `patch` applied. */
function server(patch: { service?: object; settings?: object; dropSettingsKeys?: string[] }): (place: Place) => MailPolicy {
  return (place) => {
    const base = soundPop3Server();
    const settings: Record<string, unknown> = { ...base.pop3.settings, ...patch.settings };
    for (const k of patch.dropSettingsKeys ?? []) delete settings[k];
    const doc = onPrem({ servers: [{ name: base.name, pop3: { service: { ...base.pop3.service, ...patch.service }, settings } }] as MailPolicy['servers'] });
    return place === 'exchangeServer' ? doc : online(place);
  };
}

const THUMBPRINT = '3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F';

/** The sound POP3 server with one certificate assigned to POP. */
function withCertificate(certificate: object): (place: Place) => MailPolicy {
  return (place) => {
    const base = soundPop3Server();
    const doc = onPrem({ servers: [{ ...base, certificates: [{ thumbprint: THUMBPRINT, services: ['POP'], ...certificate }] }] as MailPolicy['servers'] });
    return place === 'exchangeServer' ? doc : online(place);
  };
}

/** A server document whose first server declares its Client Frontend connector. */
function clientFrontend(smtpClientSubmission: SmtpClientSubmissionPolicy): (place: Place) => MailPolicy {
  return (place) => (place === 'exchangeServer' ? onPrem({ servers: [{ name: 'EX01', smtpClientSubmission }] }) : online(place));
}

export const RULE_CASES: readonly RuleCase[] = [
  { id: 'MP-EXO-001', violating: legacyTls(true), clean: legacyTls(false), outcomes: GOV_ONLY, pointer: '/transportConfig/allowLegacyTLSClients' },
  { id: 'MP-EXO-002', violating: legacyTls(true), clean: legacyTls(false), outcomes: ONLINE_NON_GOV_ADVISORY, pointer: '/transportConfig/allowLegacyTLSClients' },
  {
    id: 'MP-EXO-003',
    violating: (p) => byPlace(p, (c) => online(c, { transportConfig: { smtpClientAuthenticationDisabled: false } }), () => onPrem()),
    clean: (p) => byPlace(p, (c) => online(c, { transportConfig: { smtpClientAuthenticationDisabled: true } }), () => onPrem()),
    outcomes: ADVISORY_GOV_MANDATORY,
    pointer: '/transportConfig/smtpClientAuthenticationDisabled',
  },
  {
    id: 'MP-EXO-004',
    violating: (p) =>
      byPlace(p, (c) => online(c, { casMailboxes: { default: { smtpClientAuthenticationDisabled: null }, exceptions: [{ identities: ['printer@contoso.com', 'scanner@contoso.com'], smtpClientAuthenticationDisabled: false }] } }), () => onPrem()),
    clean: (p) => byPlace(p, (c) => online(c, { casMailboxes: { default: { smtpClientAuthenticationDisabled: null }, exceptions: [{ identities: ['scanner@contoso.com'], smtpClientAuthenticationDisabled: true }] } }), () => onPrem()),
    outcomes: ADVISORY_GOV_MANDATORY,
    pointer: '/casMailboxes/exceptions/0/identities/1',
    scope: 'scanner@contoso.com',
  },
  {
    id: 'MP-EXO-005',
    // An Exchange Online rule: the same exception in an Exchange Server document is not its finding (issue 12, item 7).
    violating: (p) => {
      const cas = { default: { popEnabled: false }, exceptions: [{ identities: ['archiver@contoso.com'], popEnabled: true }] };
      return byPlace(p, (c) => online(c, { casMailboxes: cas }), () => onPrem({ casMailboxes: cas }));
    },
    clean: (p) => byPlace(p, (c) => online(c, { casMailboxes: { default: { popEnabled: false }, exceptions: [{ identities: ['archiver@contoso.com'], popEnabled: false }] } }), () => onPrem()),
    outcomes: ADVISORY_GOV_MANDATORY,
    pointer: '/casMailboxes/exceptions/0/identities/0',
    scope: 'archiver@contoso.com',
  },
  {
    id: 'MP-EXO-006',
    violating: (p) => byPlace(p, (c) => online(c, { authenticationPolicies: [{ name: 'Allow SMTP Basic', allowBasicAuthSmtp: true }] }), () => onPrem()),
    clean: (p) => byPlace(p, (c) => online(c, { authenticationPolicies: [{ name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true }] }), () => onPrem()),
    outcomes: byGovernment('violation', 'violation', 'none'),
    pointer: '/authenticationPolicies/0/allowBasicAuthSmtp',
    scope: 'Allow SMTP Basic',
  },
  {
    id: 'MP-EXO-007',
    violating: (p) =>
      byPlace(p, (c) => online(c, { transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true }, casMailboxes: { default: { popEnabled: false, imapEnabled: false }, exceptions: [] } }), () => onPrem()),
    clean: (p) =>
      byPlace(p, (c) => online(c, { transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true }, casMailboxes: { exceptions: [{ identities: ['scanner@contoso.com'], smtpClientAuthenticationDisabled: false }] } }), () => onPrem()),
    outcomes: ONLINE_NON_GOV_ADVISORY,
    pointer: '/transportConfig/allowLegacyTLSClients',
  },
  {
    id: 'MP-MBX-001',
    violating: (p) => {
      const cas = { default: { popEnabled: true }, exceptions: [] };
      return byPlace(p, (c) => online(c, { casMailboxes: cas }), () => onPrem({ casMailboxes: cas }));
    },
    clean: (p) => {
      const cas = { default: { popEnabled: false, imapEnabled: false }, exceptions: [] };
      return byPlace(p, (c) => online(c, { casMailboxes: cas }), () => onPrem({ casMailboxes: cas }));
    },
    outcomes: byGovernment('advisory', 'advisory', 'advisory'),
    pointer: '/casMailboxes/default/popEnabled',
  },
  {
    id: 'MP-SRV-001',
    violating: server({ settings: { externalConnectionSettings: ['mail.contoso.com:995:SSL', 'mail.contoso.com:110'] } }),
    clean: server({}),
    outcomes: SERVER_ONLY('violation'),
    pointer: '/servers/0/pop3/settings/externalConnectionSettings/1',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-002',
    violating: server({ settings: { loginType: 'PlainTextLogin' } }),
    clean: server({ settings: { loginType: 'PlainTextAuthentication' } }),
    outcomes: SERVER_ONLY('violation'),
    pointer: '/servers/0/pop3/settings/loginType',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-004',
    violating: server({ dropSettingsKeys: ['x509CertificateName'] }),
    clean: server({}),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/servers/0/pop3/service/state',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-005',
    violating: server({ service: { startupType: 'Manual' } }),
    clean: server({}),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/servers/0/pop3/service/startupType',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-006',
    violating: (p) => (p === 'exchangeServer' ? { ...server({})(p), target: { platform: 'exchangeServer', organization: 'woodgrove.local', minimumServerVersion: '15.2.1748.24' } } : online(p)),
    clean: (p) => (p === 'exchangeServer' ? { ...server({})(p), target: { platform: 'exchangeServer', organization: 'woodgrove.local', minimumServerVersion: '15.2.2562.17' } } : online(p)),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/target/minimumServerVersion',
  },
  {
    id: 'MP-CRT-001',
    violating: withCertificate({ certificateDomains: ['legacy.contoso.com'] }),
    clean: withCertificate({ certificateDomains: ['autodiscover.contoso.com', 'Mail.Contoso.com'] }),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/servers/0/pop3/settings/externalConnectionSettings/0',
    scope: 'EX01',
  },
  {
    id: 'MP-CRT-002',
    // Expired before either --as-of of the generic suite: the same finding at both (the 30-day window: test/cli/certificates.test.ts).
    violating: withCertificate({ certificateDomains: ['mail.contoso.com'], notAfter: '2025-12-31' }),
    clean: withCertificate({ certificateDomains: ['mail.contoso.com'], notAfter: '2030-06-30' }),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/servers/0/certificates/0/notAfter',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-007',
    violating: server({ settings: { extendedProtectionPolicy: 'None' } }),
    clean: server({ settings: { extendedProtectionPolicy: 'Require' } }),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/servers/0/pop3/settings/extendedProtectionPolicy',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-008',
    violating: clientFrontend({ authMechanism: ['Tls', 'BasicAuth', 'Integrated'], requireTLS: true }),
    clean: clientFrontend({ authMechanism: ['Tls', 'BasicAuth', 'BasicAuthRequireTLS', 'Integrated'], requireTLS: true }),
    outcomes: SERVER_ONLY('violation'),
    pointer: '/servers/0/smtpClientSubmission/authMechanism',
    scope: 'EX01',
  },
  {
    id: 'MP-SRV-009',
    violating: (p) => byPlace(p, (c) => online(c), () => onPrem({ authenticationPolicies: [{ name: 'Branch terminals', blockLegacyAuthPop: false, blockLegacyAuthImap: true }] })),
    clean: (p) => byPlace(p, (c) => online(c), () => onPrem({ authenticationPolicies: [{ name: 'Block legacy POP and IMAP', blockLegacyAuthPop: true, blockLegacyAuthImap: true }] })),
    outcomes: SERVER_ONLY('advisory'),
    pointer: '/authenticationPolicies/0/blockLegacyAuthPop',
    scope: 'Branch terminals',
  },
];

export function ruleById(id: string) {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return rule;
}
