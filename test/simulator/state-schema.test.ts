import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import { CLOUDS } from '../../src/model/clouds';
import { SimulatorBackend } from '../../src/simulator/backend';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState } from '../../src/simulator/state';
import { parseState, StateShapeError } from '../../src/simulator/validate-state';
import { writeOrg } from './helpers';

const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'simulator-state.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

describe('schema/simulator-state.schema.json', () => {
  it('describes every state the simulator writes', async () => {
    for (const cloud of CLOUDS) {
      const state = JSON.parse(serialiseState(newOrganisation({ platform: 'exchangeOnline', cloud, mailboxes: 3 })));
      expect(validate(state), JSON.stringify(validate.errors)).toBe(true);
    }
    const path = writeOrg({ platform: 'exchangeServer', servers: ['EX01', 'EX02'], mailboxes: 2 }, (s) => {
      s.faults = [{ kind: 'transient', cmdlet: 'Get-Service', call: 2, times: 3, message: 'busy' }];
      s.latency = { perCallMs: 1, perItemMicros: 2 };
    });
    const b = new SimulatorBackend({ statePath: path });
    await b.invoke(buildRequest('Set-PopSettings', { server: 'EX02', loginType: 'PlainTextLogin', sslBindings: ['0.0.0.0:995'] }));
    await b.invoke(buildRequest('Set-CASMailbox', { identity: 'user000001', popEnabled: false }));
    const written = JSON.parse(readFileSync(path, 'utf8'));
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    // A mailbox with names of its own (seventh column), as Exchange -Identity resolves them.
    const named = newOrganisation({ platform: 'exchangeOnline', mailboxes: 1 });
    named.mailboxes.push(['scan', 'scan@contoso.com', 'scan@contoso.onmicrosoft.com', true, true, null, { name: 'Copier', alias: 'scanner', guid: 'e2f1a0b4-7c3d-4e5f-9a8b-0c1d2e3f4a5b', emailAddresses: ['copier@contoso.com'] }]);
    const text = serialiseState(named);
    expect(validate(JSON.parse(text)), JSON.stringify(validate.errors)).toBe(true);
    expect(parseState(text, 'state.json').mailboxes[1]).toEqual(named.mailboxes[1]);
  });

  it('rejects what the loader rejects', () => {
    const good = JSON.parse(serialiseState(newOrganisation({ platform: 'exchangeOnline', mailboxes: 1 })));
    const bad = [
      { ...good, version: 2 },
      { ...good, organization: { platform: 'exchangeOnline', name: 'x' } },
      { ...good, mailboxes: [['a', 'b', 'c', true, 'yes', null]] },
      { ...good, mailboxes: [['a', 'b', 'c', true, true, null, { nickname: 'x' }]] },
      { ...good, mailboxes: [['a', 'b', 'c', true, true, null, { name: '' }]] },
      { ...good, faults: [{ kind: 'meteor' }] },
    ];
    for (const state of bad) {
      expect(validate(state)).toBe(false);
      expect(() => parseState(JSON.stringify(state), 'state.json')).toThrow(/state\.json: \//);
    }
  });

  it('checks every section the schema describes, with the file and the place of the problem', () => {
    const online = JSON.parse(serialiseState(newOrganisation({ platform: 'exchangeOnline', mailboxes: 1 })));
    const onPrem = JSON.parse(serialiseState(newOrganisation({ platform: 'exchangeServer', mailboxes: 1 })));
    const pop3 = onPrem.servers[0].pop3;
    const cases: [object, string][] = [
      [{ ...online, transportConfig: { allowLegacyTLSClients: 'yes', smtpClientAuthenticationDisabled: true } }, 'state.json: /transportConfig/allowLegacyTLSClients: expected true, false or null'],
      [{ ...online, transportConfig: { allowLegacyTLSClients: null } }, 'state.json: /transportConfig/smtpClientAuthenticationDisabled: is required'],
      [{ ...online, organizationConfig: { defaultAuthenticationPolicy: 7 } }, 'state.json: /organizationConfig/defaultAuthenticationPolicy: expected a string or null'],
      [{ ...online, authenticationPolicies: { name: 'x' } }, 'state.json: /authenticationPolicies: expected an array'],
      [{ ...online, authenticationPolicies: [{ name: 'x', allowBasicAuthPop: false, allowBasicAuthImap: false }] }, 'state.json: /authenticationPolicies/0/allowBasicAuthSmtp: is required'],
      [{ ...online, userAuthenticationPolicies: { user000001: '' } }, 'state.json: /userAuthenticationPolicies/user000001: expected a non-empty string'],
      [{ ...online, mailboxOptions: { user000001: { PopUseProtocolDefault: false } } }, 'state.json: /mailboxOptions/user000001/PopUseProtocolDefault: not a Set-CASMailbox option (PopUseProtocolDefaults, PopMessagesRetrievalMimeFormat, PopForceICalForCalendarRetrievalOption, PopSuppressReadReceipt, PopEnableExactRFC822Size, ImapUseProtocolDefaults, ImapMessagesRetrievalMimeFormat, ImapForceICalForCalendarRetrievalOption, ImapSuppressReadReceipt, ImapEnableExactRFC822Size)'],
      [{ ...online, mailboxOptions: { user000001: { ImapMessagesRetrievalMimeFormat: 'Html' } } }, 'state.json: /mailboxOptions/user000001/ImapMessagesRetrievalMimeFormat: expected one of TextOnly, HtmlOnly, HtmlAndTextAlternative, TextEnrichedOnly, TextEnrichedAndTextAlternative, BestBodyFormat, Tnef'],
      [{ ...online, casMailboxPlans: [{ identity: 'ExchangeOnline', popEnabled: 'on', imapEnabled: true }] }, 'state.json: /casMailboxPlans/0/popEnabled: expected true or false'],
      [{ ...online, latency: { perCallMs: -1 } }, 'state.json: /latency/perCallMs: expected a number ≥ 0'],
      [{ ...online, latency: { cmdletMs: { 'Set-CASMailbox': -5 } } }, 'state.json: /latency/cmdletMs/Set-CASMailbox: expected a number ≥ 0'],
      [{ ...online, throttle: { concurrency: 0 } }, 'state.json: /throttle/concurrency: expected a whole number ≥ 1'],
      [{ ...online, throttle: { retryAfterSeconds: 1 } }, 'state.json: /throttle/concurrency: is required'],
      [{ ...online, faults: [{ kind: 'throttle', times: 0 }] }, 'state.json: /faults/0/times: expected a whole number ≥ 1'],
      [{ ...online, faults: [{ kind: 'throttle', cmdlets: 'Get-Service' }] }, 'state.json: /faults/0/cmdlets: unknown property (expected kind, cmdlet, call, times, message)'],
      [{ ...online, writes: { 'Set-CASMailbox': 1.5 } }, 'state.json: /writes/Set-CASMailbox: expected a whole number ≥ 0'],
      [{ ...online, auditLog: [{ cmdlet: 'Set-CASMailbox', parameters: [], changed: true }] }, 'state.json: /auditLog/0/parameters: expected an object of parameters'],
      [{ ...online, auditLog: [{ cmdlet: 'Set-CASMailbox', parameters: {} }] }, 'state.json: /auditLog/0/changed: is required'],
      [{ ...online, mailbox: [] }, 'state.json: /mailbox: unknown property (expected version, organization, transportConfig, organizationConfig, authenticationPolicies, casMailboxPlans, mailboxes, userAuthenticationPolicies, userStsRefreshTokensValidFrom, mailboxOptions, servers, receiveConnectors, latency, throttle, faults, writes, auditLog)'],
      [{ ...onPrem, servers: [{ ...onPrem.servers[0], pop3: { ...pop3, settings: { ...pop3.settings, LoginType: 'Kerberos' } } }] }, 'state.json: /servers/0/pop3/settings/LoginType: expected one of PlainTextLogin, PlainTextAuthentication, SecureLogin'],
      [{ ...onPrem, servers: [{ ...onPrem.servers[0], pop3: { ...pop3, settings: { ...pop3.settings, SSLBindings: '0.0.0.0:995' } } }] }, 'state.json: /servers/0/pop3/settings/SSLBindings: expected a list of strings'],
      [{ ...onPrem, servers: [{ ...onPrem.servers[0], pop3: { ...pop3, frontEnd: { ...pop3.frontEnd, status: 'Paused' } } }] }, 'state.json: /servers/0/pop3/frontEnd/status: expected one of Running, Stopped'],
      [{ ...onPrem, servers: [{ ...onPrem.servers[0], imap4: undefined }] }, 'state.json: /servers/0/imap4: is required'],
      [
        { ...onPrem, receiveConnectors: [{ ...onPrem.receiveConnectors[0], settings: { ...onPrem.receiveConnectors[0].settings, AuthMechanism: ['Tls', 'Kerberos'] } }] },
        'state.json: /receiveConnectors/0/settings/AuthMechanism/1: expected one of None, Tls, Integrated, BasicAuth, BasicAuthRequireTLS, ExchangeServer, ExternalAuthoritative',
      ],
      [{ ...onPrem, receiveConnectors: [{ ...onPrem.receiveConnectors[0], server: undefined }] }, 'state.json: /receiveConnectors/0/server: is required'],
      [[], 'state.json: /: expected an object with version, organization, transportConfig, organizationConfig, authenticationPolicies, casMailboxPlans, mailboxes, userAuthenticationPolicies, userStsRefreshTokensValidFrom, mailboxOptions, servers, receiveConnectors, latency, throttle, faults, writes, auditLog'],
    ];
    for (const [state, message] of cases) {
      expect(validate(state), message).toBe(false);
      expect(() => parseState(JSON.stringify(state), 'state.json')).toThrow(new StateShapeError(message));
    }
  });
});
