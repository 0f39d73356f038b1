/** The crosswalk covers every rule, says "none" with a reason where no baseline applies, and cites a source for every mapping. */
import { describe, expect, it } from 'vitest';
import { ALL_RULE_METADATA } from '../../src/rules';
import { CROSSWALK, controlMatches, controlsSummary, crosswalkOf, testName } from '../../src/rules/crosswalk';

describe('crosswalk', () => {
  it('has an entry for exactly the rules there are', () => {
    expect(Object.keys(CROSSWALK).sort()).toEqual(ALL_RULE_METADATA.map((r) => r.id).sort());
  });

  it('gives every empty entry its reason, and every mapping an https source', () => {
    for (const rule of ALL_RULE_METADATA) {
      const entry = crosswalkOf(rule.id);
      if (entry.controls.length === 0) expect(entry.none, rule.id).toMatch(/^[a-zA-Z]/);
      for (const c of entry.controls) {
        expect(c.source.url, `${rule.id} ${c.id}`).toMatch(/^https:\/\//);
        if (c.relationship === 'relatesTo') expect(c.note, `${rule.id} ${c.id}`).toBeTruthy();
      }
    }
  });

  it('maps SMTP AUTH for the organisation to CIS 6.5.4, ScubaGear MS.EXO.5.1v1 and Maester CISA.MS.EXO.5.1', () => {
    expect(controlsSummary('MP-EXO-003')).toBe('implements CIS M365 6.5.4, ScubaGear MS.EXO.5.1v1, Maester CISA.MS.EXO.5.1');
    expect(controlsSummary('MP-EXO-006')).toBe('relates to ScubaGear MS.AAD.1.1v1, CIS M365 5.2.2.3, Maester CISA.MS.AAD.1.1');
    expect(controlsSummary('MP-EXO-002')).toBeUndefined();
    expect(crosswalkOf('MP-EXO-003').controls.map(testName)).toEqual([undefined, undefined, 'Test-MtCisaSmtpAuthentication']);
  });

  it('matches a control ID case-insensitively, with or without its version suffix, and nothing else', () => {
    expect(controlMatches({ id: 'MS.EXO.5.1v1' }, 'ms.exo.5.1')).toBe(true);
    expect(controlMatches({ id: 'MS.EXO.5.1v1' }, 'MS.EXO.5.1V1')).toBe(true);
    expect(controlMatches({ id: 'MS.EXO.5.1v1' }, 'MS.EXO.5')).toBe(false);
    expect(controlMatches({ id: '6.5.4' }, '6.5')).toBe(false);
  });
});
