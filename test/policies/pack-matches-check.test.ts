/**
 * The pack sees what `mailpolicy check` sees: every document (the example stacks and each
 * rule's violating case) is turned into the resources the Pulumi program registers
 * (desiredResources), and the pack's documents give the same findings as the document itself.
 */
import { describe, expect, it } from 'vitest';
import { documentFromResource, documentsFromStack } from '../../policies/resource-documents';
import type { MailPolicy } from '../../src/model/types';
import { desiredResources } from '../../src/reconcile/resources';
import { RULES, checkPolicy, readsAnyOf } from '../../src/rules';
import { typeToken } from '../../providers/resource-types';
import { PLACES, RULE_CASES } from '../rules/rule-cases';
import { EXAMPLE_STACKS, exampleFile } from '../support/example-stacks';
import { loadPolicyFileOrThrow } from '../../src/model/load';

const AS_OF = '2027-01-15';

function registered(policy: MailPolicy) {
  return desiredResources(policy).map((r) => ({ type: typeToken(r.kind), urn: `urn:pulumi:t::p::${typeToken(r.kind)}::${r.name}`, props: r.inputs as unknown as Record<string, unknown> }));
}

/** Findings as comparable text; waivers stay out (the pack takes them from its config). */
function fromDocument(policy: MailPolicy): string[] {
  return checkPolicy({ ...policy, waivers: [] }, { asOf: AS_OF }).findings.map((f) => `${f.rule.id} ${f.outcome} ${f.message}`).sort();
}

function fromPack(policy: MailPolicy): string[] {
  const resources = registered(policy);
  const out: string[] = [];
  for (const rule of RULES) {
    const docs = rule.crossResource ? documentsFromStack(resources) : resources.map(documentFromResource).filter((d) => d !== undefined);
    // Where the pack runs the rule at all (policies/definitions.ts): nothing may be lost by skipping the rest.
    for (const doc of docs.filter((d) => readsAnyOf(rule, d.policy))) {
      for (const f of checkPolicy(doc.policy, { asOf: AS_OF }, { rules: [rule] }).findings) {
        expect(doc.origin(f.pointer), `${rule.id} ${f.pointer} has a resource`).toBeDefined();
        out.push(`${f.rule.id} ${f.outcome} ${f.message}`);
      }
    }
  }
  return out.sort();
}

describe('the pack and check agree', () => {
  for (const name of EXAMPLE_STACKS) {
    it(`on the example stack ${name}`, () => {
      const { policy } = loadPolicyFileOrThrow(exampleFile(name));
      expect(fromPack(policy)).toEqual(fromDocument(policy));
    });
  }

  for (const c of RULE_CASES) {
    it(`on ${c.id}'s violating documents in every place`, () => {
      for (const place of PLACES) {
        const doc = c.violating(place);
        const expected = fromDocument(doc);
        // Not vacuous: where the rule applies, there is something to agree on.
        if (c.outcomes[place] !== 'none') expect(expected.some((f) => f.startsWith(`${c.id} `))).toBe(true);
        expect(fromPack(doc)).toEqual(expected);
      }
    });
  }
});
