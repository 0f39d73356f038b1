/**
 * The ExchangeCertificate kind's read-back: every certificate on one server
 * (Get-ExchangeCertificate -Server), and its part of the organisation as read. Owned by
 * exchange-certificate.ts.
 */
import { readBack, resultList } from '../../exchange/read-back';
import { missing } from '../../exchange/reader';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend } from '../../exchange/types';

/** One certificate on an Exchange server, as Get-ExchangeCertificate -Server reports it. */
export interface ActualCertificate {
  /** In capitals, as Exchange prints it. */
  readonly thumbprint: string;
  /** The services it is enabled for (`None` left out). */
  readonly services: readonly string[];
  readonly subject: string;
  readonly issuer: string;
  /** Its Subject Alternative Names. */
  readonly certificateDomains: readonly string[];
  /** Expiry, `YYYY-MM-DDThh:mm:ss.sssZ`; null when not reported. */
  readonly notAfter: string | null;
}

/** Every certificate of one server. */
export interface ActualServerCertificates {
  readonly server: string;
  readonly certificates: readonly ActualCertificate[];
}

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface ExchangeCertificatePart {
  /** Each server's certificates, keyed by the server name lowercased. */
  readonly certificates?: ReadonlyMap<string, ActualServerCertificates>;
}

/** Every certificate on one Exchange server (Get-ExchangeCertificate -Server), pending requests included as Exchange lists them. */
export async function readCertificates(backend: ExchangeBackend, server: string): Promise<ActualServerCertificates> {
  const raw = await backend.invoke(buildRequest('Get-ExchangeCertificate', { server }));
  const certificates = resultList(raw).map((item): ActualCertificate => {
    const o = readBack('Get-ExchangeCertificate', item);
    if (typeof o.thumbprint !== 'string' || o.thumbprint === '') throw missing('Get-ExchangeCertificate', `thumbprint of a certificate on ${server}`);
    return {
      thumbprint: o.thumbprint.toUpperCase(),
      // Get-ExchangeCertificate prints `None` for a certificate enabled for no service.
      services: (o.services as string[]).filter((s) => s !== 'None'),
      subject: (o.subject as string | null) ?? '',
      issuer: (o.issuer as string | null) ?? '',
      certificateDomains: o.certificateDomains as string[],
      notAfter: o.notAfter as string | null,
    };
  });
  return { server, certificates };
}
