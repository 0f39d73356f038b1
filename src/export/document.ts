/**
 * The organisation as read back → a MailPolicy document. Pure: the exporter reads, this module
 * decides what the document says. Only what Exchange reports is written, and only in a form
 * that reads back the same (export, then drift → in sync). Each kind writes its own part (its
 * module's `exported` hook); this module composes them, in registry order.
 */
import type { MailPolicy, ProtocolPolicy, ServerPolicy } from '../model/types';
import { PROTOCOLS } from '../model/types';
import type { ExportHook } from '../reconcile/kinds/kind';
import { KINDS } from '../reconcile/kinds/registry';
import type { ExportedServer, OrganisationSnapshot } from '../reconcile/kinds/snapshot';

export type { OrganisationSnapshot } from '../reconcile/kinds/snapshot';
/** One Exchange server as the export read it. */
export type ActualServer = ExportedServer;

export interface ExportedDocument {
  readonly policy: MailPolicy;
  /** What the document leaves unmanaged and why (the exporter prints these on stderr). */
  readonly warnings: readonly string[];
}

/** A metadata name from the organisation: `contoso.onmicrosoft.com` → `contoso`. */
export function documentName(organization: string): string {
  const first = organization.toLowerCase().split('.')[0] ?? '';
  const slug = first.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug === '' ? 'organisation' : slug;
}

/** The kinds' export hooks of one place, in registry order. */
function hooksAt<P extends ExportHook['place']>(place: P): Extract<ExportHook, { place: P }>[] {
  return Object.values(KINDS).flatMap((module) => (module.exported.place === place ? [module.exported as Extract<ExportHook, { place: P }>] : []));
}

/**
 * The order export writes a server's keys and a protocol's in (as it always has: a server's
 * certificates before its protocols, a protocol's service before its settings); a key not listed
 * follows, in registry order.
 */
const SERVER_KEY_ORDER: readonly string[] = ['name', 'certificates', ...PROTOCOLS, 'smtpClientSubmission'];
const PROTOCOL_KEY_ORDER: readonly string[] = ['service', 'settings'];

function ordered<T extends object>(value: T, order: readonly string[]): T {
  const rank = (key: string): number => (order.includes(key) ? order.indexOf(key) : order.length);
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => rank(a) - rank(b))) as T;
}

/** A server's entry: each protocol read, with the protocol kinds' parts, then the server kinds' parts. */
function server(actual: ExportedServer, warnings: string[]): ServerPolicy {
  const out: Record<string, unknown> = { name: actual.name };
  for (const protocol of PROTOCOLS) {
    if (!actual.protocols[protocol]) continue;
    const entry: Partial<ProtocolPolicy> = {};
    for (const hook of hooksAt('protocol')) Object.assign(entry, hook.part(actual, protocol, warnings));
    out[protocol] = ordered(entry, PROTOCOL_KEY_ORDER);
  }
  for (const hook of hooksAt('server')) Object.assign(out, hook.part(actual, warnings));
  return ordered(out, SERVER_KEY_ORDER) as unknown as ServerPolicy;
}

export function exportDocument(actual: OrganisationSnapshot): ExportedDocument {
  const warnings: string[] = [];
  const { connection } = actual;
  const policy: {
    -readonly [K in keyof MailPolicy]: MailPolicy[K];
  } = {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: {
      name: documentName(connection.organization),
      description: `Exported by mailpolicy export from ${connection.organization}.`,
    },
    target: {
      platform: connection.platform,
      ...(connection.platform === 'exchangeOnline' ? { cloud: connection.cloud ?? 'worldwide' } : {}),
      organization: connection.organization,
      ...(connection.platform === 'exchangeServer' && actual.minimumServerVersion !== undefined ? { minimumServerVersion: actual.minimumServerVersion } : {}),
    },
  };
  for (const hook of hooksAt('document')) Object.assign(policy, hook.part(actual, warnings));
  if (actual.servers && actual.servers.length > 0) policy.servers = actual.servers.map((s) => server(s, warnings));
  return { policy, warnings };
}
