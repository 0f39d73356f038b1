import { MANDATORY_IN_US_GOVERNMENT_CLOUDS } from './enforcement';
import { exceptionValues } from './mailbox-exceptions';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

export const smtpAuthMailboxExceptions: Rule = {
  id: 'MP-EXO-004',
  version: 1,
  title: 'SMTP AUTH enabled for individual mailboxes',
  severity: 'medium',
  enforcement: 'advisory',
  enforcementByCloud: MANDATORY_IN_US_GOVERNMENT_CLOUDS,
  waivable: true,
  scope: { kind: 'mailbox identity (the organisation-wide default has no scope)', example: 'scanner@contoso.com' },
  crossResource: false,
  reads: ['casMailboxes'],
  rationale:
    'A mailbox-level `SmtpClientAuthenticationDisabled: $false` overrides the organisation setting, so SMTP AUTH stays open for ' +
    'that mailbox even when it is disabled org-wide. ScubaGear and Maester check only the org-wide switch; these overrides are ' +
    'where SMTP AUTH survives unnoticed. Every such mailbox is listed, so a reviewer sees each one; in the US government clouds each needs a waiver. ' +
    'The exception does not beat the identity side: security defaults, and Conditional Access policies that block legacy ' +
    'authentication, override it (Microsoft\'s authenticated-client-smtp-submission page; ScubaGear issues #607 and #915), so ' +
    'an exception that "works" in the document may still be refused at sign-in, and one that is refused today starts working ' +
    'when security defaults or such a policy is turned off.',
  remediation:
    'Move the sender to OAuth-authenticated submission, Graph sendMail or a connector, then remove the exception (or set ' +
    '`smtpClientAuthenticationDisabled: null` to inherit the org-wide value). Where the exception must stay, record a waiver ' +
    'with `scope: <mailbox identity>` and an expiry date.',
  references: [REF.smtpSubmission, REF.setCasMailbox, REF.scubaExo],
  evaluate(policy) {
    // Said in every finding: the document cannot see Entra ID, so it cannot tell whether the override applies.
    const overridden = 'unless security defaults or a Conditional Access policy blocking legacy authentication overrides it';
    const cas = policy.casMailboxes;
    const findings: RuleFinding[] = [];
    if (cas?.default?.smtpClientAuthenticationDisabled === false) {
      findings.push({
        pointer: pointer('casMailboxes', 'default', 'smtpClientAuthenticationDisabled'),
        message: `SMTP AUTH is enabled on every mailbox by the casMailboxes default (smtpClientAuthenticationDisabled: false overrides the org-wide setting), ${overridden}`,
      });
    }
    for (const { identity, value, pointer: at } of exceptionValues(cas, 'smtpClientAuthenticationDisabled')) {
      if (value !== false) continue;
      findings.push({ pointer: at, scope: identity, message: `SMTP AUTH is enabled for mailbox ${identity} by an exception, ${overridden}` });
    }
    return findings;
  },
};
