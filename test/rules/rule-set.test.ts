import { describe, expect, it } from 'vitest';
import type { MailPolicy, Waiver } from '../../src/model/types';
import { ALL_RULE_METADATA, RETIRED_RULES, RULES, checkPolicy, parseRuleRef, readsAnyOf, versionedId, type DocumentSection, type Finding } from '../../src/rules';
import { valueAt } from '../../src/model/json-pointer';
import { PLACES, RULE_CASES, ruleById, type Place, type RuleCase } from './rule-cases';

const AS_OF = '2027-01-15';
const of = (findings: readonly Finding[], id: string) => findings.filter((f) => f.rule.id === id);
const withWaivers = (doc: MailPolicy, waivers: Waiver[]): MailPolicy => ({ ...doc, waivers });
const SECTIONS: readonly DocumentSection[] = ['transportConfig', 'authenticationPolicies', 'casMailboxPlans', 'casMailboxes', 'servers'];

/** The document with only the given sections (and its target). */
function keepOnly(doc: MailPolicy, sections: readonly DocumentSection[]): MailPolicy {
  const copy: Record<string, unknown> = { ...doc };
  for (const s of SECTIONS) if (!sections.includes(s)) delete copy[s];
  return copy as unknown as MailPolicy;
}

/** The place where the rule is strictest, to test waivers where they matter most. */
function strictestPlace(c: RuleCase): Place {
  return PLACES.find((p) => c.outcomes[p] === 'violation') ?? PLACES.find((p) => c.outcomes[p] !== 'none') ?? 'worldwide';
}

describe('rule set', () => {
  it('never reuses a removed rule\'s ID: a waiver naming MP-SRV-003 names an unknown rule', () => {
    expect(ALL_RULE_METADATA.map((r) => r.id)).not.toContain('MP-SRV-003');
    expect(RETIRED_RULES.map((r) => r.id)).toContain('MP-SRV-003');
    for (const retired of RETIRED_RULES) expect(ALL_RULE_METADATA.map((r) => r.id)).not.toContain(retired.id);
    const doc: MailPolicy = { apiVersion: 'mailpolicy/v1', kind: 'MailPolicy', metadata: { name: 'w' }, target: { platform: 'exchangeServer', organization: 'woodgrove.local' } };
    const result = checkPolicy(withWaivers(doc, [{ rule: 'MP-SRV-003', reason: 'old', expires: '2027-06-30' }]), { asOf: AS_OF });
    expect(result.findings.map((f) => `${f.rule.id} ${f.message}`)).toEqual(['MP-WVR-003 waiver names unknown rule "MP-SRV-003"']);
  });

  it('has a case for every rule, unique IDs and complete metadata', () => {
    expect(RULE_CASES.map((c) => c.id).sort()).toEqual(RULES.map((r) => r.id).sort());
    const ids = ALL_RULE_METADATA.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of ALL_RULE_METADATA) {
      expect(r.id).toMatch(/^MP-[A-Z]{3}-\d{3}$/);
      // What waivers name: the bare ID, any case, or the versioned ID.
      expect(parseRuleRef(r.id.toLowerCase())).toEqual({ id: r.id });
      expect(parseRuleRef(` ${versionedId(r)} `)).toEqual({ id: r.id, version: r.version });
      expect(r.version).toBeGreaterThanOrEqual(1);
      for (const text of [r.title, r.rationale, r.remediation]) expect(text.length).toBeGreaterThan(10);
      expect(r.references.length).toBeGreaterThan(0);
      for (const ref of r.references) expect(ref.url).toMatch(/^https:\/\//);
    }
  });
});

for (const c of RULE_CASES) {
  const rule = ruleById(c.id);
  const place = strictestPlace(c);
  const expected = c.outcomes[place];

  describe(`${c.id} ${rule.title}`, () => {
    it('reports a violating document at the offending key', () => {
      const doc = c.violating(place);
      const found = of(checkPolicy(doc, { asOf: AS_OF }).findings, c.id);
      expect(found.length).toBeGreaterThan(0);
      const first = found.find((f) => f.pointer === c.pointer);
      expect(first, `finding at ${c.pointer}: ${JSON.stringify(found.map((f) => f.pointer))}`).toBeDefined();
      expect(valueAt(doc, first!.pointer)).not.toBeUndefined();
      expect(first!.outcome).toBe(expected);
      expect(first!.message.length).toBeGreaterThan(20);
      if (c.scope) expect(first!.scope).toBe(c.scope);
      // Scoped findings need the scope documented for waiver authors.
      if (found.some((f) => f.scope !== undefined)) expect(rule.scope).toBeDefined();
    });

    it(`reads only ${rule.reads.join(', ')} (what the pack relies on to skip other resources)`, () => {
      expect(readsAnyOf(rule, c.violating(place))).toBe(true);
      for (const p of PLACES) {
        for (const doc of [c.violating(p), c.clean(p)]) {
          const all = rule.evaluate(doc, { asOf: AS_OF });
          expect(rule.evaluate(keepOnly(doc, rule.reads), { asOf: AS_OF })).toEqual(all);
          const without = keepOnly(doc, SECTIONS.filter((s) => !rule.reads.includes(s)));
          expect(readsAnyOf(rule, without)).toBe(false);
          expect(rule.evaluate(without, { asOf: AS_OF })).toEqual([]);
        }
      }
    });

    it('says nothing about a clean document', () => {
      for (const p of PLACES) expect(of(checkPolicy(c.clean(p), { asOf: AS_OF }).findings, c.id)).toEqual([]);
    });

    for (const p of PLACES) {
      it(`in ${p}: ${c.outcomes[p]}`, () => {
        const found = of(checkPolicy(c.violating(p), { asOf: AS_OF }).findings, c.id);
        if (c.outcomes[p] === 'none') expect(found).toEqual([]);
        else expect(found.map((f) => f.outcome)).toContain(c.outcomes[p]);
      });
    }

    if (rule.waivable) {
      it('a valid waiver turns the finding into "waived" and is listed as applied', () => {
        const result = checkPolicy(withWaivers(c.violating(place), [{ rule: c.id, reason: 'accepted until the migration', expires: '2027-06-30' }]), { asOf: AS_OF });
        const found = of(result.findings, c.id);
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((f) => f.outcome === 'waived' && f.waiverIndex === 0)).toBe(true);
        expect(result.findings.filter((f) => f.outcome === 'violation')).toEqual([]);
        expect(result.waivers).toEqual([expect.objectContaining({ index: 0, status: 'applied', applied: found.length })]);
      });

      it('a waiver is valid through its expiry day', () => {
        const result = checkPolicy(withWaivers(c.violating(place), [{ rule: c.id, reason: 'last day', expires: AS_OF }]), { asOf: AS_OF });
        const found = of(result.findings, c.id);
        expect(found.length).toBeGreaterThan(0);
        expect(found.every((f) => f.outcome === 'waived' && f.waiverIndex === 0)).toBe(true);
        expect(result.waivers).toEqual([expect.objectContaining({ index: 0, status: 'applied', applied: found.length })]);
      });

      it('an expired waiver fails closed: the finding stays and the waiver is a violation', () => {
        const result = checkPolicy(withWaivers(c.violating(place), [{ rule: c.id, reason: 'was accepted', expires: '2027-01-14' }]), { asOf: AS_OF });
        expect(of(result.findings, c.id).map((f) => f.outcome)).toContain(expected);
        expect(of(result.findings, c.id).some((f) => f.outcome === 'waived')).toBe(false);
        const expiry = of(result.findings, 'MP-WVR-001');
        expect(expiry).toEqual([expect.objectContaining({ pointer: '/waivers/0/expires', outcome: 'violation' })]);
        expect(result.waivers[0].status).toBe('expired');
      });

      if (c.scope) {
        it('a scoped waiver applies only to findings with that scope', () => {
          const doc = c.violating(place);
          const matching = checkPolicy(withWaivers(doc, [{ rule: c.id, reason: 'one', expires: '2027-06-30', scope: c.scope!.toUpperCase() }]), { asOf: AS_OF });
          expect(of(matching.findings, c.id).find((f) => f.scope === c.scope)?.outcome).toBe('waived');
          const other = checkPolicy(withWaivers(doc, [{ rule: c.id, reason: 'other', expires: '2027-06-30', scope: 'someone-else' }]), { asOf: AS_OF });
          expect(of(other.findings, c.id).find((f) => f.scope === c.scope)?.outcome).toBe(expected);
          expect(of(other.findings, 'MP-WVR-005')).toHaveLength(1);
        });
      }
    } else {
      it('cannot be waived: the waiver is a violation and the finding stays', () => {
        const result = checkPolicy(withWaivers(c.violating(place), [{ rule: c.id, reason: 'please', expires: '2027-06-30' }]), { asOf: AS_OF });
        expect(of(result.findings, c.id).map((f) => f.outcome)).toContain('violation');
        expect(of(result.findings, 'MP-WVR-002')).toEqual([expect.objectContaining({ pointer: '/waivers/0/rule', outcome: 'violation' })]);
        expect(result.waivers[0].status).toBe('rejected');
      });
    }

    if (rule.dates?.length) {
      it('--as-of before and after its date give different messages', () => {
        const date = rule.dates![rule.dates!.length - 1].date;
        const before = of(checkPolicy(c.violating(place), { asOf: date }).findings, c.id);
        const after = of(checkPolicy(c.violating(place), { asOf: nextDay(date) }).findings, c.id);
        expect(before.length).toBeGreaterThan(0);
        expect(after.length).toBeGreaterThan(0);
        expect(after.map((f) => f.message)).not.toEqual(before.map((f) => f.message));
      });
    } else {
      it('--as-of before and after the 2026 retirement dates gives the same findings', () => {
        const before = of(checkPolicy(c.violating(place), { asOf: '2026-06-01' }).findings, c.id);
        const after = of(checkPolicy(c.violating(place), { asOf: '2027-06-01' }).findings, c.id);
        expect(before.length).toBeGreaterThan(0);
        expect(after).toEqual(before);
      });
    }
  });
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
