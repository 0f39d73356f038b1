/**
 * One resource's inputs as the part of a MailPolicy document they declare, and where each input
 * property sits in it. Shared by the providers' check() (which validates that document with the
 * model's own validation) and the policy pack (which runs the rules over it), so a problem or a
 * finding at a document node leads back to the same input property in both.
 *
 * `input(key)` is asked only for the properties the document has: the policy pack's engine
 * proxy throws on values still unknown during preview (such as `settingsChangeId`).
 */
import type { JsonPointer, MailPolicy, Protocol, Target } from '../src/model/types';
import { displayPath } from '../src/model/json-pointer';
import { settingsProtocol } from '../src/reconcile/resources';
import type { ResourceKind } from './resource-types';

/** The sections of a document one resource can declare. */
export type DocumentPart = Omit<Partial<MailPolicy>, 'apiVersion' | 'kind' | 'metadata' | 'target'>;

/** A node of the document and the input property it came from. */
export interface Origin {
  readonly prefix: JsonPointer;
  /** Pointer into the resource's inputs (`/settings`). */
  readonly property: JsonPointer;
  /** Only the node itself, not what is below it (a server object: its protocols are other resources'). */
  readonly exact?: boolean;
}

export interface ResourcePart {
  readonly part: DocumentPart;
  readonly origins: readonly Origin[];
}

/**
 * The document part one resource declares, at index 0 of any list it belongs to. Values are
 * placed as `input` returns them, unchecked: check() wants the raw inputs for the schema to
 * judge, the pack gives values it has already shaped. For ProtocolService, `input('protocol')`
 * must be a protocol.
 */
export function resourcePart(kind: ResourceKind, input: (key: string) => unknown): ResourcePart {
  // The casts place input values where the document has them; what they hold is the schema's to judge.
  const server = (protocol: Protocol, key: 'settings' | 'service'): ResourcePart => ({
    part: { servers: [{ name: input('server') as string, [protocol]: { [key]: input(key) } }] },
    origins: [
      { prefix: `/servers/0/${protocol}/${key}`, property: `/${key}` },
      { prefix: '/servers/0/name', property: '/server' },
      { prefix: '/servers/0', property: '/server', exact: true },
    ],
  });
  switch (kind) {
    case 'TransportConfig':
      return { part: { transportConfig: input('transportConfig') as DocumentPart['transportConfig'] }, origins: [{ prefix: '/transportConfig', property: '/transportConfig' }] };
    case 'AuthenticationPolicy':
      return { part: { authenticationPolicies: [input('policy')] as DocumentPart['authenticationPolicies'] }, origins: [{ prefix: '/authenticationPolicies/0', property: '/policy' }] };
    case 'CasMailboxPlan':
      return { part: { casMailboxPlans: [input('plan')] as DocumentPart['casMailboxPlans'] }, origins: [{ prefix: '/casMailboxPlans/0', property: '/plan' }] };
    case 'CasMailboxProtocol':
      return { part: { casMailboxes: input('casMailboxes') as DocumentPart['casMailboxes'] }, origins: [{ prefix: '/casMailboxes', property: '/casMailboxes' }] };
    case 'PopSettings':
    case 'ImapSettings':
      return server(settingsProtocol(kind), 'settings');
    case 'ProtocolService':
      return server(input('protocol') as Protocol, 'service');
  }
}

/** A whole document around one or more parts. */
export function documentOf(name: string, target: Target, part: DocumentPart): MailPolicy {
  return { apiVersion: 'mailpolicy/v1', kind: 'MailPolicy', metadata: { name }, target, ...part };
}

/** The origin a document node belongs to: the longest prefix that covers it. */
export function originOf<O extends Origin>(origins: readonly O[]): (pointer: JsonPointer) => O | undefined {
  const sorted = [...origins].sort((a, b) => b.prefix.length - a.prefix.length);
  return (pointer) => sorted.find((o) => pointer === o.prefix || (!o.exact && pointer.startsWith(`${o.prefix}/`)));
}

/** `/servers/0/pop3/settings/sslBindings/1` under origin `/servers/0/pop3/settings` → `/settings/sslBindings/1`. */
export function propertyPointer(origin: Origin, pointer: JsonPointer): JsonPointer {
  return origin.property + pointer.slice(origin.prefix.length);
}

/** The same, as a reader writes it: `settings.sslBindings[1]`. */
export function propertyPath(origin: Origin, pointer: JsonPointer): string {
  return displayPath(propertyPointer(origin, pointer));
}
