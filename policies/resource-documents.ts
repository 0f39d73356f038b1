/**
 * Turns the inputs of the resources the providers register back into MailPolicy documents, so
 * the pack runs the very rules `mailpolicy check` runs. One resource gives a partial document
 * (providers/resource-document.ts, which the providers' check() validates too);
 * all mailpolicy resources of a stack give one document per target organisation (for rules
 * that need several parts at once). Every document keeps where each part came from, so a
 * finding's JSON pointer leads back to the resource (URN) and its property path.
 *
 * Only the properties the model has are read: the engine's proxy throws on unknown values during
 * preview, and inputs such as `settingsChangeId` are unknown until an update.
 */
import type { CasMailboxesPolicy, CasMailboxException, JsonPointer, MailPolicy, Target } from '../src/model/types';
import type { StackDocument } from '../src/reconcile/kinds/kind';
import { kindModule } from '../src/reconcile/kinds/registry';
import { documentOf, originOf, propertyPath, resourcePart, type DocumentPart, type Origin as PartOrigin } from '../providers/resource-document';
import { RESOURCE_KINDS, typeToken, type ResourceKind } from '../providers/resource-types';

const KIND_BY_TOKEN = new Map<string, ResourceKind>(RESOURCE_KINDS.map((k) => [typeToken(k), k]));

export function resourceKind(type: string): ResourceKind | undefined {
  return KIND_BY_TOKEN.get(type);
}

/** A resource as the analyzer hands it over. */
export interface ResourceInput {
  readonly type: string;
  readonly urn: string;
  // Resource properties arrive as untyped JSON from the engine; they are narrowed below.
  readonly props: Record<string, unknown>;
}

/** Where a part of a document came from: pointer prefix → resource and the pointer into its inputs. */
interface Origin extends PartOrigin {
  readonly urn: string;
}

export interface ResourceDocument {
  readonly policy: MailPolicy;
  /** The resource a finding's pointer belongs to, and the property path in its inputs (`settings.loginType`). */
  origin(pointer: JsonPointer): { readonly urn: string; readonly property: string } | undefined;
}

const STACK_DOCUMENT = 'pulumi-stack';

interface Contribution {
  readonly part: DocumentPart;
  readonly origins: readonly Origin[];
}

const asObject = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const asArray = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

/** The model requires `exceptions` and `identities` arrays; tolerate their absence in raw inputs. */
function casMailboxes(raw: unknown): CasMailboxesPolicy {
  const cas = asObject(raw) ?? {};
  const exceptions = asArray(cas.exceptions)
    .map(asObject)
    .filter((e): e is Record<string, unknown> => e !== undefined)
    .map((e) => ({ ...e, identities: asArray(e.identities).filter((i): i is string => typeof i === 'string') }) as CasMailboxException);
  return { ...(cas.default !== undefined ? { default: asObject(cas.default) ?? {} } : {}), exceptions };
}

/** Each input property in the shape the rules expect, whatever the engine sent. */
const SHAPE: Readonly<Record<string, (value: unknown) => unknown>> = {
  casMailboxes,
  server: String,
  protocol: (value) => (value === 'imap4' ? 'imap4' : 'pop3'),
};

/** The document part one resource declares, at index 0 of any list it belongs to. */
function contribution(kind: ResourceKind, props: Record<string, unknown>, urn: string): Contribution {
  const { part, origins } = resourcePart(kind, (key) => (SHAPE[key] ?? ((value: unknown) => asObject(value) ?? {}))(props[key]));
  // Every resource carries the target (MP-SRV-006 reports target.minimumServerVersion): last, so a part's own origin stays first.
  return { part, origins: [...origins, { prefix: '/target', property: '/target' }].map((o) => ({ ...o, urn })) };
}

function targetOf(props: Record<string, unknown>): Target | undefined {
  const t = asObject(props.target);
  if (!t || (t.platform !== 'exchangeOnline' && t.platform !== 'exchangeServer')) return undefined;
  return t as unknown as Target;
}

function makeOrigin(origins: readonly Origin[]): ResourceDocument['origin'] {
  const find = originOf(origins);
  return (pointer) => {
    const o = find(pointer);
    return o && { urn: o.urn, property: propertyPath(o, pointer) };
  };
}

/** The partial document of one resource; undefined when it is not a mailpolicy resource. */
export function documentFromResource(resource: ResourceInput): ResourceDocument | undefined {
  const kind = resourceKind(resource.type);
  const target = kind && targetOf(resource.props);
  if (!kind || !target) return undefined;
  const c = contribution(kind, resource.props, resource.urn);
  return { policy: documentOf(STACK_DOCUMENT, target, c.part), origin: makeOrigin(c.origins) };
}

/** One document per target organisation from every mailpolicy resource of a stack; each kind's module merges its part (`mergeInto`). */
export function documentsFromStack(resources: readonly ResourceInput[]): readonly ResourceDocument[] {
  interface Group {
    readonly target: Target;
    readonly document: StackDocument;
    readonly origins: Origin[];
  }
  const groups = new Map<string, Group>();
  for (const resource of resources) {
    const kind = resourceKind(resource.type);
    const target = kind && targetOf(resource.props);
    if (!kind || !target) continue;
    const { part, origins } = contribution(kind, resource.props, resource.urn);
    const key = `${target.platform}|${target.cloud ?? ''}|${String(target.organization).toLowerCase()}`;
    let g = groups.get(key);
    if (!g) {
      g = { target, document: { authenticationPolicies: [], casMailboxPlans: [], servers: [] }, origins: [] };
      groups.set(key, g);
    }
    g.origins.push(...kindModule(kind).mergeInto(g.document, part, origins));
  }
  return [...groups.values()].map((g) => {
    const d = g.document;
    const part: DocumentPart = {
      ...(d.transportConfig ? { transportConfig: d.transportConfig } : {}),
      ...(d.authenticationPolicies.length ? { authenticationPolicies: d.authenticationPolicies } : {}),
      ...(d.casMailboxPlans.length ? { casMailboxPlans: d.casMailboxPlans } : {}),
      ...(d.casMailboxes ? { casMailboxes: d.casMailboxes } : {}),
      ...(d.servers.length ? { servers: d.servers } : {}),
    };
    return { policy: documentOf(STACK_DOCUMENT, g.target, part), origin: makeOrigin(g.origins) };
  });
}
