/** A failed read is an error, never "absent": the reader throws instead of returning empty or default values. */
import { describe, expect, it } from 'vitest';
import { readCasMailboxes, readServers } from '../../src/exchange/reader';
import { readAuthenticationPolicies } from '../../src/reconcile/kinds/authentication-policy-read';
import { readCasMailboxPlans } from '../../src/reconcile/kinds/cas-mailbox-plan-read';
import { readProtocolService } from '../../src/reconcile/kinds/protocol-service-read';
import { readProtocolSettings } from '../../src/reconcile/kinds/protocol-settings-read';
import { readTransportConfig } from '../../src/reconcile/kinds/transport-config-read';
import { ExchangeError, type BackendStats, type BatchItemResult, type CmdletRequest, type ExchangeBackend, type JsonValue } from '../../src/exchange/types';
import { SimulatorBackend } from '../../src/simulator/backend';
import { rejection, writeOrg } from '../simulator/helpers';

/** A backend whose reads answer with what a broken host might send. */
function answering(data: (r: CmdletRequest) => JsonValue, platform: 'exchangeOnline' | 'exchangeServer' = 'exchangeOnline'): ExchangeBackend {
  const stats: BackendStats = { processSpawns: 0, connects: 0, roundTrips: 0, calls: {} };
  return {
    kind: 'simulator',
    describe: () => 'test backend',
    connection: async () => ({ platform, organization: 'x' }),
    invoke: async (r) => data(r),
    invokeBatch: async (rs): Promise<BatchItemResult[]> => rs.map((r) => ({ ok: true, data: data(r), warnings: [] })),
    stats: () => stats,
    close: async () => undefined,
  };
}

describe('reader: failed reads throw', () => {
  it('passes Exchange errors through for every section', async () => {
    const online = new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeOnline' }), faults: [{ kind: 'permanent', times: 99, message: 'Access is denied.' }] });
    for (const read of [readTransportConfig, readAuthenticationPolicies, readCasMailboxPlans, readCasMailboxes]) {
      expect((await rejection(read(online))).info.message).toBe('Access is denied.');
    }
    const onPrem = new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeServer' }) });
    expect((await rejection(readProtocolSettings(onPrem, 'EX07', 'pop3'))).info.type).toMatch(/NotFound/);
    expect((await rejection(readProtocolService(onPrem, 'EX07', 'imap4'))).info.message).toMatch(/EX07/);
    const deniedServers = new SimulatorBackend({ statePath: writeOrg({ platform: 'exchangeServer' }), faults: [{ kind: 'permanent', cmdlet: 'Get-ExchangeServer', message: 'Access is denied.' }] });
    expect((await rejection(readServers(deniedServers))).info.message).toBe('Access is denied.');
  });

  it('reads servers as the host shapes them, and refuses a server without a name', async () => {
    // AdminDisplayVersion too (issue 12, item 7): the build, as the host prints it.
    const listed = answering(
      (): JsonValue => [{ Name: 'EX01', ServerRole: 'Mailbox, ClientAccess', AdminDisplayVersion: 'Version 15.2 (Build 1748.24)' }, { Name: 'EDGE01', ServerRole: 'Edge' }, { Name: 'EX02', ServerRole: null }],
      'exchangeServer',
    );
    expect(await readServers(listed)).toEqual([
      { name: 'EX01', serverRole: 'Mailbox, ClientAccess', adminDisplayVersion: 'Version 15.2 (Build 1748.24)' },
      { name: 'EDGE01', serverRole: 'Edge', adminDisplayVersion: null },
      { name: 'EX02', serverRole: null, adminDisplayVersion: null },
    ]);
    // PowerShell unwraps a single result.
    expect(await readServers(answering(() => ({ Name: 'EX01', ServerRole: 'Mailbox' }), 'exchangeServer'))).toEqual([{ name: 'EX01', serverRole: 'Mailbox', adminDisplayVersion: null }]);
    await expect(readServers(answering((): JsonValue => [{ Name: 'EX01', ServerRole: 'Mailbox' }, { ServerRole: 'Mailbox' }], 'exchangeServer'))).rejects.toThrow(/Get-ExchangeServer returned no server name/);
    await expect(readServers(answering(() => ['EX01'], 'exchangeServer'))).rejects.toThrow(/expected an object/);
  });

  it('treats an empty or malformed answer as a failure, not as defaults', async () => {
    await expect(readTransportConfig(answering(() => null))).rejects.toBeInstanceOf(ExchangeError);
    await expect(readTransportConfig(answering(() => 'AllowLegacyTLSClients : True'))).rejects.toThrow(/expected an object/);
    await expect(readProtocolSettings(answering(() => [], 'exchangeServer'), 'EX01', 'pop3')).rejects.toThrow(/returned no object/);
    // Only one of the two services came back.
    await expect(readProtocolService(answering(() => [{ Name: 'MSExchangePOP3', StartType: 'Manual', Status: 'Stopped' }], 'exchangeServer'), 'EX01', 'pop3')).rejects.toThrow(/MSExchangePOP3BE on EX01/);
  });

  it('reads host-shaped objects: endpoint objects, IPEndPoints and TimeSpans normalise like strings', async () => {
    const settings = await readProtocolSettings(
      answering(
        () => ({
          ExternalConnectionSettings: [{ Hostname: 'mail.contoso.com', Port: 995, EncryptionType: 'SSL' }, { Hostname: 'mail.contoso.com', Port: 110, EncryptionType: null }],
          InternalConnectionSettings: 'ex01.contoso.com:995:SSL',
          SSLBindings: [{ Address: '::', Port: 995 }, { Address: '0.0.0.0', Port: 995 }],
          UnencryptedOrTLSBindings: null,
          LoginType: 'SecureLogin',
          AuthenticatedConnectionTimeout: { TotalSeconds: 1800 },
          PreAuthenticatedConnectionTimeout: '0.00:01:00',
          MaxConnections: 10,
        }),
        'exchangeServer',
      ),
      'EX01',
      'pop3',
    );
    expect(settings).toMatchObject({
      externalConnectionSettings: ['mail.contoso.com:995:SSL', 'mail.contoso.com:110'],
      internalConnectionSettings: ['ex01.contoso.com:995:SSL'],
      sslBindings: ['[::]:995', '0.0.0.0:995'],
      unencryptedOrTLSBindings: [],
      authenticatedConnectionTimeout: '00:30:00',
      preAuthenticatedConnectionTimeout: '00:01:00',
      protocolLogEnabled: false,
    });
  });

  it('reads connection settings with the encryption in capitals, the model\'s spelling, however they came back', async () => {
    const settings = await readProtocolSettings(
      answering(
        () => ({
          ExternalConnectionSettings: ['mail.contoso.com:995:Ssl', 'mail.contoso.com:143:tls', 'mail.contoso.com:110'],
          InternalConnectionSettings: [{ Hostname: 'ex01.contoso.com', Port: 995, EncryptionType: 'Ssl' }],
        }),
        'exchangeServer',
      ),
      'EX01',
      'imap4',
    );
    expect(settings.externalConnectionSettings).toEqual(['mail.contoso.com:995:SSL', 'mail.contoso.com:143:TLS', 'mail.contoso.com:110']);
    expect(settings.internalConnectionSettings).toEqual(['ex01.contoso.com:995:SSL']);
  });
});
