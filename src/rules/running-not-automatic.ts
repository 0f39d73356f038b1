import { pointer } from './pointer';
import { REF } from './references';
import { serverProtocols } from './server-protocols';
import type { Rule, RuleFinding } from './types';
import { PROTOCOL_NAMES } from './wording';

export const runningNotAutomatic: Rule = {
  id: 'MP-SRV-005',
  version: 1,
  title: 'POP3/IMAP4 services Running but not started automatically',
  severity: 'low',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: false,
  reads: ['servers'],
  rationale:
    'A service that is Running with startup type Manual or Disabled stops at the next reboot and stays stopped: the protocol ' +
    'disappears after patching. Enabling POP3/IMAP4 on Exchange Server means starting both services (front end and back end) ' +
    'and setting both to Automatic.',
  remediation: 'Set `service.startupType: Automatic` together with `state: Running` (or stop the service if it is not needed).',
  references: [REF.configurePop3, REF.configureImap4],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    for (const { server, protocol, block, at } of serverProtocols(policy)) {
      const service = block.service;
      if (service?.state !== 'Running' || service.startupType === undefined || service.startupType === 'Automatic') continue;
      findings.push({
        pointer: `${at}${pointer('service', 'startupType')}`,
        scope: server,
        message: `${server} ${PROTOCOL_NAMES[protocol]}: the services are Running but startupType is ${service.startupType}, so they will not come back after a reboot`,
      });
    }
    return findings;
  },
};
