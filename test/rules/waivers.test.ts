import { describe, expect, it } from 'vitest';
import type { MailPolicy, Waiver } from '../../src/model/types';
import { checkPolicy, hasViolations } from '../../src/rules';
import { online } from './documents';

const AS_OF = '2027-01-15';
const smtpAuthOn = (waivers: Waiver[]): MailPolicy => online('gccHigh', { transportConfig: { smtpClientAuthenticationDisabled: false }, waivers });
const ids = (doc: MailPolicy) => checkPolicy(doc, { asOf: AS_OF }).findings.map((f) => `${f.rule.id}:${f.outcome}`);

describe('waivers', () => {
  it('a waiver for an unknown rule is a violation and waives nothing', () => {
    expect(ids(smtpAuthOn([{ rule: 'MP-EXO-999', reason: 'typo', expires: '2027-06-30' }]))).toEqual(['MP-EXO-003:violation', 'MP-WVR-003:violation']);
    expect(ids(smtpAuthOn([{ rule: 'MS.EXO.5.1v1', reason: 'wrong scheme', expires: '2027-06-30' }]))).toContain('MP-WVR-003:violation');
  });

  it('matches the bare ID case-insensitively, and a versioned ID only for the current version', () => {
    expect(ids(smtpAuthOn([{ rule: 'mp-exo-003', reason: 'ok', expires: '2027-06-30' }]))).toEqual(['MP-EXO-003:waived']);
    expect(ids(smtpAuthOn([{ rule: 'MP-EXO-003v1', reason: 'ok', expires: '2027-06-30' }]))).toEqual(['MP-EXO-003:waived']);
    const stale = checkPolicy(smtpAuthOn([{ rule: 'MP-EXO-003v0', reason: 'old review', expires: '2027-06-30' }]), { asOf: AS_OF });
    expect(stale.findings.map((f) => `${f.rule.id}:${f.outcome}`)).toEqual(['MP-EXO-003:violation', 'MP-WVR-003:violation']);
    expect(stale.findings[1].message).toContain('MP-EXO-003v1');
  });

  it('a waiver whose expiry is not a calendar date fails closed', () => {
    const result = checkPolicy(smtpAuthOn([{ rule: 'MP-EXO-003', reason: 'ok', expires: '2027-02-30' }]), { asOf: AS_OF });
    expect(result.findings.map((f) => `${f.rule.id}:${f.outcome}:${f.pointer}`)).toEqual(['MP-EXO-003:violation:/transportConfig/smtpClientAuthenticationDisabled', 'MP-WVR-004:violation:/waivers/0/expires']);
    expect(result.waivers[0].status).toBe('rejected');
    expect(hasViolations(result)).toBe(true);
  });

  it('a waiver with a blank reason or scope fails closed', () => {
    expect(ids(smtpAuthOn([{ rule: 'MP-EXO-003', reason: '  ', expires: '2027-06-30' }]))).toContain('MP-WVR-004:violation');
    expect(ids(smtpAuthOn([{ rule: 'MP-EXO-003', reason: 'r', expires: '2027-06-30', scope: '' }]))).toContain('MP-WVR-004:violation');
  });

  it('waiver findings themselves cannot be waived', () => {
    expect(ids(smtpAuthOn([{ rule: 'MP-WVR-001', reason: 'no', expires: '2027-06-30' }]))).toContain('MP-WVR-002:violation');
  });

  it('an expired waiver fails the check even when nothing is left to waive', () => {
    const result = checkPolicy(online('worldwide', { waivers: [{ rule: 'MP-EXO-002', reason: 'done', expires: '2026-12-31' }] }), { asOf: AS_OF });
    expect(result.findings.map((f) => f.rule.id)).toEqual(['MP-WVR-001']);
    expect(hasViolations(result)).toBe(true);
  });

  it('a waiver that matches nothing is an advisory and does not fail the check', () => {
    const result = checkPolicy(online('worldwide', { waivers: [{ rule: 'MP-EXO-002', reason: 'left over', expires: '2027-06-30' }] }), { asOf: AS_OF });
    expect(result.findings.map((f) => `${f.rule.id}:${f.outcome}`)).toEqual(['MP-WVR-005:advisory']);
    expect(result.waivers[0].status).toBe('unused');
    expect(hasViolations(result)).toBe(false);
  });

  it('one waiver covers every finding of its rule; the first matching waiver wins', () => {
    const doc = online('dod', {
      casMailboxes: { exceptions: [{ identities: ['a@contoso.com', 'b@contoso.com'], smtpClientAuthenticationDisabled: false }] },
      waivers: [
        { rule: 'MP-EXO-004', reason: 'a only', expires: '2027-06-30', scope: 'a@contoso.com' },
        { rule: 'MP-EXO-004', reason: 'the rest', expires: '2027-06-30' },
      ],
    });
    const result = checkPolicy(doc, { asOf: AS_OF });
    expect(result.findings.map((f) => [f.scope, f.outcome, f.waiverIndex])).toEqual([
      ['a@contoso.com', 'waived', 0],
      ['b@contoso.com', 'waived', 1],
    ]);
    expect(result.waivers.map((w) => [w.status, w.applied])).toEqual([
      ['applied', 1],
      ['applied', 1],
    ]);
  });
});
