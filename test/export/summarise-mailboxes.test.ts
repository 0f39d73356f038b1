import fc from 'fast-check';
import { withoutLookups } from '../../src/reconcile/mailbox-identities';
import { describe, expect, it } from 'vitest';
import type { ActualCasMailbox } from '../../src/exchange/types';
import { MailboxSummariser, summariseMailboxes } from '../../src/export/summarise-mailboxes';
import { planCasMailboxes } from '../../src/reconcile/kinds/cas-mailbox-protocol';

function mailbox(n: number, pop: boolean, imap: boolean, smtp: boolean | null = null): ActualCasMailbox {
  return { identity: `user${n}`, primarySmtpAddress: `user${n}@contoso.com`, popEnabled: pop, imapEnabled: imap, smtpClientAuthenticationDisabled: smtp };
}

describe('mailbox summary', () => {
  it('takes the most common value of each setting as default and groups identical deviations', () => {
    const boxes = [
      mailbox(1, true, true),
      mailbox(2, true, true),
      mailbox(3, true, true),
      mailbox(4, false, true),
      mailbox(5, false, true),
      mailbox(6, false, false, true),
      mailbox(7, true, true, false),
    ];
    expect(summariseMailboxes(boxes, true)).toEqual({
      default: { popEnabled: true, imapEnabled: true, smtpClientAuthenticationDisabled: null },
      exceptions: [
        { popEnabled: false, identities: ['user4@contoso.com', 'user5@contoso.com'] },
        { popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: true, identities: ['user6@contoso.com'] },
        { smtpClientAuthenticationDisabled: false, identities: ['user7@contoso.com'] },
      ],
    });
  });

  it('leaves SMTP AUTH out on Exchange Server and prefers Exchange defaults on ties', () => {
    expect(summariseMailboxes([mailbox(1, false, true), mailbox(2, true, false)], false)).toEqual({
      default: { popEnabled: true, imapEnabled: true },
      exceptions: [
        { popEnabled: false, identities: ['user1@contoso.com'] },
        { imapEnabled: false, identities: ['user2@contoso.com'] },
      ],
    });
  });

  it('uses the Exchange identity when a mailbox has no primary SMTP address, and declares nothing without mailboxes', () => {
    const s = new MailboxSummariser(true);
    expect(s.result()).toBeUndefined();
    s.add(mailbox(1, true, true));
    s.add({ ...mailbox(2, false, true), primarySmtpAddress: '' });
    expect(s.count).toBe(2);
    expect(s.result()?.exceptions).toEqual([{ popEnabled: false, identities: ['user2'] }]);
  });

  it('describes every mailbox exactly: the planner finds nothing to change (property)', () => {
    const arb = fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.constantFrom(true, false, null)), { maxLength: 60 });
    fc.assert(
      fc.property(arb, (rows) => {
        const boxes = rows.map(([p, i, s], n) => mailbox(n, p, i, s));
        const policy = summariseMailboxes(boxes, true);
        if (boxes.length === 0) return policy === undefined;
        const exceptions = policy?.exceptions ?? [];
        // Every mailbox is in at most one exception, and default + its exception is exactly what it has.
        const named = exceptions.flatMap((e) => e.identities);
        expect(new Set(named).size).toBe(named.length);
        // The planner, given the summary, wants no change to any mailbox.
        const planned = planCasMailboxes({ kind: 'CasMailboxProtocol', name: 'cas-mailboxes' }, policy ?? { exceptions: [] }, withoutLookups(boxes));
        expect(planned.changes).toEqual([]);
        expect(planned.notes).toEqual([]);
        return true;
      }),
      { numRuns: 300 },
    );
  });
});
