import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCasMailboxes } from '../../src/exchange/reader';
import { readProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { readTransportConfig } from '../../src/reconcile/kinds/transport-config-read';
import { SimulatorBackend } from '../../src/simulator/backend';
import { runCli } from '../cli/run-cli';
import { tempDir } from './helpers';

const cli = (...argv: string[]) => runCli(argv);

describe('mailpolicy sim', () => {
  it('init creates an Exchange Online organisation with the asked cloud and mailboxes, and refuses to overwrite', async () => {
    const state = join(tempDir(), 'org.json');
    const r = await cli('sim', 'init', '--platform', 'exchangeOnline', '--cloud', 'gcc', '--organization', 'agency.onmicrosoft.com', '--mailboxes', '25', '--state', state);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('Exchange Online (gcc) agency.onmicrosoft.com, 25 mailbox(es)');
    const b = new SimulatorBackend({ statePath: state });
    expect(await b.connection()).toEqual({ platform: 'exchangeOnline', cloud: 'gcc', organization: 'agency.onmicrosoft.com' });
    expect(await readCasMailboxes(b)).toHaveLength(25);
    const again = await cli('sim', 'init', '--platform', 'exchangeOnline', '--state', state);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists \(use --force/);
  });

  it('init --accepted-domain adds accepted domains beside the organisation name; Get-AcceptedDomain and show list them', async () => {
    const state = join(tempDir(), 'org.json');
    const r = await cli('sim', 'init', '--platform', 'exchangeOnline', '--accepted-domain', 'contoso.com,mail.contoso.com', '--accepted-domain', 'contoso.onmicrosoft.com', '--state', state);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const listed = JSON.parse((await cli('sim', 'invoke', '--state', state, 'Get-AcceptedDomain', 'ResultSize=Unlimited')).stdout) as { DomainName: string }[];
    expect(listed.map((d) => d.DomainName)).toEqual(['contoso.onmicrosoft.com', 'contoso.com', 'mail.contoso.com']);
    expect((await cli('sim', 'show', '--state', state)).stdout).toContain('accepted domains: contoso.onmicrosoft.com, contoso.com, mail.contoso.com\n');
    const plain = join(tempDir(), 'plain.json');
    await cli('sim', 'init', '--platform', 'exchangeServer', '--organization', 'woodgrove.com', '--state', plain);
    expect(JSON.parse((await cli('sim', 'invoke', '--state', plain, 'Get-AcceptedDomain')).stdout)).toMatchObject([{ DomainName: 'woodgrove.com', Default: true }]);
    // -ResultSize exists only in Exchange Online.
    expect((await cli('sim', 'invoke', '--state', plain, 'Get-AcceptedDomain', 'ResultSize=Unlimited')).stderr).toMatch(/parameter .*ResultSize/i);
  });

  it('init creates Exchange Server with named servers; --cloud is refused there', async () => {
    const state = join(tempDir(), 'onprem.json');
    expect((await cli('sim', 'init', '--platform', 'exchangeServer', '--servers', 'EX01,EX02', '--mailboxes', '3', '--state', state)).code).toBe(0);
    const b = new SimulatorBackend({ statePath: state });
    expect((await readProtocolSettings(b, 'EX02', 'pop3')).internalConnectionSettings).toEqual(['ex02.contoso.com:995:SSL', 'ex02.contoso.com:110:TLS']);
    const bad = await cli('sim', 'init', '--platform', 'exchangeServer', '--cloud', 'dod', '--state', join(tempDir(), 'x.json'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cloud applies to --platform exchangeOnline only/);
  });

  it('invoke injects drift and reports Exchange errors with exit 2; show prints the result', async () => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--mailboxes', '3', '--state', state);
    expect((await cli('sim', 'invoke', '--state', state, 'Set-TransportConfig', 'AllowLegacyTLSClients=true')).code).toBe(0);
    expect((await cli('sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=user000002@contoso.com', 'PopEnabled=false', 'SmtpClientAuthenticationDisabled=false')).code).toBe(0);
    const missing = await cli('sim', 'invoke', '--state', state, 'Set-CASMailbox', 'Identity=ghost', 'PopEnabled=false');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/object 'ghost' couldn't be found/);
    const read = await cli('sim', 'invoke', '--state', state, 'Get-TransportConfig');
    expect(JSON.parse(read.stdout)).toEqual({ AllowLegacyTLSClients: true, SmtpClientAuthenticationDisabled: true });
    expect((await readTransportConfig(new SimulatorBackend({ statePath: state }))).allowLegacyTLSClients).toBe(true);
    const shown = await cli('sim', 'show', '--state', state);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('AllowLegacyTLSClients $true');
    expect(shown.stdout).toContain('mailboxes: 3 (POP disabled 1, IMAP disabled 0, SMTP AUTH override on 1 / off 0)');
    expect(shown.stdout).toContain('writes applied: Set-TransportConfig ×1, Set-CASMailbox ×1');
    const json = JSON.parse((await cli('sim', 'show', '--state', state, '--format', 'json')).stdout) as { mailboxes: { popDisabled: number } };
    expect(json.mailboxes.popDisabled).toBe(1);
    const unknown = await cli('sim', 'invoke', '--state', state, 'Invoke-Expression');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/not in the cmdlet catalog/);
  });

  it.each(['exchangeOnline', 'exchangeServer'])('invoke -Identity (%s): every form Exchange takes, the derived GUID and distinguished name included, in any case; a name of another shape finds nothing', async (platform) => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', platform, '--mailboxes', '3', '--state', state);
    // Get-User (both platforms) prints the GUID and distinguished name the simulator derives.
    const { Guid, DistinguishedName } = JSON.parse((await cli('sim', 'invoke', '--state', state, 'Get-User', 'Identity=user000002')).stdout) as { Guid: string; DistinguishedName: string };
    expect(DistinguishedName).toMatch(/^CN=user000002,/);
    for (const identity of [Guid, Guid.toUpperCase(), DistinguishedName, DistinguishedName.toLowerCase(), 'USER000002@contoso.com', 'user000002']) {
      const found = await cli('sim', 'invoke', '--state', state, 'Get-User', `Identity=${identity}`);
      expect(found.stderr).toBe('');
      expect(JSON.parse(found.stdout)).toMatchObject({ Identity: 'user000002', Guid });
    }
    for (const identity of [DistinguishedName.replace('user000002', 'user000009'), Guid.replace(/^./, (c) => (c === '0' ? '1' : '0')), `${DistinguishedName},DC=extra`]) {
      const missing = await cli('sim', 'invoke', '--state', state, 'Get-User', `Identity=${identity}`);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/couldn't be found/);
    }
  });

  it('show reports pending restarts on Exchange Server', async () => {
    const state = join(tempDir(), 'onprem.json');
    await cli('sim', 'init', '--platform', 'exchangeServer', '--state', state);
    await cli('sim', 'invoke', '--state', state, 'Set-PopSettings', 'Server=EX01', 'LoginType=PlainTextLogin');
    expect((await cli('sim', 'show', '--state', state)).stdout).toContain('EX01 POP3: front end Manual/Stopped, back end Manual/Stopped, LoginType PlainTextLogin, pending restart: LoginType');
  });

  it('invoke runs a service cmdlet on the server --computer-name names (Invoke-Command\'s target); Set-Service takes one name', async () => {
    const state = join(tempDir(), 'onprem.json');
    await cli('sim', 'init', '--platform', 'exchangeServer', '--servers', 'EX01,EX02', '--state', state);
    // Set-Service.md: -Name <String>, "only accepts one service name at a time".
    expect(await cli('sim', 'invoke', '--state', state, '--computer-name', 'EX02', 'Set-Service', 'Name=MSExchangePOP3', 'StartupType=Automatic')).toMatchObject({ code: 0, stderr: '' });
    const read = await cli('sim', 'invoke', '--state', state, '--computer-name', 'EX02', 'Get-Service', 'Name=["MSExchangePOP3","MSExchangePOP3BE"]');
    expect((JSON.parse(read.stdout) as { StartType: string }[]).map((s) => s.StartType)).toEqual(['Automatic', 'Manual']);
    expect((await cli('sim', 'show', '--state', state)).stdout).toContain('EX01 POP3: front end Manual/Stopped');
    const list = await cli('sim', 'invoke', '--state', state, '--computer-name', 'EX02', 'Set-Service', 'Name=["MSExchangePOP3","MSExchangePOP3BE"]', 'StartupType=Automatic');
    expect(list.code).toBe(2);
    expect(list.stderr).toMatch(/Set-Service: .*'Name'/);
    // The server is Invoke-Command's, not a parameter: required for a service cmdlet, refused for any other.
    const noServer = await cli('sim', 'invoke', '--state', state, 'Get-Service', 'Name=["MSExchangePOP3"]');
    expect([noServer.code, noServer.stderr]).toEqual([2, expect.stringContaining('Get-Service runs on an Exchange server: name it with --computer-name')]);
    const asParameter = await cli('sim', 'invoke', '--state', state, 'Get-Service', 'Name=["MSExchangePOP3"]', 'ComputerName=EX01');
    expect(asParameter.code).toBe(2);
    const stray = await cli('sim', 'invoke', '--state', state, '--computer-name', 'EX01', 'Set-PopSettings', 'Server=EX01', 'LoginType=PlainTextLogin');
    expect([stray.code, stray.stderr]).toEqual([2, expect.stringContaining('--computer-name is only for the Windows service cmdlets')]);
  });

  // Property sets as Microsoft lists them (office-docs-powershell exchange/docs-conceptual/cmdlet-property-sets.md,
  // "Get-EXOCasMailbox property sets"; Get-EXOCasMailbox.md -PropertySets): each returns the properties of its row the simulator models.
  it('invoke Get-EXOCasMailbox: every documented property set is accepted and returns its documented properties (Minimum has PopEnabled and ImapEnabled)', async () => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--mailboxes', '2', '--state', state);
    const read = async (...args: string[]) => {
      const r = await cli('sim', 'invoke', '--state', state, 'Get-EXOCasMailbox', 'Identity=user000001', ...args);
      expect(r.code, r.stderr).toBe(0);
      return Object.keys(JSON.parse(r.stdout) as Record<string, unknown>).sort();
    };
    const minimum = ['EmailAddresses', 'Guid', 'Identity', 'ImapEnabled', 'Name', 'PopEnabled', 'PrimarySmtpAddress'];
    expect(await read()).toEqual(minimum);
    expect(await read('PropertySets=["Minimum"]')).toEqual(minimum);
    // The Pop and Imap sets carry the per-mailbox options; Pop without PopForceICalForCalendarRetrievalOption, as Microsoft's table lists it.
    expect(await read('PropertySets=["Pop"]')).toEqual(['Guid', 'Identity', 'Name', 'PopEnabled', 'PopMessagesRetrievalMimeFormat', 'PopSuppressReadReceipt', 'PopUseProtocolDefaults']);
    expect(await read('PropertySets=["Imap"]')).toEqual(['Guid', 'Identity', 'ImapEnabled', 'ImapForceICalForCalendarRetrievalOption', 'ImapMessagesRetrievalMimeFormat', 'ImapSuppressReadReceipt', 'ImapUseProtocolDefaults', 'Name']);
    for (const set of ['ActiveSync', 'Ews', 'Mapi', 'ProtocolSettings']) expect(await read(`PropertySets=["${set}"]`), set).toEqual(['Guid', 'Identity', 'Name']);
    const options = ['Pop', 'Imap'].flatMap((p) => ['UseProtocolDefaults', 'MessagesRetrievalMimeFormat', 'ForceICalForCalendarRetrievalOption', 'SuppressReadReceipt'].map((o) => p + o));
    expect(await read('PropertySets=["All"]')).toEqual([...minimum, 'SmtpClientAuthenticationDisabled', ...options].sort());
    expect(await read('PropertySets=["Pop"]', 'Properties=["SmtpClientAuthenticationDisabled","PrimarySmtpAddress"]')).toEqual(['Guid', 'Identity', 'Name', 'PopEnabled', 'PopMessagesRetrievalMimeFormat', 'PopSuppressReadReceipt', 'PopUseProtocolDefaults', 'PrimarySmtpAddress', 'SmtpClientAuthenticationDisabled']);
    const bogus = await cli('sim', 'invoke', '--state', state, 'Get-EXOCasMailbox', 'Identity=user000001', 'PropertySets=["Owa"]');
    expect([bogus.code, bogus.stderr]).toEqual([2, expect.stringContaining('PropertySets')]);
  });

  // Set-CASMailbox.md: the POP3/IMAP4 options, their defaults, and *EnableExactRFC822Size on Exchange Server only.
  it('invoke Set-CASMailbox: the POP/IMAP options are stored per mailbox, read back by Get-CASMailbox and Get-EXOCasMailbox -Properties, and refused where the platform lacks them', async () => {
    const onprem = join(tempDir(), 'onprem.json');
    await cli('sim', 'init', '--platform', 'exchangeServer', '--mailboxes', '2', '--state', onprem);
    const get = async (state: string, cmdlet: string, ...args: string[]) => JSON.parse((await cli('sim', 'invoke', '--state', state, cmdlet, 'Identity=user000001', ...args)).stdout) as Record<string, unknown>;
    const defaults = {
      PopUseProtocolDefaults: true,
      PopMessagesRetrievalMimeFormat: 'BestBodyFormat',
      PopForceICalForCalendarRetrievalOption: false,
      PopSuppressReadReceipt: false,
      PopEnableExactRFC822Size: false,
      ImapUseProtocolDefaults: true,
      ImapMessagesRetrievalMimeFormat: 'BestBodyFormat',
      ImapForceICalForCalendarRetrievalOption: false,
      ImapSuppressReadReceipt: false,
      ImapEnableExactRFC822Size: false,
    };
    expect(await get(onprem, 'Get-CASMailbox')).toMatchObject(defaults);
    const set = await cli('sim', 'invoke', '--state', onprem, 'Set-CASMailbox', 'Identity=user000001', 'PopUseProtocolDefaults=false', 'PopMessagesRetrievalMimeFormat=TextOnly', 'ImapEnableExactRFC822Size=true');
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(await get(onprem, 'Get-CASMailbox')).toMatchObject({ ...defaults, PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly', ImapEnableExactRFC822Size: true });
    // Only the changed mailbox is listed in the state; setting the defaults back removes it.
    expect(JSON.parse(readFileSync(onprem, 'utf8')).mailboxOptions).toEqual({ [String((await get(onprem, 'Get-CASMailbox')).Identity)]: { PopUseProtocolDefaults: false, PopMessagesRetrievalMimeFormat: 'TextOnly', ImapEnableExactRFC822Size: true } });
    await cli('sim', 'invoke', '--state', onprem, 'Set-CASMailbox', 'Identity=user000001', 'PopUseProtocolDefaults=true', 'PopMessagesRetrievalMimeFormat=BestBodyFormat', 'ImapEnableExactRFC822Size=false');
    expect(JSON.parse(readFileSync(onprem, 'utf8')).mailboxOptions).toEqual({});
    expect(await get(onprem, 'Get-CASMailbox', 'Identity=user000002')).toMatchObject(defaults);

    const online = join(tempDir(), 'online.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--mailboxes', '2', '--state', online);
    expect((await cli('sim', 'invoke', '--state', online, 'Set-CASMailbox', 'Identity=user000001', 'ImapUseProtocolDefaults=false', 'ImapSuppressReadReceipt=true')).code).toBe(0);
    expect(await get(online, 'Get-EXOCasMailbox', 'Properties=["ImapUseProtocolDefaults","ImapSuppressReadReceipt"]')).toMatchObject({ ImapUseProtocolDefaults: false, ImapSuppressReadReceipt: true });
    const refused = await cli('sim', 'invoke', '--state', online, 'Set-CASMailbox', 'Identity=user000001', 'PopEnabled=false', 'PopEnableExactRFC822Size=true');
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('PopEnableExactRFC822Size')]);
    // Nothing changed: the refusal comes before any write.
    expect(await get(online, 'Get-EXOCasMailbox')).toMatchObject({ PopEnabled: true });
  });

  it('invoke Set-OrganizationConfig DefaultAuthenticationPolicy=null: accepted, removes the organisation default', async () => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--state', state);
    expect((await cli('sim', 'invoke', '--state', state, 'New-AuthenticationPolicy', 'Name=Block Basic')).code).toBe(0);
    expect((await cli('sim', 'invoke', '--state', state, 'Set-OrganizationConfig', 'DefaultAuthenticationPolicy=Block Basic')).code).toBe(0);
    expect(JSON.parse((await cli('sim', 'invoke', '--state', state, 'Get-OrganizationConfig')).stdout)).toMatchObject({ DefaultAuthenticationPolicy: expect.stringContaining('Block Basic') });
    expect(await cli('sim', 'invoke', '--state', state, 'Set-OrganizationConfig', 'DefaultAuthenticationPolicy=null')).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse((await cli('sim', 'invoke', '--state', state, 'Get-OrganizationConfig')).stdout)).toMatchObject({ DefaultAuthenticationPolicy: null });
  });

  it('faults adds and clears injected faults', async () => {
    const state = join(tempDir(), 'org.json');
    await cli('sim', 'init', '--platform', 'exchangeOnline', '--state', state);
    const added = await cli('sim', 'faults', '--state', state, '--add', 'transient', '--cmdlet', 'Get-TransportConfig', '--times', '2', '--latency-ms', '5');
    expect(added.stdout).toContain('{"kind":"transient","cmdlet":"Get-TransportConfig","times":2}');
    await expect(readTransportConfig(new SimulatorBackend({ statePath: state }))).rejects.toThrow(/server is busy/);
    expect((await cli('sim', 'faults', '--state', state, '--clear')).stdout).toBe('no faults\n');
    const missing = await cli('sim', 'show', '--state', join(tempDir(), 'none.json'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such simulator state/);
  });
});
