import { pointer } from './pointer';
import { REF } from './references';
import { serverProtocols } from './server-protocols';
import type { Rule, RuleFinding } from './types';
import { PROTOCOL_NAMES } from './wording';

export const runningWithoutCertificate: Rule = {
  id: 'MP-SRV-004',
  version: 1,
  title: 'POP3/IMAP4 running without a named certificate',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: true,
  reads: ['servers'],
  rationale:
    'Without `X509CertificateName` Exchange picks a certificate for POP3/IMAP4 by itself, often the self-signed one Setup ' +
    'creates, which is meant for test environments: clients then either fail to connect or are trained to accept certificate ' +
    'warnings. A service declared Running should declare which certificate it presents.',
  remediation:
    'Set `settings.x509CertificateName` to the FQDN in the connection settings, and enable a certificate for that name for the ' +
    'service (`Enable-ExchangeCertificate -Services POP,IMAP`).',
  references: [REF.popImapCertificates, REF.setPopSettings, REF.setImapSettings],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    for (const { server, protocol, block, at } of serverProtocols(policy)) {
      if (block.service?.state !== 'Running' || block.settings?.x509CertificateName !== undefined) continue;
      findings.push({
        pointer: `${at}${pointer('service', 'state')}`,
        scope: server,
        message: `${server} ${PROTOCOL_NAMES[protocol]}: the service is declared Running but settings.x509CertificateName is not set, so Exchange chooses the certificate (often self-signed)`,
      });
    }
    return findings;
  },
};
