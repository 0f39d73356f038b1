import type { MailPolicy } from '../model/types';
import { LEGACY_POP_IMAP_BLOCKED_BY, isAfter } from './dates';
import { isUsGovernmentCloud } from './enforcement';
import { exceptionValues } from './mailbox-exceptions';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule } from './types';

/** SMTP AUTH is off as far as the document speaks: org-wide, and neither its default nor an exception turns it on. */
function smtpAuthDisabledEverywhere(policy: MailPolicy): boolean {
  const cas = policy.casMailboxes;
  return (
    policy.transportConfig?.smtpClientAuthenticationDisabled === true &&
    cas?.default?.smtpClientAuthenticationDisabled !== false &&
    exceptionValues(cas, 'smtpClientAuthenticationDisabled').every((m) => m.value !== false)
  );
}

/** POP3 and IMAP4 are off for every mailbox: the default says so and nothing turns them back on. */
function popImapDisabledEverywhere(policy: MailPolicy): boolean {
  const cas = policy.casMailboxes;
  return (
    cas?.default?.popEnabled === false &&
    cas.default.imapEnabled === false &&
    exceptionValues(cas, 'popEnabled').every((m) => m.value !== true) &&
    exceptionValues(cas, 'imapEnabled').every((m) => m.value !== true) &&
    (policy.casMailboxPlans ?? []).every((p) => p.popEnabled !== true && p.imapEnabled !== true)
  );
}

export const legacyTlsWithoutSmtpAuth: Rule = {
  id: 'MP-EXO-007',
  version: 1,
  title: 'Legacy TLS opted in although nothing can use it',
  severity: 'low',
  enforcement: 'advisory',
  waivable: true,
  crossResource: true,
  reads: ['transportConfig', 'casMailboxes', 'casMailboxPlans'],
  rationale:
    'The legacy-TLS opt-in serves only clients that reach the legacy endpoints. SMTP submission through `smtp-legacy` needs SMTP ' +
    `AUTH, and the POP/IMAP legacy endpoints are blocked by ${LEGACY_POP_IMAP_BLOCKED_BY}. When SMTP AUTH is disabled for the ` +
    'organisation and the document turns it back on for no mailbox (and, before the POP/IMAP retirement, POP3 and IMAP4 are ' +
    'off too), the opt-in does nothing the document can see except weaken the posture on paper and confuse the next reviewer: ' +
    'one of the two settings is likely a mistake. A document without `casMailboxes` does not manage mailbox exceptions, ' +
    'so the message says so: a mailbox exception made outside the document could still use the opt-in.',
  remediation:
    'Either set `transportConfig.allowLegacyTLSClients: false`, or, if a legacy SMTP client really needs it, enable SMTP AUTH ' +
    'for that one mailbox with a `casMailboxes.exceptions` entry.',
  references: [REF.legacyTlsSmtp, REF.legacyTlsPopImap, REF.smtpSubmission],
  dates: [{ date: LEGACY_POP_IMAP_BLOCKED_BY, meaning: 'from the next day POP3/IMAP4 no longer count as users of the opt-in' }],
  evaluate(policy, ctx) {
    // In government clouds the opt-in is MP-EXO-001's (mandatory) finding already.
    if (policy.transportConfig?.allowLegacyTLSClients !== true || isUsGovernmentCloud(policy)) return [];
    if (!smtpAuthDisabledEverywhere(policy)) return [];
    const popImapRetired = isAfter(ctx.asOf, LEGACY_POP_IMAP_BLOCKED_BY);
    if (!popImapRetired && !popImapDisabledEverywhere(policy)) return [];
    // Say what the document says, no more: it speaks for mailboxes only through casMailboxes (and plans).
    const mailboxes =
      policy.casMailboxes === undefined
        ? 'this document manages no mailbox settings, so it turns it back on for none'
        : 'no mailbox setting in this document turns one back on';
    const why = popImapRetired
      ? `SMTP AUTH is disabled for the organisation and ${mailboxes}, and the POP/IMAP legacy endpoints are blocked since ${LEGACY_POP_IMAP_BLOCKED_BY}`
      : `SMTP AUTH is disabled for the organisation, POP3 and IMAP4 are off by the casMailboxes default, and ${mailboxes}`;
    return [{ pointer: pointer('transportConfig', 'allowLegacyTLSClients'), message: `allowLegacyTLSClients is true but does nothing: ${why}` }];
  },
};
