import type { ProtocolSettings } from '../model/types';
import { pointer } from './pointer';
import { REF } from './references';
import { bindingPort, connectionSetting, serverProtocols } from './server-protocols';
import type { Rule, RuleFinding } from './types';
import { PROTOCOL_NAMES } from './wording';

const SETTING_KEYS = ['externalConnectionSettings', 'internalConnectionSettings'] as const;

function boundPorts(bindings: readonly string[] | undefined): ReadonlySet<number> | undefined {
  if (!bindings) return undefined;
  return new Set(bindings.map(bindingPort).filter((p): p is number => p !== undefined));
}

export const connectionPortsNotBound: Rule = {
  id: 'MP-SRV-003',
  version: 1,
  title: 'POP3/IMAP4 connection setting on a port the service does not listen on',
  severity: 'medium',
  enforcement: 'mandatory',
  waivable: false,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: false,
  reads: ['servers'],
  rationale:
    'The connection settings tell clients where to connect; the bindings are where the service listens. An SSL entry must use a ' +
    'port in `SSLBindings`, a TLS or unencrypted entry a port in `UnencryptedOrTLSBindings`, or clients are sent to a port ' +
    'that refuses them or speaks the other protocol. The loader rejects this within one settings block; this rule also covers ' +
    'settings the policy pack sees as separate resources. A broken configuration cannot be waived.',
  remediation:
    'Change the entry\'s port or encryption, or add the port to `sslBindings` (`[::]:995`, `0.0.0.0:995`) or ' +
    '`unencryptedOrTLSBindings` (`[::]:110`, `0.0.0.0:110`).',
  references: [REF.setPopSettings, REF.setImapSettings],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    for (const { server, protocol, block, at } of serverProtocols(policy)) {
      const settings: ProtocolSettings = block.settings ?? {};
      const ssl = boundPorts(settings.sslBindings);
      const plain = boundPorts(settings.unencryptedOrTLSBindings);
      for (const key of SETTING_KEYS) {
        (settings[key] ?? []).forEach((entry, i) => {
          const parsed = connectionSetting(entry);
          if (!parsed) return;
          const isSsl = parsed.encryption === 'SSL';
          const ports = isSsl ? ssl : plain;
          // Bindings not declared: Exchange keeps its own, which this document does not describe.
          if (!ports || ports.has(parsed.port)) return;
          const bindingKey = isSsl ? 'sslBindings' : 'unencryptedOrTLSBindings';
          findings.push({
            pointer: `${at}${pointer('settings', key, i)}`,
            scope: server,
            message: `${server} ${PROTOCOL_NAMES[protocol]}: ${key} entry "${entry}" uses port ${parsed.port}, which is not in ${bindingKey} (${[...ports].join(', ') || 'none'})`,
          });
        });
      }
    }
    return findings;
  },
};
