/**
 * The host names mail clients reach each service of a server by, as a document declares them,
 * and the certificates the document assigns to that service: what the certificate rules
 * (MP-CRT-001, MP-CRT-002) read. Each place a document names a client host is one entry of
 * CLIENT_HOST_SOURCES.
 */
import type { ClientCertificateService } from '../model/certificate';
import type { CertificateDecl } from '../model/certificate';
import type { JsonPointer, Protocol, ServerPolicy } from '../model/types';
import { pointer } from './pointer';
import { connectionSetting } from './server-protocols';
import { PROTOCOL_NAMES } from './wording';

export interface ClientHost {
  readonly host: string;
  /** Where the document names it. */
  readonly pointer: JsonPointer;
}

export interface ClientHostSource {
  readonly service: ClientCertificateService;
  /** `POP3`, as messages name the service. */
  readonly label: string;
  /** The hosts one server's declaration names for the service; `at` is the server's pointer (`/servers/0`). */
  hosts(server: ServerPolicy, at: JsonPointer): readonly ClientHost[];
}

/** POP3/IMAP4: the external connection settings' hosts and X509CertificateName (Set-PopSettings / Set-ImapSettings). */
function protocolHosts(server: ServerPolicy, protocol: Protocol, at: JsonPointer): ClientHost[] {
  const settings = server[protocol]?.settings;
  if (!settings) return [];
  const out: ClientHost[] = [];
  (settings.externalConnectionSettings ?? []).forEach((entry, i) => {
    const parsed = connectionSetting(entry);
    if (parsed) out.push({ host: parsed.host, pointer: `${at}${pointer(protocol, 'settings', 'externalConnectionSettings', i)}` });
  });
  if (settings.x509CertificateName !== undefined) out.push({ host: settings.x509CertificateName, pointer: `${at}${pointer(protocol, 'settings', 'x509CertificateName')}` });
  return out;
}

/**
 * SMTP client submission: the Client Frontend connector's FQDN, the name POP3/IMAP4 clients send
 * to; Microsoft's procedure says its certificate must match it and be enabled for SMTP
 * ("Configure authenticated SMTP settings for POP3 and IMAP4 clients").
 */
function submissionHosts(server: ServerPolicy, at: JsonPointer): ClientHost[] {
  const fqdn = server.smtpClientSubmission?.fqdn;
  return fqdn === undefined ? [] : [{ host: fqdn, pointer: `${at}${pointer('smtpClientSubmission', 'fqdn')}` }];
}

/** Every place a document names a client host, per service: a new one is one more entry. */
export const CLIENT_HOST_SOURCES: readonly ClientHostSource[] = [
  { service: 'POP', label: PROTOCOL_NAMES.pop3, hosts: (server, at) => protocolHosts(server, 'pop3', at) },
  { service: 'IMAP', label: PROTOCOL_NAMES.imap4, hosts: (server, at) => protocolHosts(server, 'imap4', at) },
  { service: 'SMTP', label: 'SMTP client submission', hosts: submissionHosts },
];

/** The hosts of one source, each once (case-insensitive), at its first mention. */
export function distinctHosts(hosts: readonly ClientHost[]): ClientHost[] {
  const seen = new Set<string>();
  return hosts.filter((h) => {
    const key = h.host.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export interface DeclaredCertificate {
  readonly certificate: CertificateDecl;
  /** `/servers/0/certificates/1`. */
  readonly at: JsonPointer;
}

/** The certificates a server declares, with where. */
export function declaredCertificates(server: ServerPolicy, at: JsonPointer): DeclaredCertificate[] {
  return (server.certificates ?? []).map((certificate, i) => ({ certificate, at: `${at}${pointer('certificates', i)}` }));
}

export function assignedTo(certificate: CertificateDecl, service: string): boolean {
  return certificate.services.some((s) => s.toLowerCase() === service.toLowerCase());
}
