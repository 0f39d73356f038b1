import { describe, expect, it } from 'vitest';
import type { MailPolicy } from '../../src/model/types';
import { checkPolicy } from '../../src/rules';
import { online, onPrem } from './documents';

const found = (doc: MailPolicy, id: string) =>
  checkPolicy(doc, { asOf: '2027-01-15' }).findings.filter((f) => f.rule.id === id).map((f) => ({ pointer: f.pointer, scope: f.scope, message: f.message }));

describe('per-mailbox exceptions', () => {
  it('MP-EXO-004: later exceptions win, identities compare case-insensitively', () => {
    const doc = online('gcc', {
      casMailboxes: {
        exceptions: [
          { identities: ['Scanner@contoso.com', 'printer@contoso.com'], smtpClientAuthenticationDisabled: false },
          { identities: ['scanner@CONTOSO.com'], smtpClientAuthenticationDisabled: null },
        ],
      },
    });
    expect(found(doc, 'MP-EXO-004')).toEqual([
      { pointer: '/casMailboxes/exceptions/0/identities/1', scope: 'printer@contoso.com', message: 'SMTP AUTH is enabled for mailbox printer@contoso.com by an exception, unless security defaults or a Conditional Access policy blocking legacy authentication overrides it' },
    ]);
  });

  it('MP-EXO-004: a default that enables SMTP AUTH for every mailbox is reported without a scope', () => {
    const doc = online('worldwide', { casMailboxes: { default: { smtpClientAuthenticationDisabled: false }, exceptions: [] } });
    expect(found(doc, 'MP-EXO-004')).toEqual([expect.objectContaining({ pointer: '/casMailboxes/default/smtpClientAuthenticationDisabled', scope: undefined })]);
  });

  // Behaviour changed on purpose (issue 12, item 7): MP-EXO-005 is an Exchange Online rule and no
  // longer reports Exchange Server documents (on-premises, the servers' services decide first).
  it('MP-EXO-005: one finding per mailbox naming both protocols; Exchange Online only', () => {
    const cas = { exceptions: [{ identities: ['a@contoso.com'], popEnabled: true, imapEnabled: true }, { identities: ['b@contoso.com'], imapEnabled: true }] };
    expect(found(online('worldwide', { casMailboxes: cas }), 'MP-EXO-005').map((f) => f.message)).toEqual([
      'POP3 and IMAP4 are enabled for mailbox a@contoso.com by an exception',
      'IMAP4 is enabled for mailbox b@contoso.com by an exception',
    ]);
    expect(found(onPrem({ casMailboxes: cas }), 'MP-EXO-005')).toEqual([]);
  });

  it('MP-MBX-001: mailbox plans that enable POP3/IMAP4 are reported per plan', () => {
    const doc = online('worldwide', { casMailboxPlans: [{ identity: 'ExchangeOnlineEnterprise', popEnabled: false, imapEnabled: true }] });
    expect(found(doc, 'MP-MBX-001')).toEqual([
      { pointer: '/casMailboxPlans/0/imapEnabled', scope: 'ExchangeOnlineEnterprise', message: 'IMAP4 is enabled for every mailbox newly licensed with plan ExchangeOnlineEnterprise (imapEnabled: true)' },
    ]);
  });

  it('MP-EXO-006: one finding per switch, naming the default policy', () => {
    const doc = online('worldwide', { authenticationPolicies: [{ name: 'Legacy', allowBasicAuthPop: true, allowBasicAuthImap: true, default: true }] });
    expect(found(doc, 'MP-EXO-006').map((f) => f.pointer)).toEqual(['/authenticationPolicies/0/allowBasicAuthPop', '/authenticationPolicies/0/allowBasicAuthImap']);
    expect(found(doc, 'MP-EXO-006')[0].message).toContain('the organisation default policy');
  });
});
