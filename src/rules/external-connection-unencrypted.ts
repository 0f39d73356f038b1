import { pointer } from './pointer';
import { REF } from './references';
import { connectionSetting, serverProtocols } from './server-protocols';
import type { Rule, RuleFinding } from './types';
import { PROTOCOL_NAMES } from './wording';

export const externalConnectionUnencrypted: Rule = {
  id: 'MP-SRV-001',
  version: 1,
  title: 'External POP3/IMAP4 connection setting without SSL or TLS',
  severity: 'high',
  enforcement: 'mandatory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: false,
  reads: ['servers'],
  rationale:
    '`ExternalConnectionSettings` is what Exchange tells users (Outlook on the web, Autodiscover) to configure for access from ' +
    'the internet. An entry without `:SSL` or `:TLS` advertises an unencrypted connection, over which mail and often the ' +
    'password travel in clear text.',
  remediation:
    'Write every external entry as `host:995:SSL` / `host:993:SSL` (implicit TLS) or `host:110:TLS` / `host:143:TLS` (STARTTLS), ' +
    'with the port present in the matching bindings (`sslBindings` for SSL, `unencryptedOrTLSBindings` for TLS), which the loader checks.',
  references: [REF.setPopSettings, REF.setImapSettings, REF.configurePop3, REF.configureImap4],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    for (const { server, protocol, block, at } of serverProtocols(policy)) {
      (block.settings?.externalConnectionSettings ?? []).forEach((entry, i) => {
        const parsed = connectionSetting(entry);
        if (!parsed || parsed.encryption !== undefined) return;
        findings.push({
          pointer: `${at}${pointer('settings', 'externalConnectionSettings', i)}`,
          scope: server,
          message: `${server} ${PROTOCOL_NAMES[protocol]}: external connection setting "${entry}" has no :SSL or :TLS, so clients outside connect unencrypted`,
        });
      });
    }
    return findings;
  },
};
