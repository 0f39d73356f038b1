/** Helpers several kind modules share: restoring defaults, showing drift as inputs, document pointers and parts. */
import type { JsonValue } from '../../exchange/types';
import type { JsonPointer, MailPolicy, Protocol } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { sameIdentity } from '../compare';
import type { Change } from '../plan';
import type { DocumentPart, Origin, ResourcePart, StackDocument } from './kind';

/** The managed keys of `declared`, set to the values of `defaults` where it has one. */
export function pickDefaults<T extends object>(declared: T, defaults: Partial<T>): { restored: Partial<T>; left: string[] } {
  const restored: Partial<T> = {};
  const left: string[] = [];
  for (const key of Object.keys(declared) as (keyof T & string)[]) {
    if (declared[key] === undefined) continue;
    if (key in defaults) restored[key] = defaults[key];
    else left.push(key);
  }
  return { restored, left };
}

export type Section = Record<string, JsonValue | undefined>;

/**
 * A section of the inputs with every drifted setting replaced by what Exchange has. Settings
 * that compare equal (a list in another order, a timeout written differently) keep their
 * declared form, so only real drift shows.
 */
export function overlayDrift(section: object, changes: readonly Change[], keyOf: (key: string) => string | undefined = (k) => k): Section {
  const out: Section = { ...(section as Section) };
  for (const change of changes) {
    for (const d of change.drift) {
      const key = keyOf(d.key);
      if (key !== undefined && d.actual !== undefined) out[key] = d.actual;
    }
  }
  return out;
}

/** The pointer of a server's protocol part (`/servers/<i>/<protocol>/<part>/<key>`), or of the nearest ancestor the document has. */
export function serverPointer(policy: MailPolicy, name: string, protocol?: Protocol, part?: 'settings' | 'service', key?: string): JsonPointer {
  const servers = policy.servers ?? [];
  const index = servers.findIndex((s) => sameIdentity(s.name, name));
  if (index < 0) return pointer('servers');
  const server = servers[index];
  if (protocol === undefined || server?.[protocol] === undefined) return pointer('servers', index);
  if (part === undefined || server[protocol]?.[part] === undefined) return pointer('servers', index, protocol);
  return pointer('servers', index, protocol, part, ...(key ? [key] : []));
}

/** The part a server resource declares: one protocol's settings or service on one server. */
export function serverPart(input: (key: string) => unknown, protocol: Protocol, key: 'settings' | 'service'): ResourcePart {
  // The casts place input values where the document has them; what they hold is the schema's to judge.
  return {
    part: { servers: [{ name: input('server') as string, [protocol]: { [key]: input(key) } }] },
    origins: [
      { prefix: `/servers/0/${protocol}/${key}`, property: `/${key}` },
      { prefix: '/servers/0/name', property: '/server' },
      { prefix: '/servers/0', property: '/server', exact: true },
    ],
  };
}

const rebase = (prefix: string, from: string, to: string) => (prefix.startsWith(from) ? to + prefix.slice(from.length) : prefix);

/** The part's origins, moved from index 0 of its list (`from`) to where the part lands (`to`). */
export function placed<O extends Origin>(origins: readonly O[], from: string, to: string): O[] {
  return origins.map((o) => ({ ...o, prefix: rebase(o.prefix, from, to) }));
}

/** A part that is one entry of a document list (authentication policies, mailbox plans): appended. */
export function appendEntry<L extends 'authenticationPolicies' | 'casMailboxPlans'>(list: L) {
  return <O extends Origin>(document: StackDocument, part: DocumentPart, origins: readonly O[]): O[] => {
    const entries = (part[list] ?? []) as StackDocument[L];
    const out = placed(origins, `/${list}/0`, `/${list}/${document[list].length}`);
    (document[list] as unknown[]).push(...entries);
    return out;
  };
}

/**
 * A server part: merged into the document's server of that name (added when new), block by block
 * (a protocol's settings and service come from two resources; smtpClientSubmission from one).
 */
export function mergeServer<O extends Origin>(document: StackDocument, part: DocumentPart, origins: readonly O[]): O[] {
  const incoming = part.servers?.[0];
  if (!incoming) return [];
  let index = document.servers.findIndex((s) => s.name.toLowerCase() === incoming.name.toLowerCase());
  if (index < 0) {
    index = document.servers.length;
    document.servers.push({ name: incoming.name });
  }
  const merged: Record<string, unknown> = { ...document.servers[index] };
  for (const [key, block] of Object.entries(incoming)) {
    if (key !== 'name') merged[key] = { ...(merged[key] as object | undefined), ...(block as object) };
  }
  document.servers[index] = merged as unknown as StackDocument['servers'][number];
  return placed(origins, '/servers/0', `/servers/${index}`);
}

/** `Block Basic Auth` → `block-basic-auth`: readable, URN-safe resource names (`desired` hooks). */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? 'x' : s;
}
