import { MANDATORY_IN_US_GOVERNMENT_CLOUDS } from './enforcement';
import { exceptionValues } from './mailbox-exceptions';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

export const popImapMailboxExceptions: Rule = {
  id: 'MP-EXO-005',
  version: 1,
  title: 'POP3 or IMAP4 enabled for individual mailboxes',
  severity: 'medium',
  enforcement: 'advisory',
  enforcementByCloud: MANDATORY_IN_US_GOVERNMENT_CLOUDS,
  waivable: true,
  scope: { kind: 'mailbox identity', example: 'archiver@contoso.com' },
  crossResource: false,
  reads: ['casMailboxes'],
  rationale:
    'POP3 and IMAP4 bypass most client controls (no Outlook policies, offline copies, weaker session handling). Exceptions that ' +
    'turn them on for a mailbox are listed one by one so each has an owner; in the US government clouds each needs a waiver. ' +
    'Exchange Online documents only: on Exchange Server the servers\' POP3/IMAP4 services and bindings decide first (MP-SRV rules).',
  remediation:
    'Move the mailbox to a modern client or Graph, then remove the exception. Where it must stay, record a waiver with ' +
    '`scope: <mailbox identity>` and an expiry date.',
  references: [REF.popImapOnline, REF.setCasMailbox],
  evaluate(policy) {
    // An Exchange Online rule (its ID, its references and its per-cloud enforcement say so). On
    // Exchange Server, whether POP3/IMAP4 reach a mailbox is decided first by each server's
    // services and bindings (the MP-SRV rules); MP-MBX-001 covers the casMailboxes default there.
    if (policy.target.platform !== 'exchangeOnline') return [];
    const cas = policy.casMailboxes;
    const pop = exceptionValues(cas, 'popEnabled').filter((m) => m.value === true);
    const imap = exceptionValues(cas, 'imapEnabled').filter((m) => m.value === true);
    const findings: RuleFinding[] = [];
    const imapByIdentity = new Map(imap.map((m) => [m.identity.toLowerCase(), m]));
    // One finding per mailbox, naming both protocols when both are on.
    for (const m of pop) {
      const both = imapByIdentity.delete(m.identity.toLowerCase());
      findings.push({ pointer: m.pointer, scope: m.identity, message: `${both ? 'POP3 and IMAP4 are' : 'POP3 is'} enabled for mailbox ${m.identity} by an exception` });
    }
    for (const m of imapByIdentity.values()) {
      findings.push({ pointer: m.pointer, scope: m.identity, message: `IMAP4 is enabled for mailbox ${m.identity} by an exception` });
    }
    return findings;
  },
};
