import { cloudFacts, type Cloud, type CloudFacts } from '../model/clouds';
import { LEGACY_POP_IMAP_BLOCKED_BY, LEGACY_POP_IMAP_BLOCKING_STARTS, isAfter } from './dates';
import { isUsGovernmentCloud } from './enforcement';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule } from './types';

/** The legacy TLS endpoints of the document's cloud (null where the cloud has none). */
function legacyTls(cloud: Cloud | undefined): CloudFacts['legacyTls'] {
  return cloudFacts(cloud ?? 'worldwide').legacyTls;
}

export const legacyTlsOptIn: Rule = {
  id: 'MP-EXO-002',
  version: 1,
  title: 'Legacy TLS (1.0/1.1) opted in',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  crossResource: false,
  reads: ['transportConfig'],
  rationale:
    '`AllowLegacyTLSClients` opts the tenant in to the legacy endpoints (`pop-legacy`, `imap-legacy`, `smtp-legacy`) that still ' +
    'accept TLS 1.0 and 1.1, protocols with known weaknesses that Exchange Online stopped supporting in October 2020. ' +
    `Microsoft retires the POP/IMAP legacy endpoints: blocking rolls out from July 2026 and is complete by ${LEGACY_POP_IMAP_BLOCKED_BY} ` +
    '(Message Center MC1293480; Microsoft has not said whether this covers 21Vianet, so there the message states no date). After that the opt-in matters only for SMTP client submission.',
  remediation:
    'Upgrade or replace the clients that need TLS 1.0/1.1 (often scanners and line-of-business senders), then set ' +
    '`transportConfig.allowLegacyTLSClients: false`. If a device cannot be upgraded before the retirement, record a waiver with an expiry date.',
  references: [REF.legacyTlsPopImap, REF.legacyTlsSmtp, REF.popImapTls, REF.setTransportConfig],
  dates: [
    { date: LEGACY_POP_IMAP_BLOCKING_STARTS, meaning: 'blocking of the POP/IMAP legacy endpoints starts rolling out' },
    { date: LEGACY_POP_IMAP_BLOCKED_BY, meaning: 'POP/IMAP legacy endpoints blocked; from the next day the message says the opt-in affects SMTP only' },
  ],
  evaluate(policy, ctx) {
    // Government clouds are MP-EXO-001's: one finding per fact.
    if (policy.transportConfig?.allowLegacyTLSClients !== true || isUsGovernmentCloud(policy)) return [];
    const legacy = legacyTls(policy.target.cloud);
    if (legacy === null) return [];
    const domain = legacy.domain;
    let message: string;
    if (!legacy.popImapRetirementConfirmed) {
      // Where Microsoft has not said MC1293480 applies (21Vianet), say what is known per endpoint instead of dating a retirement.
      const { POP3, SMTP } = legacy.endpoints;
      message =
        `allowLegacyTLSClients is true: TLS 1.0/1.1 stays accepted on pop-legacy/imap-legacy/smtp-legacy.${domain}` +
        `${POP3.status === undefined ? '' : `; POP/IMAP: ${POP3.status}`}${SMTP.status === undefined ? '' : `; SMTP: ${SMTP.status}`}`;
    } else if (isAfter(ctx.asOf, LEGACY_POP_IMAP_BLOCKED_BY)) {
      message =
        `allowLegacyTLSClients is true: the POP/IMAP legacy endpoints are blocked since ${LEGACY_POP_IMAP_BLOCKED_BY}; ` +
        `the opt-in now only keeps smtp-legacy.${domain} accepting TLS 1.0/1.1 for SMTP client submission`;
    } else {
      const phase = ctx.asOf >= LEGACY_POP_IMAP_BLOCKING_STARTS ? 'is rolling out now' : `rolls out from ${LEGACY_POP_IMAP_BLOCKING_STARTS.slice(0, 7)}`;
      message =
        `allowLegacyTLSClients is true: TLS 1.0/1.1 stays accepted on pop-legacy/imap-legacy/smtp-legacy.${domain}; ` +
        `blocking of the POP/IMAP legacy endpoints ${phase} and completes by ${LEGACY_POP_IMAP_BLOCKED_BY}, after which the opt-in matters only for SMTP`;
    }
    return [{ pointer: pointer('transportConfig', 'allowLegacyTLSClients'), message }];
  },
};
