/**
 * Two documents that manage the same part of one organisation (issue 17): each stack applies its
 * own document, so every `pulumi up` of one undoes what the other applied, and nothing warns.
 * The rule needs several documents at once, so it is not part of the rule set (which judges one
 * document, as the policy pack sees one stack): `mailpolicy check` runs it over the documents it
 * is given (the MSP repository's pull-request check passes every stack's document). Like the
 * waiver findings it has rule metadata, for its docs page and SARIF rule entry.
 */
import type { MailPolicy } from '../model/types';
import { STACKS_DOCS_URL } from './docs-url';
import { pointer } from './pointer';
import type { DocumentSection, Finding, RuleMetadata } from './types';

export const sharedOrganisation: RuleMetadata = {
  id: 'MP-ORG-001',
  version: 1,
  title: 'Two documents manage the same settings of one organisation',
  severity: 'high',
  enforcement: 'mandatory',
  waivable: false,
  rationale:
    'Each stack applies its own document. When two documents target the same organisation and both declare a section ' +
    '(for example `casMailboxes`), every `pulumi up` of one stack puts back what the other changed, and the next run of ' +
    'the other changes it again: the organisation flips back and forth, and each stack reports drift the other caused. ' +
    '`mailpolicy check` over several documents finds the pair before either is applied.',
  remediation: 'Keep one document per organisation, or split the sections so that no section is declared by both documents.',
  references: [{ title: 'Stacks: one stack per organisation (docs/pulumi.md)', url: STACKS_DOCS_URL }],
};

/** The sections a document can manage (what two documents must not both declare). */
const SECTIONS: readonly DocumentSection[] = ['transportConfig', 'authenticationPolicies', 'casMailboxPlans', 'casMailboxes', 'servers'];

function organisationKey(policy: MailPolicy): string {
  return `${policy.target.platform}:${policy.target.organization.toLowerCase()}`;
}

/**
 * For each of `documents` (file and model), the MP-ORG-001 findings: one per other document that
 * targets the same organisation and declares a section this one declares too, at `target.organization`.
 */
export function sharedOrganisationFindings(documents: readonly { readonly file: string; readonly policy: MailPolicy }[]): Finding[][] {
  return documents.map((doc, i) =>
    documents.flatMap((other, j) => {
      if (i === j || organisationKey(doc.policy) !== organisationKey(other.policy)) return [];
      const both = SECTIONS.filter((s) => doc.policy[s] !== undefined && other.policy[s] !== undefined);
      if (both.length === 0) return [];
      return [
        {
          rule: sharedOrganisation,
          pointer: pointer('target', 'organization'),
          message: `${doc.policy.target.organization} is also managed by ${other.file}, which declares ${both.join(', ')} too: the two stacks undo each other's changes`,
          enforcement: 'mandatory' as const,
          outcome: 'violation' as const,
        },
      ];
    }),
  );
}
