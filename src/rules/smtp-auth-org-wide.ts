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
    'SMTP AUTH is a legacy submission protocol that password-spraying and credential-stuffing attacks target. CISA\'s SCuBA ' +
    'baseline MS.EXO.5.1v1 says "SMTP AUTH SHALL be disabled"; tenants created after January 2020 have it off. ' +
    `Microsoft disables SMTP AUTH with Basic authentication by default for existing tenants at the end of December 2026 (${SMTP_AUTH_BASIC_OFF_BY_DEFAULT}). ` +
    `Advisory in general, mandatory in the US government clouds (${usGovernmentCloudLabels('and')}).`,
  remediation:
    'Set `transportConfig.smtpClientAuthenticationDisabled: true` and enable SMTP AUTH only for the mailboxes that need it, as ' +
    '`casMailboxes.exceptions` with `smtpClientAuthenticationDisabled: false` (reported by MP-EXO-004).',
  references: [REF.scubaExo, REF.smtpSubmission, REF.setTransportConfig],
  dates: [{ date: SMTP_AUTH_BASIC_OFF_BY_DEFAULT, meaning: 'SMTP AUTH Basic authentication off by default; the message changes from the next day' }],
  evaluate(policy, ctx) {
    if (policy.transportConfig?.smtpClientAuthenticationDisabled !== false) return [];
    const basic = isAfter(ctx.asOf, SMTP_AUTH_BASIC_OFF_BY_DEFAULT)
      ? 'Basic authentication for SMTP AUTH is off by default since the end of December 2026 and must not be turned back on'
      : 'Microsoft turns Basic authentication for SMTP AUTH off by default at the end of December 2026';
    return [
      {
        pointer: pointer('transportConfig', 'smtpClientAuthenticationDisabled'),
        message: `SMTP AUTH is enabled for every mailbox (smtpClientAuthenticationDisabled: false; CISA MS.EXO.5.1v1: SMTP AUTH SHALL be disabled); ${basic}`,
      },
    ];
  },
};
