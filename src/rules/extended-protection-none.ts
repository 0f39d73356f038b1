import { pointer } from './pointer';
import { REF } from './references';
import { connectionSetting, serverProtocols, type ServerProtocol } from './server-protocols';
import type { Rule, RuleFinding } from './types';
import { PROTOCOL_NAMES } from './wording';

/**
 * Whether the document's POP3/IMAP4 block offers SSL/TLS: its SSL bindings (Exchange's default,
 * [::]:995 / [::]:993 and 0.0.0.0, when the key is absent) or a connection setting marked SSL or
 * TLS. A block whose services are declared Disabled or Stopped offers nothing.
 */
function offersTls({ block }: ServerProtocol): boolean {
  if (block.service?.startupType === 'Disabled' || block.service?.state === 'Stopped') return false;
  const settings = block.settings ?? {};
  if (settings.sslBindings === undefined || settings.sslBindings.length > 0) return true;
  const entries = [...(settings.externalConnectionSettings ?? []), ...(settings.internalConnectionSettings ?? [])];
  return entries.some((entry) => connectionSetting(entry)?.encryption !== undefined);
}

export const extendedProtectionNone: Rule = {
  id: 'MP-SRV-007',
  version: 1,
  title: 'POP3/IMAP4 offers TLS without Extended Protection for Authentication',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  // Reads a block's service (Disabled or Stopped offers nothing) and its settings: two resources.
  crossResource: true,
  reads: ['servers'],
  rationale:
    '`ExtendedProtectionPolicy None`, Exchange\'s default, leaves Extended Protection for Authentication off for the protocol\'s ' +
    'Integrated Windows authentication (NTLM). Microsoft\'s Set-PopSettings and Set-ImapSettings pages say it enhances the ' +
    'protection and handling of credentials and strongly recommend using it where clients support it (default installations of ' +
    'Windows 7 or later and Windows Server 2008 R2 or later do). This rule reports a declared POP3/IMAP4 block that offers ' +
    'SSL/TLS (SSL bindings, which Exchange has by default, or a connection setting marked SSL or TLS) with Integrated Windows ' +
    'authentication not turned off (`enableGSSAPIAndNTLMAuth` not false); services declared Disabled or Stopped are skipped.',
  remediation:
    'Set `settings.extendedProtectionPolicy: Allow` (used when the client supports it) or `Require` (clients without it are ' +
    'refused); mailpolicy restarts the services after the change. Or turn Integrated Windows authentication off ' +
    '(`enableGSSAPIAndNTLMAuth: false`) if no client uses it.',
  references: [REF.setPopSettings, REF.setImapSettings],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    for (const entry of serverProtocols(policy)) {
      const { server, protocol, block, at } = entry;
      const settings = block.settings ?? {};
      // Absent: Exchange's default, None (Set-PopSettings / Set-ImapSettings reference).
      if ((settings.extendedProtectionPolicy ?? 'None') !== 'None' || settings.enableGSSAPIAndNTLMAuth === false || !offersTls(entry)) continue;
      const declared = settings.extendedProtectionPolicy === undefined ? 'is not set (Exchange\'s default is None)' : 'is None';
      findings.push({
        pointer: `${at}${pointer('settings', 'extendedProtectionPolicy')}`,
        scope: server,
        message: `${server} ${PROTOCOL_NAMES[protocol]}: SSL/TLS is offered but extendedProtectionPolicy ${declared}, so Integrated Windows authentication has no Extended Protection`,
      });
    }
    return findings;
  },
};
