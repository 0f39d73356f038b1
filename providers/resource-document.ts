/**
 * One resource's inputs as the part of a MailPolicy document they declare, and where each input
 * property sits in it. Shared by the providers' check() (which validates that document with the
 * model's own validation) and the policy pack (which runs the rules over it), so a problem or a
 * finding at a document node leads back to the same input property in both.
 *
 * `input(key)` is asked only for the properties the document has: the policy pack's engine
 * proxy throws on values still unknown during preview (such as `settingsChangeId`).
 */
import type { JsonPointer, MailPolicy, Target } from '../src/model/types';
import { displayPath } from '../src/model/json-pointer';
import type { DocumentPart, Origin, ResourcePart } from '../src/reconcile/kinds/kind';
import { kindModule } from '../src/reconcile/kinds/registry';
import type { ResourceKind } from './resource-types';

export type { DocumentPart, Origin, ResourcePart } from '../src/reconcile/kinds/kind';

/**
 * The document part one resource declares, at index 0 of any list it belongs to (its kind
 * module's `documentPart`). Values are placed as `input` returns them, unchecked: check() wants
 * the raw inputs for the schema to judge, the pack gives values it has already shaped. For
 * ProtocolService, `input('protocol')` must be a protocol.
 */
export function resourcePart(kind: ResourceKind, input: (key: string) => unknown): ResourcePart {
  return kindModule(kind).documentPart(input);
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
