import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

const KEYS = [
  { key: 'popEnabled', protocol: 'POP3' },
  { key: 'imapEnabled', protocol: 'IMAP4' },
] as const;

export const popImapEnabledByDefault: Rule = {
  id: 'MP-MBX-001',
  version: 1,
  title: 'POP3 or IMAP4 enabled for every mailbox by default',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'CAS mailbox plan identity (the casMailboxes default has no scope)', example: 'ExchangeOnlineEnterprise' },
  crossResource: false,
  reads: ['casMailboxes', 'casMailboxPlans'],
  rationale:
    'Exchange enables POP3 and IMAP4 for every mailbox unless told otherwise, although few users need them. Least privilege ' +
    'means the default is off and the few mailboxes that need a protocol get an exception (listed by MP-EXO-005).',
  remediation:
    'Set `casMailboxes.default.popEnabled: false` and `imapEnabled: false`, and the same in every `casMailboxPlans` entry so newly ' +
    'licensed mailboxes start with them off; add `casMailboxes.exceptions` for the mailboxes that need them.',
  references: [REF.popImapOnline, REF.setCasMailbox, REF.setCasMailboxPlan],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    const defaults = policy.casMailboxes?.default;
    for (const { key, protocol } of KEYS) {
      if (defaults?.[key] === true) {
        findings.push({ pointer: pointer('casMailboxes', 'default', key), message: `${protocol} is enabled for every mailbox by the casMailboxes default (${key}: true)` });
      }
    }
    (policy.casMailboxPlans ?? []).forEach((plan, i) => {
      for (const { key, protocol } of KEYS) {
        if (plan[key] !== true) continue;
        findings.push({
          pointer: pointer('casMailboxPlans', i, key),
          scope: plan.identity,
          message: `${protocol} is enabled for every mailbox newly licensed with plan ${plan.identity} (${key}: true)`,
        });
      }
    });
    return findings;
  },
};
