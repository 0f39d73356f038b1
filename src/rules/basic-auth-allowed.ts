import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

const SWITCHES = [
  { key: 'allowBasicAuthPop', protocol: 'POP3' },
  { key: 'allowBasicAuthImap', protocol: 'IMAP4' },
  { key: 'allowBasicAuthSmtp', protocol: 'SMTP' },
] as const;

export const basicAuthAllowed: Rule = {
  id: 'MP-EXO-006',
  version: 1,
  title: 'Basic authentication allowed for POP3, IMAP4 or SMTP by an authentication policy',
  severity: 'high',
  enforcement: 'mandatory',
  waivable: true,
  scope: { kind: 'authentication policy name', example: 'Allow SMTP Basic' },
  crossResource: false,
  reads: ['authenticationPolicies'],
  rationale:
    'Basic authentication sends a reusable password with every connection and cannot do MFA; it is the protocol path of ' +
    'password spraying. Exchange Online began turning off Basic authentication for POP and IMAP on 1 October 2022, tenant by ' +
    'tenant (Message Center MC375736), so allowing it there is at best dead configuration; for SMTP AUTH it opens a ' +
    'password-only path: Microsoft turns it off by default for existing tenants at the end of December 2026, admins can turn ' +
    'it back on, and the final removal date is to be announced in the second half of 2027 (MC786329).',
  remediation:
    'Set `allowBasicAuthPop`, `allowBasicAuthImap` and `allowBasicAuthSmtp` to `false` in every authentication policy and use ' +
    'OAuth 2.0 clients. A sender that cannot move yet needs a waiver with `scope: <policy name>` and an expiry date.',
  references: [REF.authenticationPolicy, REF.basicAuthDeprecation, REF.smtpAuthBasicTimeline],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    (policy.authenticationPolicies ?? []).forEach((decl, i) => {
      for (const { key, protocol } of SWITCHES) {
        if (decl[key] !== true) continue;
        const reach = decl.default ? 'the organisation default policy' : 'users assigned this policy';
        findings.push({
          pointer: pointer('authenticationPolicies', i, key),
          scope: decl.name,
          message: `authentication policy "${decl.name}" allows Basic authentication for ${protocol} (${key}: true) for ${reach}`,
        });
      }
    });
    return findings;
  },
};
