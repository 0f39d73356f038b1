import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import { readCasMailboxes, readServers } from '../../src/exchange/reader';
import { readAuthenticationPolicies } from '../../src/reconcile/kinds/authentication-policy-read';
import { readCasMailboxPlans } from '../../src/reconcile/kinds/cas-mailbox-plan-read';
import { readProtocolService } from '../../src/reconcile/kinds/protocol-service-read';
import { readProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { readTransportConfig } from '../../src/reconcile/kinds/transport-config-read';
import { openBackend } from '../../src/backends/open-backend';
import { CLOUDS, US_GOVERNMENT_CLOUDS } from '../../src/model/clouds';
import { SimulatorBackend } from '../../src/simulator/backend';
import { parseState } from '../../src/simulator/validate-state';
import { mailboxNames } from '../../src/simulator/mailbox-names';
import { pendingSettings, type MailboxRow } from '../../src/simulator/state';
import { rejection, writeOrg } from './helpers';


describe('simulator: Exchange Online defaults', () => {
  it('reads a new worldwide tenant as Exchange creates it', async () => {
    const path = writeOrg({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com', mailboxes: 3 });
    const b = openBackend({ kind: 'simulator', statePath: path });
    expect(await b.connection()).toEqual({ platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' });
    expect(await readTransportConfig(b)).toEqual({ allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true });
    const raw = await b.invoke(buildRequest('Get-TransportConfig'));
    expect(raw).toMatchObject({ AllowLegacyTLSClients: null });
    const mailboxes = await readCasMailboxes(b);
    expect(mailboxes).toHaveLength(3);
    // The names Get-EXOCasMailbox's Minimum property set carries (no distinguished name there).
    expect(mailboxes[0]).toEqual({
      identity: 'user000001',
      primarySmtpAddress: 'user000001@contoso.com',
      name: 'user000001',
      guid: '3345a714-92fd-5dee-9afc-06f10a746e72',
      emailAddresses: ['user000001@contoso.com'],
      popEnabled: true,
      imapEnabled: true,
      smtpClientAuthenticationDisabled: null,
    });
    expect(await readAuthenticationPolicies(b)).toEqual({ policies: [], defaultPolicy: null });
    const plans = await readCasMailboxPlans(b);
    expect(plans.map((p) => p.identity)).toContainEqual(expect.stringMatching(/^ExchangeOnlineEnterprise-[0-9a-f-]{36}$/));
    expect(b.stats()).toMatchObject({ processSpawns: 0, connects: 1 });
    await b.close();
  });

  it('honours ResultSize like Exchange: 1000 by default, with a warning', async () => {
    const path = writeOrg({ platform: 'exchangeOnline', mailboxes: 1200 });
    const warnings: string[] = [];
    const b = new SimulatorBackend({ statePath: path, onWarning: (_c, w) => warnings.push(w) });
    const some = await b.invoke(buildRequest('Get-EXOCasMailbox', { propertySets: ['Minimum'] }));
    expect(some).toHaveLength(1000);
    expect(warnings[0]).toMatch(/more results available/);
    // Minimum has PopEnabled and ImapEnabled (cmdlet-property-sets reference), not SMTP AUTH nor a DN.
    expect((some as Record<string, unknown>[])[0]).toHaveProperty('PopEnabled');
    expect((some as Record<string, unknown>[])[0]).not.toHaveProperty('SmtpClientAuthenticationDisabled');
    expect((some as Record<string, unknown>[])[0]).not.toHaveProperty('DistinguishedName');
    expect(await readCasMailboxes(b)).toHaveLength(1200);
  });

  it('matches Set-CASMailbox identities by alias, SMTP address or UPN, case-insensitively, and persists', async () => {
    const path = writeOrg({ platform: 'exchangeOnline', mailboxes: 5 });
    const b = openBackend({ kind: 'simulator', statePath: path });
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'USER000002', popEnabled: false }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'User000003@Contoso.com', imapEnabled: false }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000004@CONTOSO.onmicrosoft.com', smtpClientAuthenticationDisabled: false }));
    const e = await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: 'nobody@contoso.com', popEnabled: false })));
    expect(e.info.type).toMatch(/ManagementObjectNotFoundException/);
    expect(e.info.message).toContain("'nobody@contoso.com' couldn't be found");
    // A second backend reads the file from disk.
    const other = openBackend({ kind: 'simulator', statePath: path });
    const m = await readCasMailboxes(other);
    expect(m[1]?.popEnabled).toBe(false);
    expect(m[2]?.imapEnabled).toBe(false);
    expect(m[3]?.smtpClientAuthenticationDisabled).toBe(false);
    const state = parseState(readFileSync(path, 'utf8'), path);
    expect(state.writes).toEqual({ 'Set-CASMailbox': 3 });
  });

  it('matches Set-CASMailbox identities by the GUID and distinguished name Exchange derives or the row stores, and finds an identity two mailboxes answer to ambiguous', async () => {
    const path = writeOrg({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com', mailboxes: 6 }, (s) => {
      // user000005 stores its own GUID and DN; user000006 has an alias that is user000001's name.
      const row5 = s.mailboxes[4]!;
      row5[6] = { guid: '0f0e0d0c-0b0a-4909-8807-060504030201', distinguishedName: 'CN=Five,OU=Elsewhere,DC=contoso,DC=com' };
      const row6 = s.mailboxes[5]!;
      row6[6] = { alias: 'USER000001' };
    });
    const b = openBackend({ kind: 'simulator', statePath: path });
    const state = await (b as SimulatorBackend).state();
    const guid2 = mailboxNames(state.mailboxes[1]!, 'exchangeOnline', 'contoso.onmicrosoft.com').guid;
    const dn3 = mailboxNames(state.mailboxes[2]!, 'exchangeOnline', 'contoso.onmicrosoft.com').distinguishedName;
    expect(guid2).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5/);
    expect(dn3).toMatch(/^CN=user000003,/);
    await b.invoke(buildRequest('Set-CASMailbox', { identity: guid2.toUpperCase(), popEnabled: false }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: dn3.toLowerCase(), popEnabled: false }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: '0F0E0D0C-0B0A-4909-8807-060504030201', popEnabled: false }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'cn=five,ou=elsewhere,dc=contoso,dc=com', imapEnabled: false }));
    // A stored GUID or DN replaces the derived one: the derived one no longer finds the mailbox.
    const derived5 = mailboxNames([state.mailboxes[4]![0], '', ''] as unknown as MailboxRow, 'exchangeOnline', 'contoso.onmicrosoft.com').distinguishedName;
    expect((await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: derived5, popEnabled: false })))).info.type).toMatch(/NotFound/);
    expect((await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false })))).info.message).toMatch(/ambiguous|multiple|more than one/i);
    const m = await readCasMailboxes(b);
    expect(m.map((x) => [x.identity, x.popEnabled, x.imapEnabled])).toEqual([
      ['user000001', true, true],
      ['user000002', false, true],
      ['user000003', false, true],
      ['user000004', true, true],
      ['user000005', false, false],
      ['user000006', true, true],
    ]);
  });

  it('accepts a CAS mailbox plan name without its GUID suffix', async () => {
    const path = writeOrg({ platform: 'exchangeOnline' });
    const b = openBackend({ kind: 'simulator', statePath: path });
    await b.invoke(buildRequest('Set-CASMailboxPlan', { identity: 'exchangeonlineenterprise', popEnabled: false }));
    const plan = (await readCasMailboxPlans(b)).find((p) => p.identity.startsWith('ExchangeOnlineEnterprise-'));
    expect(plan).toMatchObject({ popEnabled: false, imapEnabled: true });
    const e = await rejection(b.invoke(buildRequest('Set-CASMailboxPlan', { identity: 'NoSuchPlan', popEnabled: false })));
    expect(e.info.type).toMatch(/NotFound/);
  });

  it('refuses legacy TLS in US government clouds and allows it worldwide', async () => {
    expect(US_GOVERNMENT_CLOUDS.length).toBeGreaterThan(0);
    for (const cloud of US_GOVERNMENT_CLOUDS) {
      const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeOnline', cloud }) });
      const e = await rejection(b.invoke(buildRequest('Set-TransportConfig', { allowLegacyTLSClients: true })));
      expect(e.info.message).toMatch(/AllowLegacyTLSClients/);
      expect((await readTransportConfig(b)).allowLegacyTLSClients).toBe(false);
    }
    for (const cloud of CLOUDS.filter((c) => !US_GOVERNMENT_CLOUDS.includes(c))) {
      const ww = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeOnline', cloud }) });
      await ww.invoke(buildRequest('Set-TransportConfig', { allowLegacyTLSClients: true }));
      expect((await readTransportConfig(ww)).allowLegacyTLSClients).toBe(true);
    }
  });

  it('manages authentication policies and the organisation default', async () => {
    const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeOnline' }) });
    await b.invoke(buildRequest('New-AuthenticationPolicy', { name: 'Block Basic', allowBasicAuthSmtp: true }));
    expect((await rejection(b.invoke(buildRequest('New-AuthenticationPolicy', { name: 'block basic' })))).info.message).toMatch(/already exists/);
    await b.invoke(buildRequest('Set-OrganizationConfig', { defaultAuthenticationPolicy: 'block basic' }));
    expect(await readAuthenticationPolicies(b)).toEqual({
      // The Exchange Server switches (issue 14) read back false in Exchange Online, which has none.
      policies: [{ name: 'Block Basic', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: true, blockLegacyAuthPop: false, blockLegacyAuthImap: false, blockModernAuthPop: false, blockModernAuthImap: false }],
      defaultPolicy: 'Block Basic',
    });
    expect((await rejection(b.invoke(buildRequest('Remove-AuthenticationPolicy', { identity: 'Block Basic', confirm: false })))).info.message).toMatch(/default/);
  });

  it('answers on-prem cmdlets with CommandNotFound, and unknown parameters like PowerShell', async () => {
    const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeOnline' }) });
    expect((await rejection(b.invoke(buildRequest('Get-PopSettings', { server: 'EX01' })))).info.type).toMatch(/CommandNotFoundException/);
    expect((await rejection(b.invoke({ cmdlet: 'Set-TransportConfig', parameters: { Bogus: true } }))).info.message).toMatch(/parameter name 'Bogus'/);
    expect((await rejection(b.invoke({ cmdlet: 'Invoke-Expression', parameters: {} }))).info.type).toMatch(/CommandNotFound/);
  });

  it('names the parameter and the value a cmdlet cannot take', async () => {
    const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeOnline', mailboxes: 1 }) });
    const bad = await rejection(b.invoke({ cmdlet: 'Set-CASMailbox', parameters: { Identity: 'user000001', PopEnabled: 'yes' } }));
    expect(bad.info).toMatchObject({ type: 'System.Management.Automation.ParameterBindingException', fullyQualifiedErrorId: 'ParameterArgumentTransformationError,Set-CASMailbox', category: 'InvalidData' });
    expect(bad.info.message).toBe('Cannot process argument transformation on parameter \'PopEnabled\'. Cannot convert value "yes": expected a boolean.');
    // A secret's value stays out of the message.
    const secret = await rejection(b.invoke({ cmdlet: 'Connect-ExchangeOnline', parameters: { Organization: 'contoso.onmicrosoft.com', AccessToken: 12345 } }));
    expect(secret.info.message).toMatch(/parameter 'AccessToken'/);
    expect(secret.info.message).not.toContain('12345');
  });
});

describe('simulator: Exchange Server', () => {
  it('has POP3/IMAP4 off by default with default bindings and internal connection settings', async () => {
    const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeServer', organization: 'Contoso', servers: ['EX01', 'EX02'], mailboxes: 2 }) });
    expect(await b.connection()).toEqual({ platform: 'exchangeServer', organization: 'Contoso' });
    const svc = await readProtocolService(b, 'EX02', 'pop3');
    expect(svc).toEqual({
      frontEnd: { name: 'MSExchangePOP3', startupType: 'Manual', state: 'Stopped' },
      backEnd: { name: 'MSExchangePOP3BE', startupType: 'Manual', state: 'Stopped' },
    });
    const s = await readProtocolSettings(b, 'ex01.contoso.com', 'imap4');
    expect(s.sslBindings).toEqual(['[::]:993', '0.0.0.0:993']);
    expect(s.unencryptedOrTLSBindings).toEqual(['[::]:143', '0.0.0.0:143']);
    expect(s.internalConnectionSettings).toEqual(['ex01.contoso.com:993:SSL', 'ex01.contoso.com:143:TLS']);
    expect(s.loginType).toBe('SecureLogin');
    expect(s.authenticatedConnectionTimeout).toBe('00:30:00');
    const mailboxes = await readCasMailboxes(b);
    expect(mailboxes.every((m) => m.smtpClientAuthenticationDisabled === null)).toBe(true);
  });

  it('lists its servers with Get-ExchangeServer, as Mailbox servers, in the state\'s order; Exchange Online has no such cmdlet', async () => {
    const path = writeOrg({ platform: 'exchangeServer', organization: 'woodgrove.com', servers: ['EX02', 'EX01'] });
    const b = openBackend({ kind: 'simulator', statePath: path });
    expect(await b.invoke(buildRequest('Get-ExchangeServer'))).toEqual([
      // Each of the build its state gives: Exchange Server SE RTM by default (issue 12, item 7).
      { Name: 'EX02', Fqdn: 'ex02.woodgrove.com', ServerRole: 'Mailbox', AdminDisplayVersion: 'Version 15.2 (Build 2562.17)' },
      { Name: 'EX01', Fqdn: 'ex01.woodgrove.com', ServerRole: 'Mailbox', AdminDisplayVersion: 'Version 15.2 (Build 2562.17)' },
    ]);
    expect(await readServers(b)).toEqual([
      { name: 'EX02', serverRole: 'Mailbox', adminDisplayVersion: 'Version 15.2 (Build 2562.17)' },
      { name: 'EX01', serverRole: 'Mailbox', adminDisplayVersion: 'Version 15.2 (Build 2562.17)' },
    ]);
    // Each listed name is one the per-server cmdlets accept.
    for (const { name } of await readServers(b)) expect((await readProtocolSettings(b, name, 'pop3')).loginType).toBe('SecureLogin');
    expect(await readServers(openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeServer', servers: [] }) }))).toEqual([]);
    const online = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeOnline' }) });
    expect((await rejection(online.invoke(buildRequest('Get-ExchangeServer')))).info.type).toMatch(/CommandNotFoundException/);
  });

  it('keeps settings changes pending until both services restart', async () => {
    const path = writeOrg({ platform: 'exchangeServer', servers: ['EX01'] });
    const b = new SimulatorBackend({ statePath: path });
    await b.invoke(buildRequest('Set-Service', { name: 'MSExchangePOP3', startupType: 'Automatic' }, 'EX01'));
    await b.invoke(buildRequest('Start-Service', { name: ['MSExchangePOP3', 'MSExchangePOP3BE'] }, 'EX01'));
    await b.invoke(buildRequest('Set-PopSettings', { server: 'EX01', loginType: 'PlainTextLogin', externalConnectionSettings: ['mail.contoso.com:995:ssl'] }));
    const pop = (await b.state()).servers?.[0]?.pop3;
    expect(pop && pendingSettings(pop)).toEqual(['ExternalConnectionSettings', 'LoginType']);
    expect((await readProtocolSettings(b, 'EX01', 'pop3')).externalConnectionSettings).toEqual(['mail.contoso.com:995:SSL']);
    await b.invoke(buildRequest('Restart-Service', { name: ['MSExchangePOP3'] }, 'EX01'));
    expect(pendingSettings((await b.state()).servers?.[0]?.pop3 as never)).toEqual(['ExternalConnectionSettings', 'LoginType']);
    await b.invoke(buildRequest('Restart-Service', { name: ['MSExchangePOP3BE'] }, 'EX01'));
    expect(pendingSettings((await b.state()).servers?.[0]?.pop3 as never)).toEqual([]);
    expect((await readProtocolService(b, 'EX01', 'pop3')).frontEnd).toEqual({ name: 'MSExchangePOP3', startupType: 'Automatic', state: 'Running' });
  });

  it('checks settings with the model\'s parsers and stores them in Exchange\'s printed form', async () => {
    const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeServer' }) });
    await b.invoke(buildRequest('Set-ImapSettings', { server: 'EX01', externalConnectionSettings: [' mail.contoso.com:993:Ssl ', 'mail.contoso.com:143:tls'], preAuthenticatedConnectionTimeout: '0.00:00:45' }));
    const s = await readProtocolSettings(b, 'EX01', 'imap4');
    expect(s.externalConnectionSettings).toEqual(['mail.contoso.com:993:SSL', 'mail.contoso.com:143:TLS']);
    expect(s.preAuthenticatedConnectionTimeout).toBe('00:00:45');
    for (const [parameters, parameter] of [
      [{ sslBindings: ['0.0.0.0:99999'] }, 'SSLBindings'],
      [{ unencryptedOrTLSBindings: ['::1:143'] }, 'UnencryptedOrTLSBindings'],
      [{ externalConnectionSettings: ['mail.contoso.com:0:SSL'] }, 'ExternalConnectionSettings'],
      [{ internalConnectionSettings: ['mail.contoso.com:993:STARTTLS'] }, 'InternalConnectionSettings'],
      [{ authenticatedConnectionTimeout: '00:00:29' }, 'AuthenticatedConnectionTimeout'],
    ] as const) {
      const e = await rejection(b.invoke(buildRequest('Set-ImapSettings', { server: 'EX01', ...parameters })));
      expect(e.info.message).toMatch(new RegExp(`on parameter '${parameter}'`));
    }
  });

  it('rejects invalid values before changing anything', async () => {
    const b = openBackend({ kind: 'simulator', statePath: writeOrg({ platform: 'exchangeServer' }) });
    const bad = await rejection(b.invoke(buildRequest('Set-PopSettings', { server: 'EX01', loginType: 'PlainTextLogin', externalConnectionSettings: ['mail.contoso.com:110:'] })));
    expect(bad.info.category).toBe('InvalidData');
    expect((await readProtocolSettings(b, 'EX01', 'pop3')).loginType).toBe('SecureLogin');
    expect((await rejection(b.invoke(buildRequest('Set-ImapSettings', { server: 'EX01', authenticatedConnectionTimeout: '02:00:00' })))).info.message).toMatch(/between/);
    expect((await rejection(b.invoke(buildRequest('Get-PopSettings', { server: 'EX09' })))).info.type).toMatch(/NotFound/);
    expect((await rejection(b.invoke(buildRequest('Get-Service', { name: ['MSExchangePOP4'] }, 'EX01')))).info.message).toMatch(/MSExchangePOP4/);
    expect((await rejection(b.invoke(buildRequest('Set-CASMailbox', { identity: 'x', smtpClientAuthenticationDisabled: true })))).info.message).toMatch(/SmtpClientAuthenticationDisabled/);
  });
});
