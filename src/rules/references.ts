/** Sources the rules cite, each written once. */
import type { Reference } from './types';

export const REF = {
  legacyTlsPopImap: {
    title: 'New opt-in endpoint for POP3/IMAP4 clients that need legacy TLS (Exchange Team Blog)',
    url: 'https://techcommunity.microsoft.com/blog/exchange/new-opt-in-endpoint-for-pop3imap4-clients-that-need-legacy-tls/3710395',
  },
  legacyTlsSmtp: {
    title: 'Opt-in to Exchange Online endpoint for legacy TLS clients using SMTP AUTH',
    url: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/opt-in-exchange-online-endpoint-for-legacy-tls-using-smtp-auth',
  },
  popImapTls: { title: 'POP/IMAP TLS 1.0/1.1 rejection (aka.ms/popimap_tls)', url: 'https://aka.ms/popimap_tls' },
  setTransportConfig: { title: 'Set-TransportConfig', url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/set-transportconfig' },
  smtpSubmission: {
    title: 'Enable or disable authenticated client SMTP submission (SMTP AUTH) in Exchange Online',
    url: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
  },
  scubaExo: {
    title: 'CISA SCuBA Exchange Online baseline, MS.EXO.5.1v1 (SMTP AUTH SHALL be disabled)',
    url: 'https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/baselines/exo.md',
  },
  smtpAuthBasicTimeline: {
    title: 'Updated Exchange Online SMTP AUTH Basic Authentication Deprecation Timeline (Exchange Team Blog, 2026-01-27; MC786329)',
    url: 'https://techcommunity.microsoft.com/blog/exchange/updated-exchange-online-smtp-auth-basic-authentication-deprecation-timeline/4489835',
  },
  setCasMailbox: { title: 'Set-CASMailbox', url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/set-casmailbox' },
  setCasMailboxPlan: { title: 'Set-CASMailboxPlan', url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/set-casmailboxplan' },
  popImapOnline: {
    title: 'Enable or disable POP3 or IMAP4 access for a user in Exchange Online',
    url: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/pop3-and-imap4/enable-or-disable-pop3-or-imap4-access',
  },
  authenticationPolicy: {
    title: 'New-AuthenticationPolicy',
    url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/new-authenticationpolicy',
  },
  basicAuthDeprecation: {
    title: 'Deprecation of Basic authentication in Exchange Online',
    url: 'https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online',
  },
  setReceiveConnector: { title: 'Set-ReceiveConnector', url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/set-receiveconnector' },
  authenticatedSmtpOnPremises: {
    title: 'Configure authenticated SMTP settings for POP3 and IMAP4 clients in Exchange Server',
    url: 'https://learn.microsoft.com/en-us/exchange/clients/pop3-and-imap4/configure-authenticated-smtp',
  },
  setPopSettings: { title: 'Set-PopSettings', url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/set-popsettings' },
  setImapSettings: { title: 'Set-ImapSettings', url: 'https://learn.microsoft.com/en-us/powershell/module/exchange/set-imapsettings' },
  configurePop3: {
    title: 'Enable and configure POP3 on an Exchange server',
    url: 'https://learn.microsoft.com/en-us/exchange/clients/pop3-and-imap4/configure-pop3',
  },
  configureImap4: {
    title: 'Enable and configure IMAP4 on an Exchange server',
    url: 'https://learn.microsoft.com/en-us/exchange/clients/pop3-and-imap4/configure-imap4',
  },
  exchangeBuildNumbers: {
    title: 'Exchange Server build numbers and release dates (read with Get-ExchangeServer | Format-List Name,Edition,AdminDisplayVersion)',
    url: 'https://learn.microsoft.com/en-us/exchange/new-features/build-numbers-and-release-dates',
  },
  exchange2019Lifecycle: { title: 'Exchange Server 2019 lifecycle (support ended 2025-10-14)', url: 'https://learn.microsoft.com/en-us/lifecycle/products/exchange-server-2019' },
  exchange2016Lifecycle: { title: 'Exchange Server 2016 lifecycle (support ended 2025-10-14)', url: 'https://learn.microsoft.com/en-us/lifecycle/products/exchange-server-2016' },
  popImapCertificates: {
    title: 'Configure certificates for POP3 and IMAP4 on Exchange servers',
    url: 'https://learn.microsoft.com/en-us/exchange/clients/pop3-and-imap4/pop3-and-imap4',
  },
  // Certificates assigned to services (MP-CRT-001, MP-CRT-002).
  enableExchangeCertificate: { title: 'Enable-ExchangeCertificate', url: 'https://learn.microsoft.com/en-us/powershell/module/exchangepowershell/enable-exchangecertificate' },
  getExchangeCertificate: { title: 'Get-ExchangeCertificate', url: 'https://learn.microsoft.com/en-us/powershell/module/exchangepowershell/get-exchangecertificate' },
  exchangeCertificates: {
    title: 'Digital certificates and encryption in Exchange Server',
    url: 'https://learn.microsoft.com/en-us/exchange/architecture/client-access/certificates',
  },
} as const satisfies Record<string, Reference>;
