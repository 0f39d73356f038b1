import { usGovernmentCloudLabels } from '../model/clouds';
import { SMTP_AUTH_BASIC_OFF_BY_DEFAULT, isAfter } from './dates';
import { MANDATORY_IN_US_GOVERNMENT_CLOUDS } from './enforcement';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule } from './types';

export const smtpAuthOrgWide: Rule = {
  id: 'MP-EXO-003',
  version: 1,
  title: 'SMTP AUTH client submission enabled for the whole organisation',
  severity: 'medium',
  enforcement: 'advisory',
  enforcementByCloud: MANDATORY_IN_US_GOVERNMENT_CLOUDS,
  waivable: true,
  crossResource: false,
  reads: ['transportConfig'],
  rationale:
    '`SmtpClientAuthenticationDisabled: $false` enables SMTP AUTH client submission (the protocol) for the organisation, for ' +
    'every way of signing in to it: OAuth as well as Basic authentication. Each mailbox that does not set its own value ' +
    'inherits it. SMTP AUTH is the submission path that password-spraying and credential-stuffing attacks target while ' +
    'Basic authentication is allowed on it. CISA\'s SCuBA baseline MS.EXO.5.1v1 says "SMTP AUTH SHALL be disabled"; tenants ' +
    'created after January 2020 have it off. For Basic authentication on SMTP AUTH Microsoft announced (Exchange Team blog, ' +
    '2026-01-27; MC786329, all cloud environments): no change through December 2026; at the end of December 2026 it is ' +
    'disabled by default for existing tenants, and admins can still enable it; tenants created after that have it ' +
    'unavailable by default; the final removal date will be announced in the second half of 2027. SMTP AUTH with OAuth is ' +
    'not affected, so this setting matters after that date too. Advisory in general, mandatory in the US government clouds ' +
    `(${usGovernmentCloudLabels('and')}).`,
  remediation:
    'Set `transportConfig.smtpClientAuthenticationDisabled: true` and enable SMTP AUTH only for the mailboxes that need it, as ' +
    '`casMailboxes.exceptions` with `smtpClientAuthenticationDisabled: false` (reported by MP-EXO-004). Senders that stay ' +
    'on SMTP AUTH should sign in with OAuth.',
  references: [REF.scubaExo, REF.smtpSubmission, REF.smtpAuthBasicTimeline, REF.setTransportConfig],
  dates: [{ date: SMTP_AUTH_BASIC_OFF_BY_DEFAULT, meaning: 'SMTP AUTH Basic authentication off by default for existing tenants (end of December 2026); the message changes from the next day' }],
  evaluate(policy, ctx) {
    if (policy.transportConfig?.smtpClientAuthenticationDisabled !== false) return [];
    // Microsoft's announcement, no more (SMTP_AUTH_BASIC_OFF_BY_DEFAULT cites it): Basic only, not the protocol.
    const basic = isAfter(ctx.asOf, SMTP_AUTH_BASIC_OFF_BY_DEFAULT)
      ? 'Basic authentication for SMTP AUTH is off by default for existing tenants since the end of December 2026 (admins can turn it back on; ' +
        'tenants created since have it unavailable by default; Microsoft announces the final removal date in the second half of 2027, MC786329)'
      : 'Microsoft turns Basic authentication for SMTP AUTH off by default for existing tenants at the end of December 2026 (admins can turn it back on; ' +
        'tenants created after that have it unavailable by default, MC786329)';
    return [
      {
        pointer: pointer('transportConfig', 'smtpClientAuthenticationDisabled'),
        message:
          'SMTP AUTH client submission is enabled for the organisation, for mailboxes without their own setting: the protocol, with OAuth and with Basic authentication where allowed ' +
          `(smtpClientAuthenticationDisabled: false; CISA MS.EXO.5.1v1: SMTP AUTH SHALL be disabled); ${basic}`,
      },
    ];
  },
};
