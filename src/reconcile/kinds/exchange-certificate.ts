/**
 * The ExchangeCertificate kind: one certificate on one Exchange server and the services it must
 * be enabled for, written with Enable-ExchangeCertificate -Thumbprint -Services -Server (Exchange
 * Server only). Facts (Enable-ExchangeCertificate.md, docs/exchange-facts.md):
 * - services are additive: Exchange cannot take one off a certificate, so a service Exchange has
 *   and the document leaves out is a note, never a change (nor repairable drift);
 * - enabling SMTP replaces the default SMTP certificate and prompts; the host has no user, so
 *   the request passes -Force and the plan says what it replaces;
 * - POP3 and IMAP4 use a newly enabled certificate once their services restart: the change
 *   `appliesAtRestart`, like a settings change, so the server's declared POP3/IMAP4 service
 *   resource restarts them in the same plan.
 * The certificate must be on the server already (Import-ExchangeCertificate): one that is not is
 * a plan error. Restoring defaults removes nothing (nothing can be removed).
 */
import { buildRequest } from '../../exchange/request';
import type { JsonValue } from '../../exchange/types';
import { CERTIFICATE_SERVICES, certificateNames, CLIENT_CERTIFICATE_SERVICES, sameThumbprint, type CertificateDecl, type CertificateService } from '../../model/certificate';
import type { MailPolicy, Protocol, ServerPolicy } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { sameIdentity } from '../compare';
import { PlanError, type Change, type ResourceRef } from '../plan';
import type { Declared, DocumentPart, Origin, ResourceKindModule, ResourcePlan, ServerProtocol, StackDocument, UndeclaredHook } from './kind';
import { slug } from './shared';
import type { ExportedServer } from './snapshot';
import { readCertificates, type ActualCertificate, type ActualServerCertificates } from './exchange-certificate-read';
import { PROTOCOL_LABEL } from './protocol-settings';
import { includesIgnoringCase } from '../../text/case';

/** The services whose certificate POP3 and IMAP4 read when their services start. */
const RESTARTED_BY: Readonly<Record<string, Protocol>> = { POP: 'pop3', IMAP: 'imap4' };


function describeCertificate(c: ActualCertificate): string {
  return `${c.thumbprint} (${c.subject || 'no subject'})`;
}

/**
 * What the document states the certificate holds (names, expiry) and Exchange reports otherwise:
 * no cmdlet changes a certificate, so a note (correct the document, or import the certificate meant).
 */
function factNotes(server: string, desired: CertificateDecl, found: ActualCertificate): string[] {
  const notes: string[] = [];
  const names = certificateNames(found);
  if (desired.certificateDomains !== undefined) {
    const fold = (list: readonly string[]): string => [...new Set(list.map((n) => n.toLowerCase()))].sort().join(', ');
    if (fold(desired.certificateDomains) !== fold(names)) notes.push(`${server} certificate ${describeCertificate(found)}: the document says it holds ${desired.certificateDomains.join(', ') || 'no names'}, Exchange reports ${names.join(', ') || 'none'} (a certificate's names cannot be changed: correct the document or import the certificate meant)`);
  }
  const expiry = found.notAfter?.slice(0, 10);
  if (desired.notAfter !== undefined && desired.notAfter !== expiry) notes.push(`${server} certificate ${describeCertificate(found)}: the document says it expires on ${desired.notAfter}, Exchange reports ${expiry ?? 'no expiry'} (correct the document; mailpolicy export writes what Exchange reports)`);
  return notes;
}

export function planExchangeCertificate(resource: ResourceRef, server: string, desired: CertificateDecl, actual: ActualServerCertificates): ResourcePlan {
  const found = actual.certificates.find((c) => sameThumbprint(c.thumbprint, desired.thumbprint));
  if (!found) {
    const known = actual.certificates.map(describeCertificate).join(', ') || 'none';
    throw new PlanError(`certificate ${desired.thumbprint} is not on ${server} (its certificates: ${known}): import it there first (Import-ExchangeCertificate)`);
  }
  const notes: string[] = [...factNotes(server, desired, found)];
  const unlisted = found.services.filter((s) => !includesIgnoringCase(desired.services, s));
  if (unlisted.length > 0) {
    notes.push(`${server} certificate ${describeCertificate(found)} is enabled for ${unlisted.join(', ')} too, which the document does not list: Enable-ExchangeCertificate cannot take a service off a certificate (enable another certificate for it), so it stays`);
  }
  const adding: CertificateService[] = desired.services.filter((s) => !includesIgnoringCase(found.services, s));
  if (adding.length === 0) return { changes: [], notes };
  if (includesIgnoringCase(adding, 'Federation')) {
    throw new PlanError(`${server} certificate ${found.thumbprint}: Federation is not enabled with Enable-ExchangeCertificate (New-FederationTrust / Set-FederationTrust manage the federation certificate)`);
  }
  const smtp = includesIgnoringCase(adding, 'SMTP');
  let replaces = '';
  if (smtp) {
    const current = actual.certificates.filter((c) => c !== found && includesIgnoringCase(c.services, 'SMTP')).map(describeCertificate);
    replaces = `; replaces the default SMTP certificate (enabled for SMTP now: ${current.join(', ') || 'none'}), -Force answers Exchange's confirmation prompt`;
  }
  const restarts = adding.filter((s) => RESTARTED_BY[s] !== undefined).map((s) => PROTOCOL_LABEL[RESTARTED_BY[s] as Protocol]);
  if (restarts.length > 0) {
    notes.push(`${server}: ${restarts.join(' and ')} ${restarts.length === 1 ? 'uses' : 'use'} certificate ${found.thumbprint} once their services restart: the restart is planned where the document declares the server's ${restarts.map((p) => p.toLowerCase()).join(' / ')} section; otherwise restart them yourself`);
  }
  const change: Change = {
    resource,
    action: 'set',
    subject: server,
    request: buildRequest('Enable-ExchangeCertificate', { thumbprint: found.thumbprint, services: adding, server, ...(smtp ? { force: true } : {}) }),
    description: `${server} certificate ${describeCertificate(found)}: enable for ${adding.join(', ')}${replaces}`,
    drift: [{ key: 'services', desired: [...desired.services], actual: [...found.services] }],
    bulk: false,
  };
  return { changes: [change], notes };
}

/** The POP3/IMAP4 services that must restart for `changes` (certificates newly enabled for POP or IMAP). */
function restartsFor(server: string, changes: readonly Change[]): ServerProtocol[] {
  return restartedBy(
    server,
    changes.flatMap((change) => {
      const services = change.request.parameters.Services;
      return Array.isArray(services) ? services.map(String) : [];
    }),
  );
}

/** The POP3/IMAP4 services that restart for a certificate enabled for `services`, each once. */
function restartedBy(server: string, services: readonly string[]): ServerProtocol[] {
  const protocols = new Set<Protocol>();
  for (const service of services) {
    const protocol = RESTARTED_BY[service];
    if (protocol) protocols.add(protocol);
  }
  return [...protocols].map((protocol) => ({ server, protocol }));
}

function certificatePointer(servers: readonly ServerPolicy[], server: string, thumbprint: string, key: string | undefined): string {
  const index = servers.findIndex((s) => sameIdentity(s.name, server));
  const entry = servers[index];
  if (!entry) return pointer('servers');
  const at = (entry.certificates ?? []).findIndex((c) => sameThumbprint(c.thumbprint, thumbprint));
  if (at < 0) return pointer('servers', index);
  return pointer('servers', index, 'certificates', at, ...(key ? [key] : []));
}

/** A certificate part lands in the document's server of that name (added when new), appended to its certificates. */
function mergeCertificate<O extends Origin>(document: StackDocument, part: DocumentPart, origins: readonly O[]): O[] {
  const incoming = part.servers?.[0];
  const certificate = incoming?.certificates?.[0];
  if (!incoming || !certificate) return [];
  let index = document.servers.findIndex((s) => sameIdentity(s.name, incoming.name));
  if (index < 0) {
    index = document.servers.length;
    document.servers.push({ name: incoming.name });
  }
  const existing = document.servers[index] as ServerPolicy;
  const at = existing.certificates?.length ?? 0;
  document.servers[index] = { ...existing, certificates: [...(existing.certificates ?? []), certificate] };
  return origins.map((o) => ({
    ...o,
    prefix: o.prefix.startsWith('/servers/0/certificates/0') ? `/servers/${index}/certificates/${at}${o.prefix.slice('/servers/0/certificates/0'.length)}` : `/servers/${index}${o.prefix.slice('/servers/0'.length)}`,
  }));
}

/** The declared servers that list their certificates: only there is a certificate the list leaves out "not declared". */
function serversListingCertificates(policy: MailPolicy): ServerPolicy[] {
  return policy.target.platform === 'exchangeServer' ? (policy.servers ?? []).filter((s) => s.certificates !== undefined) : [];
}

/**
 * Certificates enabled for POP, IMAP or SMTP on a server whose `certificates` the document lists,
 * that the list does not name: clients are served a certificate nobody declared (an old one still
 * enabled for SMTP, a test certificate enabled for POP).
 */
export const UNDECLARED_CERTIFICATES: UndeclaredHook = {
  what: 'ExchangeCertificate',
  covers: (policy) => serversListingCertificates(policy).length > 0,
  read: async (backend, policy, actual) => {
    const missing = serversListingCertificates(policy).filter((s) => !actual.certificates?.has(s.name.toLowerCase()));
    if (missing.length === 0) return {};
    const read = await Promise.all(missing.map(async (s) => [s.name.toLowerCase(), await readCertificates(backend, s.name)] as const));
    return { certificates: new Map(read) };
  },
  find: (policy, actual) =>
    serversListingCertificates(policy).flatMap((server) => {
      const at = pointer('servers', (policy.servers ?? []).indexOf(server), 'certificates');
      return need(actual.certificates?.get(server.name.toLowerCase()), `${server.name} certificates`)
        .certificates.filter((c) => !(server.certificates ?? []).some((d) => sameThumbprint(d.thumbprint, c.thumbprint)))
        .map((c) => ({ certificate: c, clientServices: c.services.filter((s) => (CLIENT_CERTIFICATE_SERVICES as readonly string[]).includes(s)) }))
        .filter(({ clientServices }) => clientServices.length > 0)
        .map(({ certificate, clientServices }) => ({
          object: 'certificate',
          name: `${server.name} ${certificate.thumbprint}`,
          settings: { subject: certificate.subject, services: clientServices, notAfter: certificate.notAfter },
          listedBy: 'Get-ExchangeCertificate' as const,
          pointer: at,
        }));
    }),
};

export const EXCHANGE_CERTIFICATE_KIND: ResourceKindModule<'ExchangeCertificate'> = {
  kind: 'ExchangeCertificate',
  inputKeys: ['server', 'certificate'],
  outputOnly: ['settingsChangeId'],
  identity: (inputs) => `${inputs.server}/certificate/${inputs.certificate.thumbprint.toUpperCase()}`,
  read: async (backend, resources) => {
    const servers = new Map<string, string>();
    for (const { server } of resources) if (!servers.has(server.toLowerCase())) servers.set(server.toLowerCase(), server);
    const read = await Promise.all([...servers].map(async ([key, server]) => [key, await readCertificates(backend, server)] as const));
    return { certificates: new Map(read) };
  },
  actualOf: (inputs, actual) => need(actual.certificates?.get(inputs.server.toLowerCase()), `${inputs.server} certificates`),
  exists: (inputs, actual) => actual.certificates.some((c) => sameThumbprint(c.thumbprint, inputs.certificate.thumbprint)),
  plan: (ref, inputs, actual) => planExchangeCertificate(ref, inputs.server, inputs.certificate, actual),
  // Nothing to restore: a service cannot be taken off a certificate.
  restore: (inputs) => ({ kind: 'plan', inputs: { ...inputs, certificate: { thumbprint: inputs.certificate.thumbprint, services: [] } }, left: ['services'] }),
  appliesAtRestart: (inputs, changes) => restartsFor(inputs.server, changes),
  readOutputs: (inputs, actual) => {
    const found = actual.certificates.find((c) => sameThumbprint(c.thumbprint, inputs.certificate.thumbprint));
    const out: Record<string, JsonValue> = {};
    if (found) Object.assign(out, { subject: found.subject, notAfter: found.notAfter });
    return out;
  },
  pointer: (policy, change, drift) => {
    const thumbprint = change.request.parameters.Thumbprint;
    return certificatePointer(policy.servers ?? [], change.subject, typeof thumbprint === 'string' ? thumbprint : '', drift?.key);
  },
  refresh: (inputs, changes) => {
    const actual = changes.flatMap((c) => c.drift).find((d) => d.key === 'services')?.actual;
    return Array.isArray(actual) ? { ...inputs, certificate: { ...inputs.certificate, services: actual as CertificateService[] } } : inputs;
  },
  documentPart: (input) => ({
    // The casts place input values where the document has them; what they hold is the schema's to judge.
    part: { servers: [{ name: input('server') as string, certificates: [input('certificate') as CertificateDecl] }] },
    origins: [
      { prefix: '/servers/0/certificates/0', property: '/certificate' },
      { prefix: '/servers/0/name', property: '/server' },
      { prefix: '/servers/0', property: '/server', exact: true },
    ],
  }),
  mergeInto: mergeCertificate,
  undeclared: [UNDECLARED_CERTIFICATES],
  // Certificates first on a server: one enabled for POP or IMAP is in use once the services after it restart.
  desired: { place: 'server', declared: declaredCertificates },
  mayApplyAtRestart: (inputs) => restartedBy(inputs.server, inputs.certificate.services),
  exported: { place: 'server', part: exportedCertificates },
};

// ---- What a document declares, and what an export writes ----

function declaredCertificates(server: ServerPolicy): Declared<'ExchangeCertificate'>[] {
  return (server.certificates ?? []).map((certificate) => ({ name: `${slug(server.name)}-certificate-${slug(certificate.thumbprint)}`, inputs: { server: server.name, certificate } }));
}

/** The server's certificates that are enabled for some service, with those services (as servers[].certificates). */
function exportedCertificates(server: ExportedServer): Partial<ServerPolicy> {
  const known = (s: string): s is CertificateService => (CERTIFICATE_SERVICES as readonly string[]).includes(s);
  const certificates = (server.certificates ?? [])
    .map((c) => ({ thumbprint: c.thumbprint, services: c.services.filter(known), certificateDomains: certificateNames(c), ...(c.notAfter === null ? {} : { notAfter: c.notAfter.slice(0, 10) }) }))
    .filter((c) => c.services.length > 0);
  return certificates.length > 0 ? { certificates } : {};
}
