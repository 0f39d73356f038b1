import { describe, expect, it } from 'vitest';
import { withoutLookups } from '../../src/reconcile/mailbox-identities';
import type { MailPolicy } from '../../src/model/types';
import { changesByResource } from '../../src/reconcile/plan';
import { planOrganisation, serverProtocolKey, type ActualOrganisation } from '../../src/reconcile/planner';
import { desiredResources } from '../../src/reconcile/resources';
import { online, onPrem } from '../support/documents';
import { imapServices, mailbox, popServices, popSettings } from './fixtures';

const servers: MailPolicy['servers'] = [
  {
    name: 'EX01',
    pop3: { service: { startupType: 'Automatic', state: 'Running' }, settings: { loginType: 'SecureLogin', protocolLogEnabled: true } },
    imap4: { service: { startupType: 'Disabled', state: 'Stopped' } },
  },
  { name: 'EX02', pop3: { settings: { protocolLogEnabled: true } }, imap4: { settings: { protocolLogEnabled: true } } },
];

function onPremActual(overrides: { ex01PopLog?: boolean; ex02PopLog?: boolean; ex02ImapLog?: boolean } = {}): ActualOrganisation {
  return {
    protocolSettings: new Map([
      [serverProtocolKey('EX01', 'pop3'), popSettings('EX01', { protocolLogEnabled: overrides.ex01PopLog ?? true })],
      [serverProtocolKey('EX02', 'pop3'), popSettings('EX02', { protocolLogEnabled: overrides.ex02PopLog ?? true })],
      [serverProtocolKey('EX02', 'imap4'), popSettings('EX02', { protocolLogEnabled: overrides.ex02ImapLog ?? true })],
    ]),
    protocolServices: new Map([
      [serverProtocolKey('ex01', 'pop3'), popServices(['Automatic', 'Running'])],
      [serverProtocolKey('ex01', 'imap4'), imapServices(['Disabled', 'Stopped'])],
      [serverProtocolKey('EX02', 'pop3'), popServices(['Automatic', 'Running'])],
      [serverProtocolKey('EX02', 'imap4'), imapServices(['Manual', 'Stopped'])],
    ]),
  };
}

describe('desired resources', () => {
  it('declares settings before the service resource of the same server and protocol, and links them', () => {
    const resources = desiredResources(onPrem({ servers, casMailboxes: { default: { popEnabled: false }, exceptions: [] } }));
    expect(resources.map((r) => [r.kind, r.name, 'settingsResource' in r ? r.settingsResource : undefined])).toEqual([
      ['PopSettings', 'ex01-pop3-settings', undefined],
      ['ProtocolService', 'ex01-pop3-service', 'ex01-pop3-settings'],
      ['ProtocolService', 'ex01-imap4-service', undefined],
      ['PopSettings', 'ex02-pop3-settings', undefined],
      ['ProtocolService', 'ex02-pop3-service', 'ex02-pop3-settings'],
      ['ImapSettings', 'ex02-imap4-settings', undefined],
      ['ProtocolService', 'ex02-imap4-service', 'ex02-imap4-settings'],
      ['CasMailboxProtocol', 'cas-mailboxes', undefined],
    ]);
  });

  it('names stay unique when two policy names slug alike', () => {
    const resources = desiredResources(online('worldwide', { authenticationPolicies: [{ name: 'Block Basic' }, { name: 'block-basic' }] }));
    expect(resources.map((r) => r.name)).toEqual(['auth-policy-block-basic', 'auth-policy-block-basic-2']);
  });

  it('every resource carries the target (the delete opt-in is stack config, not an input)', () => {
    const resources = desiredResources(online('worldwide', { transportConfig: { allowLegacyTLSClients: false } }));
    expect(resources[0]?.inputs).toEqual({ target: online().target, transportConfig: { allowLegacyTLSClients: false } });
  });
});

describe('the restart rule across a whole plan', () => {
  it('in sync: no change at all', () => {
    const plan = planOrganisation(onPrem({ servers }), onPremActual());
    expect(plan.changes).toEqual([]);
    expect(plan.resources).toHaveLength(7);
  });

  it.each([
    ['EX01 POP3 settings drifted', { ex01PopLog: false }, [['Set-PopSettings', 'EX01'], ['Restart-Service', 'EX01', 'MSExchangePOP3,MSExchangePOP3BE']]],
    ['EX02 POP3 settings drifted: restart EX02 POP3 only', { ex02PopLog: false }, [['Set-PopSettings', 'EX02'], ['Restart-Service', 'EX02', 'MSExchangePOP3,MSExchangePOP3BE']]],
    ['EX02 IMAP4 settings drifted, IMAP4 stopped: no restart', { ex02ImapLog: false }, [['Set-ImapSettings', 'EX02']]],
    [
      'two servers drifted: each settings change directly before its own restart',
      { ex01PopLog: false, ex02PopLog: false },
      [['Set-PopSettings', 'EX01'], ['Restart-Service', 'EX01', 'MSExchangePOP3,MSExchangePOP3BE'], ['Set-PopSettings', 'EX02'], ['Restart-Service', 'EX02', 'MSExchangePOP3,MSExchangePOP3BE']],
    ],
  ])('%s', (_name, overrides, expected) => {
    const plan = planOrganisation(onPrem({ servers }), onPremActual(overrides));
    const seen = plan.changes.map((c) => {
      const p = c.request.parameters;
      const server = (p.Server ?? c.request.computerName) as string;
      return Array.isArray(p.Name) ? [c.request.cmdlet, server, p.Name.join(',')] : [c.request.cmdlet, server];
    });
    expect(seen).toEqual(expected);
  });

  it('groups changes by the resource they belong to', () => {
    const plan = planOrganisation(onPrem({ servers }), onPremActual({ ex01PopLog: false }));
    const groups = changesByResource(plan).filter((g) => g.changes.length > 0);
    expect(groups.map((g) => [g.resource.name, g.changes.map((c) => c.action)])).toEqual([
      ['ex01-pop3-settings', ['set']],
      ['ex01-pop3-service', ['restart']],
    ]);
  });
});

describe('an Exchange Online organisation', () => {
  const policy = online('worldwide', {
    transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true },
    authenticationPolicies: [{ name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false, default: true }],
    casMailboxPlans: [{ identity: 'ExchangeOnlineEnterprise', popEnabled: false, imapEnabled: false }],
    casMailboxes: { default: { popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: null }, exceptions: [{ identities: ['scanner@contoso.com'], smtpClientAuthenticationDisabled: false }] },
  });
  const fresh: ActualOrganisation = {
    transportConfig: { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true },
    authenticationPolicies: { policies: [], defaultPolicy: null },
    casMailboxPlans: [{ identity: 'ExchangeOnlineEnterprise-6d3c3a44-a49a-4a0c-8dbb-1a1c84a81d5f', popEnabled: true, imapEnabled: true }],
    casMailboxes: withoutLookups([mailbox('alice@contoso.com'), mailbox('scanner@contoso.com')]),
  };

  it('plans every section in order, with the target', () => {
    const plan = planOrganisation(policy, fresh);
    expect(plan.target).toEqual({ name: 'contoso-worldwide', platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' });
    expect(plan.changes.map((c) => `${c.request.cmdlet} ${Object.keys(c.request.parameters).join(',')}`)).toEqual([
      'Set-TransportConfig AllowLegacyTLSClients',
      'New-AuthenticationPolicy Name,AllowBasicAuthPop,AllowBasicAuthImap,AllowBasicAuthSmtp',
      'Set-OrganizationConfig DefaultAuthenticationPolicy',
      'Set-CASMailboxPlan Identity,PopEnabled,ImapEnabled',
      'Set-CASMailbox Identity,PopEnabled,ImapEnabled',
      'Set-CASMailbox Identity,PopEnabled,ImapEnabled,SmtpClientAuthenticationDisabled',
    ]);
  });

  it('reports a section it was not given as a programming error, not as drift', () => {
    expect(() => planOrganisation(policy, { ...fresh, casMailboxes: undefined })).toThrow(/not read for CAS mailboxes/);
  });
});
