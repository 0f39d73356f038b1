import { EXCHANGE_2016_2019_END_OF_SUPPORT, EXCHANGE_SE_RTM, isSupported, outOfSupportText, parseExchangeVersion, productOf } from '../model/exchange-version';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule } from './types';

/**
 * The document's own statement of the Exchange Server build it expects. The rule judges the
 * document only, like every rule: check, plan, apply and the policy pack (which has no Exchange
 * connection) must judge the same thing the same way. What each server really runs is
 * organisation state, which `drift` compares with this key (Get-ExchangeServer, AdminDisplayVersion)
 * and `export` writes into it.
 */
export const serverVersion: Rule = {
  id: 'MP-SRV-006',
  version: 1,
  title: 'Expected Exchange Server version out of support',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  // The statement concerns the servers the document manages; the pack sees the target only through their resources.
  crossResource: true,
  reads: ['servers'],
  rationale:
    `Exchange Server 2016 and 2019 are out of support since ${EXCHANGE_2016_2019_END_OF_SUPPORT}: no security updates, so a POP3 or ` +
    `IMAP4 endpoint they publish is exposed to every vulnerability found since. Exchange Server SE (RTM ${EXCHANGE_SE_RTM}, ` +
    'the same code base as Exchange 2019 CU15) is the supported version. A document whose `target.minimumServerVersion` is ' +
    'below Exchange Server SE accepts servers Microsoft no longer patches, and `mailpolicy drift` then reports them as in sync.',
  remediation:
    `Upgrade the servers to Exchange Server SE (in place from Exchange 2019 CU14 or CU15), then set \`target.minimumServerVersion: "${EXCHANGE_SE_RTM}"\` ` +
    '(or the build of the latest update) so that drift reports any server left behind. Until then, record a waiver with an expiry date.',
  references: [REF.exchangeBuildNumbers, REF.exchange2019Lifecycle, REF.exchange2016Lifecycle],
  dates: [{ date: EXCHANGE_2016_2019_END_OF_SUPPORT, meaning: 'end of support of Exchange Server 2016 and 2019 (their last supported day); from the next day the message says they are out of support' }],
  evaluate(policy, ctx) {
    const stated = policy.target.minimumServerVersion;
    if (policy.target.platform !== 'exchangeServer' || policy.servers === undefined || stated === undefined) return [];
    const minimum = parseExchangeVersion(stated);
    // A malformed build number is the loader's to refuse (the schema's pattern); resource inputs may still hold one.
    if (!minimum || isSupported(minimum)) return [];
    return [
      {
        pointer: pointer('target', 'minimumServerVersion'),
        message:
          `minimumServerVersion ${stated} accepts ${productOf(minimum)}, ${outOfSupportText(minimum, ctx.asOf) ?? ''}; ` +
          `Exchange Server SE (${EXCHANGE_SE_RTM} or later) is the supported version`,
      },
    ];
  },
};

