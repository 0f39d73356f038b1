import { pointer } from './pointer';
import { REF } from './references';
import { serverProtocols } from './server-protocols';
import type { Rule, RuleFinding } from './types';
import { PROTOCOL_NAMES } from './wording';

export const plainTextLogin: Rule = {
  id: 'MP-SRV-002',
  version: 1,
  title: 'POP3/IMAP4 LoginType PlainTextLogin',
  severity: 'high',
  enforcement: 'mandatory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: false,
  reads: ['servers'],
  rationale:
    '`LoginType PlainTextLogin` lets clients send user name and password in clear text on a connection that is not encrypted. ' +
    'Anyone on the path can read the credentials. The Exchange default, `SecureLogin`, accepts a login only on an encrypted connection.',
  remediation: 'Set `loginType: SecureLogin` (the default) and restart the services, which mailpolicy does after a settings change.',
  references: [REF.setPopSettings, REF.setImapSettings],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    for (const { server, protocol, block, at } of serverProtocols(policy)) {
      if (block.settings?.loginType !== 'PlainTextLogin') continue;
      findings.push({
        pointer: `${at}${pointer('settings', 'loginType')}`,
        scope: server,
        message: `${server} ${PROTOCOL_NAMES[protocol]}: loginType PlainTextLogin accepts passwords in clear text on unencrypted connections`,
      });
    }
    return findings;
  },
};
