import { describe, expect, it } from 'vitest';
import { restoration } from '../../src/reconcile/defaults';
import { planRemoveAuthenticationPolicy } from '../../src/reconcile/kinds/authentication-policy';

const target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' } as const;
const onPrem = { platform: 'exchangeServer', organization: 'woodgrove.com' } as const;

describe('restoreDefaultsOnDelete: only managed keys go back, to defaults known without asking', () => {
  it.each([
    ['transport config', restoration('TransportConfig', { target, transportConfig: { allowLegacyTLSClients: true } }), { transportConfig: { allowLegacyTLSClients: false } }, []],
    ['mailbox plan', restoration('CasMailboxPlan', { target, plan: { identity: 'ExchangeOnline', popEnabled: false } }), { plan: { identity: 'ExchangeOnline', popEnabled: true } }, []],
    [
      'transport config: SMTP AUTH has no tenant-independent default',
      restoration('TransportConfig', { target, transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false } }),
      { transportConfig: { allowLegacyTLSClients: false } },
      ['smtpClientAuthenticationDisabled'],
    ],
    ['deskless plan: IMAP off', restoration('CasMailboxPlan', { target, plan: { identity: 'ExchangeOnlineDeskless-1b2c', imapEnabled: true } }), { plan: { identity: 'ExchangeOnlineDeskless-1b2c', imapEnabled: false } }, []],
    [
      'POP3 settings: certificate name and internal settings depend on the server',
      restoration('PopSettings', { target: onPrem, server: 'EX01', settings: { loginType: 'PlainTextLogin', x509CertificateName: 'mail.woodgrove.com', sslBindings: ['0.0.0.0:995'] } }),
      { settings: { loginType: 'SecureLogin', sslBindings: ['[::]:995', '0.0.0.0:995'] } },
      ['x509CertificateName'],
    ],
    ['IMAP4 bindings', restoration('ImapSettings', { target: onPrem, server: 'EX01', settings: { unencryptedOrTLSBindings: [] } }), { settings: { unencryptedOrTLSBindings: ['[::]:143', '0.0.0.0:143'] } }, []],
    ['services', restoration('ProtocolService', { target: onPrem, server: 'EX01', protocol: 'pop3', service: { state: 'Running' } }), { service: { state: 'Stopped' } }, []],
    [
      'mailboxes: every key the default or an exception managed, for every mailbox',
      restoration('CasMailboxProtocol', { target, casMailboxes: { default: { popEnabled: false }, exceptions: [{ identities: ['a@contoso.com'], smtpClientAuthenticationDisabled: false }] } }),
      { casMailboxes: { default: { popEnabled: true, smtpClientAuthenticationDisabled: null }, exceptions: [] } },
      [],
    ],
  ])('%s', (_name, restore, inputs, left) => {
    expect(restore).toEqual({ kind: 'plan', inputs: expect.objectContaining(inputs), left });
  });

  it('an authentication policy is removed, unless it is the organisation default', () => {
    expect(restoration('AuthenticationPolicy', { target, policy: { name: 'Block' } })).toEqual({ kind: 'remove', name: 'Block' });
    const ref = { kind: 'AuthenticationPolicy', name: 'r' } as const;
    const policies = [{ name: 'Block', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false }];
    expect(planRemoveAuthenticationPolicy(ref, 'block', { policies, defaultPolicy: null }).changes.map((c) => c.request)).toEqual([
      { cmdlet: 'Remove-AuthenticationPolicy', parameters: { Identity: 'Block', Confirm: false } },
    ]);
    expect(planRemoveAuthenticationPolicy(ref, 'Block', { policies, defaultPolicy: 'Block' })).toEqual({ changes: [], notes: ['authentication policy Block is the organisation default: left in place'] });
    expect(planRemoveAuthenticationPolicy(ref, 'Gone', { policies, defaultPolicy: null }).changes).toEqual([]);
  });
});
