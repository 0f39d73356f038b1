/**
 * Certificates of the simulated Exchange servers: the default self-signed certificate Exchange
 * setup installs, and certificates added the way an admin imports one (Import-ExchangeCertificate),
 * for `mailpolicy sim init` and `mailpolicy sim certificate add`.
 *
 * The default certificate's properties are Microsoft's "Digital certificates and encryption in
 * Exchange Server" (MicrosoftDocs/OfficeDocs-Exchange, Exchange/ExchangeServer/architecture/
 * client-access/certificates.md, "Properties of the default self-signed certificates"): Subject
 * and Issuer `CN=<ServerName>`, CertificateDomains the server name and its FQDN, NotAfter five years
 * after setup, Services `IMAP, POP, IIS, SMTP`.
 */
import { createHash } from 'node:crypto';
import { sameThumbprint } from '../model/certificate';
import type { SimCertificate, SimServer } from './state';

/** How Exchange prints Services: the AllowedServices flags in this order (`IMAP, POP, IIS, SMTP` as Microsoft prints the default certificate's; the rest unverified). */
export const SERVICE_PRINT_ORDER = ['IMAP', 'POP', 'UM', 'IIS', 'SMTP', 'Federation', 'UMCallRouter'] as const;

export function printedServices(services: readonly string[]): string {
  if (services.length === 0) return 'None';
  const rank = (s: string): number => {
    const i = SERVICE_PRINT_ORDER.findIndex((o) => o.toLowerCase() === s.toLowerCase());
    return i < 0 ? SERVICE_PRINT_ORDER.length : i;
  };
  return [...services].sort((a, b) => rank(a) - rank(b)).join(', ');
}

/** A thumbprint is a certificate's SHA-1 digest: here, of what describes the simulated certificate, so the same inputs give the same thumbprint. */
export function simulatedThumbprint(server: string, subject: string, sans: readonly string[], notAfter: string): string {
  return createHash('sha1').update(JSON.stringify([server.toLowerCase(), subject, [...sans], notAfter])).digest('hex').toUpperCase();
}

const FIVE_YEARS_MS = 5 * 365.25 * 24 * 3600 * 1000;

/** Exchange setup's self-signed "Microsoft Exchange" certificate of a server installed at `installed`. */
export function defaultCertificate(name: string, fqdn: string, installed: Date = new Date()): SimCertificate {
  const subject = `CN=${name}`;
  const notAfter = new Date(Math.floor((installed.getTime() + FIVE_YEARS_MS) / 1000) * 1000).toISOString();
  const certificateDomains = [name, fqdn];
  // The thumbprint leaves the date out: a server's default certificate is the same in every state made for it.
  return { thumbprint: simulatedThumbprint(name, subject, certificateDomains, ''), subject, issuer: subject, certificateDomains, notAfter, services: ['IMAP', 'POP', 'IIS', 'SMTP'] };
}

export function findCertificate(server: SimServer, thumbprint: string): SimCertificate | undefined {
  return (server.certificates ?? []).find((c) => sameThumbprint(c.thumbprint, thumbprint));
}
