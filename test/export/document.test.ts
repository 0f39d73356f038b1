import { describe, expect, it } from 'vitest';
import { exportDocument, documentName, type OrganisationSnapshot } from '../../src/export/document';
import { summariseMailboxes } from '../../src/export/summarise-mailboxes';
import { policyYaml } from '../../src/export/yaml';
import { load } from 'js-yaml';
import type { ActualProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { protocolSettingDefaults } from '../../src/exchange/defaults';

const settings = {
  ...protocolSettingDefaults('pop3'),
  externalConnectionSettings: ['mail.contoso.com:995:SSL', 'mail.contoso.com:110'],
  internalConnectionSettings: ['ex1.contoso.local:995:SSL', 'ex1.contoso.local:110:TLS'],
  x509CertificateName: null,
  // No documented default: these name the installation (and no OWA server URL is set).
  logFileLocation: 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Logging\\Pop3',
  owaServerUrl: null,
} as ActualProtocolSettings;

describe('export document', () => {
  it('names the document after the organisation, as the schema allows', () => {
    expect(documentName('Contoso.onmicrosoft.com')).toBe('contoso');
    expect(documentName('fab_rikam--x.example')).toBe('fab-rikam-x');
    expect(documentName('...')).toBe('organisation');
  });

  it('writes an Exchange Online organisation: transport config, policies with the default, plans without GUID', () => {
    const snapshot: OrganisationSnapshot = {
      connection: { platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'contoso.onmicrosoft.us' },
      transportConfig: { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true },
      authenticationPolicies: {
        policies: [
          { name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false },
          { name: 'Legacy', allowBasicAuthPop: true, allowBasicAuthImap: false, allowBasicAuthSmtp: true },
        ],
        defaultPolicy: 'block basic auth',
      },
      casMailboxPlans: [
        { identity: 'ExchangeOnlineEnterprise-6d3c2a1b-0000-4000-8000-000000000001', popEnabled: false, imapEnabled: true },
        { identity: 'ExchangeOnline-6d3c2a1b-0000-4000-8000-000000000002', popEnabled: true, imapEnabled: true },
        { identity: 'ExchangeOnline-6d3c2a1b-0000-4000-8000-000000000003', popEnabled: false, imapEnabled: true },
      ],
      casMailboxes: summariseMailboxes(
        [
          { identity: 'a', primarySmtpAddress: 'a@contoso.com', popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: null },
          { identity: 'b', primarySmtpAddress: 'b@contoso.com', popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: false },
          { identity: 'c', primarySmtpAddress: 'c@contoso.com', popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: null },
        ],
        true,
      ),
    };
    const { policy, warnings } = exportDocument(snapshot);
    expect(warnings).toEqual([]);
    expect(policy).toEqual({
      apiVersion: 'mailpolicy/v1',
      kind: 'MailPolicy',
      metadata: { name: 'contoso', description: 'Exported by mailpolicy export from contoso.onmicrosoft.us.' },
      target: { platform: 'exchangeOnline', cloud: 'gccHigh', organization: 'contoso.onmicrosoft.us' },
      transportConfig: { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true },
      authenticationPolicies: [
        { name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true },
        { name: 'Legacy', allowBasicAuthPop: true, allowBasicAuthImap: false, allowBasicAuthSmtp: true },
      ],
      casMailboxPlans: [
        { identity: 'ExchangeOnlineEnterprise', popEnabled: false, imapEnabled: true },
        // Two plans share a base name but differ: each keeps its full identity.
        { identity: 'ExchangeOnline-6d3c2a1b-0000-4000-8000-000000000002', popEnabled: true, imapEnabled: true },
        { identity: 'ExchangeOnline-6d3c2a1b-0000-4000-8000-000000000003', popEnabled: false, imapEnabled: true },
      ],
      casMailboxes: {
        default: { popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: null },
        exceptions: [{ smtpClientAuthenticationDisabled: false, identities: ['b@contoso.com'] }],
      },
    });
  });

  it('writes Exchange Server servers; a service setting front and back end disagree on stays unmanaged', () => {
    const service = (fe: 'Running' | 'Stopped', be: 'Running' | 'Stopped', name: string) => ({
      frontEnd: { name, startupType: 'Automatic' as const, state: fe },
      backEnd: { name: `${name}BE`, startupType: 'Automatic' as const, state: be },
    });
    const { policy, warnings } = exportDocument({
      connection: { platform: 'exchangeServer', organization: 'contoso.local' },
      servers: [{ name: 'EX1', protocols: { pop3: { settings, service: service('Running', 'Stopped', 'MSExchangePOP3') }, imap4: { settings, service: service('Running', 'Running', 'MSExchangeIMAP4') } } }],
    });
    expect(policy.target).toEqual({ platform: 'exchangeServer', organization: 'contoso.local' });
    const pop3 = policy.servers?.[0]?.pop3;
    expect(pop3?.service).toEqual({ startupType: 'Automatic' });
    expect(policy.servers?.[0]?.imap4?.service).toEqual({ startupType: 'Automatic', state: 'Running' });
    expect(pop3?.settings?.externalConnectionSettings).toEqual(['mail.contoso.com:995:SSL', 'mail.contoso.com:110']);
    expect(pop3?.settings).not.toHaveProperty('x509CertificateName');
    expect(warnings).toEqual(['EX1 POP3: MSExchangePOP3 is Running, MSExchangePOP3BE Stopped: state left unmanaged']);
  });

  it('renders YAML with the schema modeline first', () => {
    const { policy } = exportDocument({ connection: { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' } });
    const text = policyYaml(policy, '../schema/mailpolicy.schema.json');
    expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/mailpolicy.schema.json');
    expect(load(text)).toEqual(policy);
  });
});
