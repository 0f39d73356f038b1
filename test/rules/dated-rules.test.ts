import { describe, expect, it } from 'vitest';
import type { MailPolicy } from '../../src/model/types';
import { checkPolicy, ruleContext, todayIso } from '../../src/rules';
import { online } from './documents';

const messages = (doc: MailPolicy, asOf: string, id: string) =>
  checkPolicy(doc, { asOf }).findings.filter((f) => f.rule.id === id).map((f) => f.message);

describe('MP-EXO-002 legacy TLS: the message follows the retirement of the POP/IMAP legacy endpoints', () => {
  const doc = online('worldwide', { transportConfig: { allowLegacyTLSClients: true } });
  it('before July 2026: blocking rolls out from 2026-07 and completes by 2026-12-31', () => {
    const [m] = messages(doc, '2026-05-01', 'MP-EXO-002');
    expect(m).toContain('rolls out from 2026-07');
    expect(m).toContain('2026-12-31');
    expect(m).toContain('pop-legacy/imap-legacy/smtp-legacy.office365.com');
  });
  it('between July and December 2026: blocking is rolling out now', () => {
    expect(messages(doc, '2026-12-31', 'MP-EXO-002')[0]).toContain('is rolling out now');
  });
  it('from 2027-01-01: only SMTP is affected', () => {
    const [m] = messages(doc, '2027-01-01', 'MP-EXO-002');
    expect(m).toContain('blocked since 2026-12-31');
    expect(m).toContain('smtp-legacy.office365.com');
    expect(m).not.toContain('pop-legacy');
  });
  it('21Vianet names its own legacy endpoints', () => {
    expect(messages(online('china21Vianet', { transportConfig: { allowLegacyTLSClients: true } }), '2027-01-01', 'MP-EXO-002')[0]).toContain('smtp-legacy.partner.outlook.cn');
  });
});

describe('MP-EXO-003 SMTP AUTH org-wide: the message follows the Basic-auth default change', () => {
  const doc = online('worldwide', { transportConfig: { smtpClientAuthenticationDisabled: false } });
  it('cites CISA MS.EXO.5.1v1 and the coming change before 2027', () => {
    const [m] = messages(doc, '2026-12-31', 'MP-EXO-003');
    expect(m).toContain('MS.EXO.5.1v1');
    expect(m).toContain('turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026');
  });
  it('says Basic is off since the end of 2026 afterwards', () => {
    expect(messages(doc, '2027-01-01', 'MP-EXO-003')[0]).toContain('off by default for existing tenants since the end of December 2026');
  });
});

describe('MP-EXO-007 legacy TLS that nothing can use', () => {
  const smtpOff = { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true } as const;
  it('before 2027, POP/IMAP still use the legacy endpoints: no finding while POP/IMAP may be on', () => {
    const doc = online('worldwide', { transportConfig: smtpOff });
    expect(messages(doc, '2026-12-31', 'MP-EXO-007')).toEqual([]);
    expect(messages(doc, '2027-01-01', 'MP-EXO-007')[0]).toContain('blocked since 2026-12-31');
  });
  it('before 2027 it needs POP3 and IMAP4 off everywhere, including in mailbox plans', () => {
    const popOff = { default: { popEnabled: false, imapEnabled: false }, exceptions: [] };
    expect(messages(online('worldwide', { transportConfig: smtpOff, casMailboxes: popOff }), '2026-06-01', 'MP-EXO-007')[0]).toContain('SMTP AUTH is disabled for the organisation, POP3 and IMAP4 are off by the casMailboxes default');
    const plan = [{ identity: 'ExchangeOnlineEnterprise', popEnabled: true }];
    expect(messages(online('worldwide', { transportConfig: smtpOff, casMailboxes: popOff, casMailboxPlans: plan }), '2026-06-01', 'MP-EXO-007')).toEqual([]);
    const imapException = { ...popOff, exceptions: [{ identities: ['x@contoso.com'], imapEnabled: true }] };
    expect(messages(online('worldwide', { transportConfig: smtpOff, casMailboxes: imapException }), '2026-06-01', 'MP-EXO-007')).toEqual([]);
  });
  it('a mailbox with SMTP AUTH on, or SMTP AUTH not managed, means the opt-in may be in use', () => {
    expect(messages(online('worldwide', { transportConfig: { allowLegacyTLSClients: true } }), '2027-06-01', 'MP-EXO-007')).toEqual([]);
    const defaultOn = { default: { smtpClientAuthenticationDisabled: false }, exceptions: [] };
    expect(messages(online('worldwide', { transportConfig: smtpOff, casMailboxes: defaultOn }), '2027-06-01', 'MP-EXO-007')).toEqual([]);
  });
});

describe('ruleContext: the day a run is about', () => {
  const invalid = (message: string) => new RangeError(`asOf ${message}`);
  it('is the given calendar day, or today (UTC) when none is given', () => {
    expect(ruleContext('2027-02-28', invalid)).toEqual({ asOf: '2027-02-28' });
    expect(ruleContext(undefined, invalid)).toEqual({ asOf: todayIso() });
  });
  it('refuses anything but a real day YYYY-MM-DD with the caller\'s own error', () => {
    for (const bad of ['2027-02-29', '2027-13-01', '27-01-01', '2027-1-1', '']) {
      expect(() => ruleContext(bad, invalid)).toThrow(new RangeError(`asOf "${bad}" is not a calendar date YYYY-MM-DD`));
    }
  });
});
