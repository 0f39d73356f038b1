/**
 * Certificates assigned to Exchange services (Enable-ExchangeCertificate -Services, on-premises
 * only): the document's declaration and the name matching rules and the simulator share.
 * Facts: docs/exchange-facts.md "Certificates for POP, IMAP and SMTP".
 */

/**
 * Enable-ExchangeCertificate.md, -Services (AllowedServices): Federation, IIS, IMAP, POP, SMTP,
 * UM, UMCallRouter, several separated by commas. Get-ExchangeCertificate.md adds `None` for a
 * certificate no service uses (never written).
 */
export const CERTIFICATE_SERVICES = ['Federation', 'IIS', 'IMAP', 'POP', 'SMTP', 'UM', 'UMCallRouter'] as const;
export type CertificateService = (typeof CERTIFICATE_SERVICES)[number];

/** The services mail clients reach with a certificate: what the certificate rules look at. */
export const CLIENT_CERTIFICATE_SERVICES = ['POP', 'IMAP', 'SMTP'] as const satisfies readonly CertificateService[];
export type ClientCertificateService = (typeof CLIENT_CERTIFICATE_SERVICES)[number];

/**
 * `servers[].certificates[]`: one certificate on the server and the services it must be enabled
 * for. `certificateDomains` and `notAfter` are what the certificate holds (Get-ExchangeCertificate),
 * stated so the rules can judge them from the document alone: never sent to Exchange (no cmdlet
 * changes a certificate's names or expiry); plan and drift note where Exchange reports otherwise.
 */
export interface CertificateDecl {
  /** Get-ExchangeCertificate's Thumbprint (40 hexadecimal digits, any case). */
  readonly thumbprint: string;
  readonly services: readonly CertificateService[];
  /** The names the certificate holds (its SANs, else its subject's CN), as Get-ExchangeCertificate reports CertificateDomains. */
  readonly certificateDomains?: readonly string[];
  /** Its expiry, YYYY-MM-DD (the date of Get-ExchangeCertificate's NotAfter, UTC). */
  readonly notAfter?: string;
}

export const CERTIFICATE_KEYS = ['thumbprint', 'services', 'certificateDomains', 'notAfter'] as const satisfies readonly (keyof CertificateDecl)[];

/** Thumbprints compare without case (Exchange prints them in capitals). */
export function sameThumbprint(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/** `CN=mail.contoso.com, O=Contoso` → `mail.contoso.com`; undefined without a CN. */
export function subjectCommonName(subject: string): string | undefined {
  const match = /(?:^|,)\s*CN=((?:[^,\\]|\\.)*)/i.exec(subject);
  return match ? (match[1] as string).trim().replace(/\\(.)/g, '$1') : undefined;
}

/** A name a certificate holds is a wildcard (`*.contoso.com`). */
export function isWildcardName(name: string): boolean {
  return name.startsWith('*.');
}

/** The names a certificate covers: its SANs (CertificateDomains), else its subject's CN. */
export function certificateNames(certificate: { readonly subject: string; readonly certificateDomains: readonly string[] }): string[] {
  if (certificate.certificateDomains.length > 0) return [...certificate.certificateDomains];
  const cn = subjectCommonName(certificate.subject);
  return cn === undefined ? [] : [cn];
}

/**
 * Whether a certificate name covers a host name, as TLS clients match them (RFC 6125 6.4.3): a
 * wildcard stands for exactly one leftmost label. Case-insensitive.
 */
export function nameCovers(certificateName: string, host: string): boolean {
  const name = certificateName.toLowerCase().replace(/\.$/, '');
  const target = host.toLowerCase().replace(/\.$/, '');
  if (!isWildcardName(name)) return name === target;
  const dot = target.indexOf('.');
  return dot > 0 && target.slice(dot + 1) === name.slice(2);
}
