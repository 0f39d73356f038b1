import { describe, expect, it } from 'vitest';
import { withoutLookups } from '../../src/reconcile/mailbox-identities';
import type { ResourceInputsByKind } from '../../providers/resource-types';
import { refreshedInputs } from '../../providers/refresh';
import { planResource } from '../../src/reconcile/planner';
import { mailbox, popServices, popSettings } from '../reconcile/fixtures';

const target = { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' } as const;
const onPrem = { platform: 'exchangeServer', organization: 'woodgrove.local' } as const;

/** Refreshed inputs, planned again against the same organisation, must show no drift. */
describe('refresh: inputs describing the organisation as it is', () => {
  it('transport config: the drifted key takes the actual value', () => {
    const inputs: ResourceInputsByKind['TransportConfig'] = { target, transportConfig: { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true } };
    const actual = { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true };
    const planned = planResource('TransportConfig', { kind: 'TransportConfig', name: 'r' }, inputs, actual);
    const refreshed = refreshedInputs('TransportConfig', inputs, planned.changes);
    expect(refreshed.transportConfig).toEqual({ allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true });
    expect(planResource('TransportConfig', { kind: 'TransportConfig', name: 'r' }, refreshed, actual).changes).toEqual([]);
  });

  it('settings: equal-but-differently-written values keep their declared form; drift shows', () => {
    const inputs: ResourceInputsByKind['PopSettings'] = { target: onPrem, server: 'EX01', settings: { sslBindings: ['0.0.0.0:995', '[::]:995'], loginType: 'SecureLogin' } };
    const actual = popSettings('EX01', { loginType: 'PlainTextLogin' });
    const planned = planResource('PopSettings', { kind: 'PopSettings', name: 'r' }, inputs, actual);
    const refreshed = refreshedInputs('PopSettings', inputs, planned.changes);
    expect(refreshed.settings).toEqual({ sslBindings: ['0.0.0.0:995', '[::]:995'], loginType: 'PlainTextLogin' });
  });

  it('services: the pair reports the actual state and startup type', () => {
    const inputs: ResourceInputsByKind['ProtocolService'] = { target: onPrem, server: 'EX01', protocol: 'pop3', service: { startupType: 'Automatic', state: 'Running' } };
    const actual = popServices(['Manual', 'Stopped']);
    const planned = planResource('ProtocolService', { kind: 'ProtocolService', name: 'r' }, inputs, actual);
    expect(refreshedInputs('ProtocolService', inputs, planned.changes).service).toEqual({ startupType: 'Manual', state: 'Stopped' });
  });

  it('authentication policy no longer the default: default becomes false', () => {
    const inputs: ResourceInputsByKind['AuthenticationPolicy'] = { target, policy: { name: 'Block', allowBasicAuthSmtp: false, default: true } };
    const actual = { policies: [{ name: 'Block', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: true }], defaultPolicy: 'Other' };
    const planned = planResource('AuthenticationPolicy', { kind: 'AuthenticationPolicy', name: 'r' }, inputs, actual);
    expect(refreshedInputs('AuthenticationPolicy', inputs, planned.changes).policy).toEqual({ name: 'Block', allowBasicAuthSmtp: true, default: false });
  });

  it('mailboxes: drifted mailboxes become exceptions grouped by their actual values', () => {
    const inputs: ResourceInputsByKind['CasMailboxProtocol'] = { target, casMailboxes: { default: { popEnabled: false, imapEnabled: false }, exceptions: [] } };
    const actual = [
      mailbox('a@contoso.com', { popEnabled: false, imapEnabled: false }),
      mailbox('b@contoso.com', { popEnabled: true, imapEnabled: false }),
      mailbox('c@contoso.com', { popEnabled: true, imapEnabled: false }),
      mailbox('d@contoso.com', { popEnabled: true, imapEnabled: true }),
    ];
    const planned = planResource('CasMailboxProtocol', { kind: 'CasMailboxProtocol', name: 'r' }, inputs, withoutLookups(actual));
    const refreshed = refreshedInputs('CasMailboxProtocol', inputs, planned.changes);
    expect(refreshed.casMailboxes.exceptions).toEqual([
      { identities: ['b@contoso.com', 'c@contoso.com'], popEnabled: true },
      { identities: ['d@contoso.com'], popEnabled: true, imapEnabled: true },
    ]);
    expect(planResource('CasMailboxProtocol', { kind: 'CasMailboxProtocol', name: 'r' }, refreshed, withoutLookups(actual)).changes).toEqual([]);
  });

  it('no drift: the very same inputs', () => {
    const inputs: ResourceInputsByKind['TransportConfig'] = { target, transportConfig: { allowLegacyTLSClients: false } };
    expect(refreshedInputs('TransportConfig', inputs, [])).toBe(inputs);
  });
});
