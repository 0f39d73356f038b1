import { CLIENT_CERTIFICATE_SERVICES } from '../model/certificate';
import { assignedTo, declaredCertificates } from './client-hosts';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

/** How far ahead an expiry is reported. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 3600 * 1000;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export const certificateExpiry: Rule = {
  id: 'MP-CRT-002',
  version: 1,
  title: `Certificate assigned to POP, IMAP or SMTP expires within ${EXPIRY_WARNING_DAYS} days`,
  severity: 'high',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: false,
  reads: ['servers'],
  rationale:
    'When the certificate a service presents expires, clients refuse the connection or show a certificate error until another ' +
    'certificate is assigned. Judged, as of the day of the check (`--as-of`), from the expiry the document states for each ' +
    'certificate (`notAfter`, which `mailpolicy export` writes from Get-ExchangeCertificate); plan and drift note when Exchange ' +
    'reports another.',
  remediation:
    'Import the renewed certificate on the server, assign it to the same services (`certificates: [{ thumbprint, services }]`, ' +
    'which runs `Enable-ExchangeCertificate`) and point `x509CertificateName` at its name if it changed.',
  references: [REF.getExchangeCertificate, REF.enableExchangeCertificate, REF.exchangeCertificates],
  evaluate(policy, ctx) {
    const findings: RuleFinding[] = [];
    (policy.servers ?? []).forEach((server, s) => {
      for (const { certificate, at } of declaredCertificates(server, pointer('servers', s))) {
        const services = CLIENT_CERTIFICATE_SERVICES.filter((service) => assignedTo(certificate, service));
        if (certificate.notAfter === undefined || services.length === 0) continue;
        const days = daysBetween(ctx.asOf, certificate.notAfter);
        if (days > EXPIRY_WARNING_DAYS) continue;
        const when = days < 0 ? `expired on ${certificate.notAfter}` : `expires on ${certificate.notAfter}, within ${EXPIRY_WARNING_DAYS} days of ${ctx.asOf}`;
        findings.push({ pointer: `${at}${pointer('notAfter')}`, scope: server.name, message: `${server.name}: certificate ${certificate.thumbprint}, assigned to ${services.join(', ')}, ${when}` });
      }
    });
    return findings;
  },
};
