import { isWildcardName, nameCovers } from '../model/certificate';
import { assignedTo, CLIENT_HOST_SOURCES, declaredCertificates, distinctHosts } from './client-hosts';
import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

/** The services a wildcard certificate must not be enabled for (Enable-ExchangeCertificate.md, -Services). */
const NO_WILDCARD = ['POP', 'IMAP'] as const;

export const certificateNames: Rule = {
  id: 'MP-CRT-001',
  version: 1,
  title: 'Client host name not covered by a certificate assigned to its service, or a wildcard certificate assigned to POP/IMAP',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'server name', example: 'EX01' },
  crossResource: true,
  reads: ['servers'],
  rationale:
    'A client checks that the certificate the server presents holds the name it connected to. Microsoft: the certificate named by ' +
    '`X509CertificateName` must hold that name and be assigned to the POP (IMAP) service, and a wildcard certificate must not be ' +
    'enabled for POP or IMAP (use `X509CertificateName` instead); the Client Frontend connector\'s certificate must match its FQDN ' +
    'and be enabled for SMTP (`smtpClientSubmission.fqdn`). A host name clients are told to use that no assigned certificate ' +
    'holds gives them a certificate error, or trains them to accept one. Judged where the document lists the server\'s ' +
    '`certificates` with the names each holds (`certificateDomains`, which `mailpolicy export` writes from Get-ExchangeCertificate).',
  remediation:
    'Assign a certificate that holds the name to the service (`certificates: [{ thumbprint, services: [POP, IMAP] }]`, which runs ' +
    '`Enable-ExchangeCertificate`), or change the host name. With a wildcard certificate, do not assign it to POP or IMAP: list it ' +
    'on the server for another service (or none) and set `x509CertificateName` to the host name.',
  references: [REF.enableExchangeCertificate, REF.popImapCertificates, REF.exchangeCertificates, REF.authenticatedSmtpOnPremises],
  evaluate(policy) {
    const findings: RuleFinding[] = [];
    (policy.servers ?? []).forEach((server, s) => {
      // Certificates not declared: not managed here, nothing to judge (MP-SRV-004 asks for a named certificate).
      if (server.certificates === undefined) return;
      const at = pointer('servers', s);
      const certificates = declaredCertificates(server, at);
      for (const { certificate, at: where } of certificates) {
        const wildcard = (certificate.certificateDomains ?? []).find(isWildcardName);
        const refused = NO_WILDCARD.filter((service) => assignedTo(certificate, service));
        if (wildcard === undefined || refused.length === 0) continue;
        findings.push({
          pointer: `${where}${pointer('services')}`,
          scope: server.name,
          message: `${server.name}: wildcard certificate ${certificate.thumbprint} (${wildcard}) is assigned to ${refused.join(' and ')}, which Exchange refuses: set x509CertificateName instead`,
        });
      }
      for (const source of CLIENT_HOST_SOURCES) {
        const assigned = certificates.filter((c) => assignedTo(c.certificate, source.service));
        // Microsoft's procedure for a wildcard certificate: not assigned to POP/IMAP, named by X509CertificateName instead.
        const usable = NO_WILDCARD.some((service) => service === source.service)
          ? [...assigned, ...certificates.filter((c) => !assigned.includes(c) && (c.certificate.certificateDomains ?? []).some(isWildcardName))]
          : assigned;
        const unnamed = assigned.filter((c) => c.certificate.certificateDomains === undefined).map((c) => c.certificate.thumbprint);
        for (const { host, pointer: where } of distinctHosts(source.hosts(server, at))) {
          if (usable.some((c) => (c.certificate.certificateDomains ?? []).some((name) => nameCovers(name, host)))) continue;
          const why =
            assigned.length === 0
              ? `no certificate in servers[${s}].certificates is assigned to ${source.service}`
              : `no certificate assigned to ${source.service} holds it${unnamed.length > 0 ? ` (${unnamed.join(', ')} state no certificateDomains: mailpolicy export writes them)` : ''}`;
          findings.push({ pointer: where, scope: server.name, message: `${server.name} ${source.label}: clients connect to ${host}, but ${why}` });
        }
      }
    });
    return findings;
  },
};
