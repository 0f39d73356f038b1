/**
 * What a resource kind is: one module per kind (this folder) says everything the rest of
 * mailpolicy needs to know about it, and registry.ts lists them, so every place that used to
 * switch on the kind iterates the registry and the compiler checks that no kind is left out.
 */
import type { CmdletName } from '../../exchange/catalog';
import type { ExchangeBackend, JsonValue } from '../../exchange/types';
import type {
  AuthenticationPolicyDecl,
  CasMailboxesPolicy,
  CasMailboxException,
  CasMailboxPlanDecl,
  JsonPointer,
  MailPolicy,
  Protocol,
  ProtocolPolicy,
  ServerPolicy,
} from '../../model/types';
import type { ActualOrganisation } from '../actual';
import type { Change, ResourceRef, SettingDrift, UnmatchedException } from '../plan';
import type { ExportedServer, OrganisationSnapshot } from './snapshot';
import type { ActualByKind, ActualPartByKind, CommonInputs, ResourceInputsByKind, ResourceKind } from './types';

export interface ResourcePlan {
  readonly changes: readonly Change[];
  readonly notes: readonly string[];
  /** CasMailboxProtocol: exception identities that match no mailbox. */
  readonly unmatched?: readonly UnmatchedException[];
}

export interface PlanContext {
  /** ProtocolService only: the server's settings for this protocol changed (restart rule). */
  readonly settingsChanged?: boolean;
  /**
   * The whole document, when a document is planned (not a provider's single resource): lets a kind
   * point at where in it an input is declared (an authentication policy's assignedTo entry).
   */
  readonly document?: MailPolicy;
}

export type Restoration<K extends ResourceKind> =
  /** Plan these inputs against the organisation. */
  | { readonly kind: 'plan'; readonly inputs: ResourceInputsByKind[K]; readonly left: readonly string[] }
  /** The object itself goes (an authentication policy mailpolicy created). */
  | { readonly kind: 'remove'; readonly name: string };

/** One server's protocol: where POP3/IMAP4 settings live and which services apply them. */
export interface ServerProtocol {
  readonly server: string;
  readonly protocol: Protocol;
}

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

/** One document being put together from the parts of many resources (the policy pack's stack-level document). */
export interface StackDocument {
  transportConfig?: Record<string, unknown>;
  authenticationPolicies: AuthenticationPolicyDecl[];
  casMailboxPlans: CasMailboxPlanDecl[];
  casMailboxes?: { default?: CasMailboxesPolicy['default']; exceptions: CasMailboxException[] };
  servers: ServerPolicy[];
}

/** An object in Exchange the document does not mention (drift's "Not declared" section). */
export interface UndeclaredObject {
  /** What Exchange calls it: `authentication policy`, `CAS mailbox plan`, `server`, `mailbox`. */
  readonly object: string;
  /** Its identity as Exchange prints it. */
  readonly name: string;
  /** What it has that this project is about: a policy's switches, a plan's POP/IMAP, a mailbox's own values. */
  readonly settings: Readonly<Record<string, JsonValue>>;
  /** The cmdlet that lists it. */
  readonly listedBy: CmdletName;
  /** Where the document would declare it: the section (present, since the hook `covers` it). */
  readonly pointer: JsonPointer;
  /** What makes it stand out (`the organisation default`). */
  readonly note?: string;
}

/**
 * A kind's part of drift's "Not declared" section: objects of the kind that exist in Exchange
 * and that the document does not mention. Run by drift only (src/reconcile/undeclared.ts), after
 * the plan's read, so plan and apply never pay for it.
 */
export interface UndeclaredHook {
  /** What the objects are, for the report's groups and the SARIF rule `undeclared/<what>` (`ExchangeServer`, `MailboxOverride`). */
  readonly what: string;
  /** Whether the document manages this kind of object (its section is present, even empty): only then is an object it does not mention reported. */
  covers(policy: MailPolicy): boolean;
  /** Reads what `find` needs that `actual` (the plan's read, plus the server list on-premises) lacks; `{}` when it has it. */
  read(backend: ExchangeBackend, policy: MailPolicy, actual: ActualOrganisation): Promise<ActualOrganisation>;
  find(policy: MailPolicy, actual: ActualOrganisation): UndeclaredObject[];
  /** For `export --undeclared`: what of the exported document stands for `objects` (this hook's findings); absent: nothing is exported for them. */
  keep?(exported: MailPolicy, objects: readonly UndeclaredObject[]): DocumentPart;
}

export interface ResourceKindModule<K extends ResourceKind> {
  readonly kind: K;
  /** The input properties besides the common ones (`target`, `restoreDefaultsOnDelete`): what diff compares and read reports back as inputs. */
  readonly inputKeys: readonly (keyof ResourceInputsByKind[K] & string)[];
  /** Properties only the provider sets (unknown until an update). */
  readonly outputOnly?: readonly string[];
  /** What names this resource within its organisation (the providers' id after the organisation). */
  identity(inputs: ResourceInputsByKind[K]): string;

  /** Reads the part of the organisation every resource of this kind in `resources` needs, each part once (its read-back: `<kind>-read.ts`). */
  read(backend: ExchangeBackend, resources: readonly ResourceInputsByKind[K][]): Promise<ActualPartByKind[K]>;
  /** The slice of the organisation one resource is planned against. */
  actualOf(inputs: ResourceInputsByKind[K], actual: ActualOrganisation): ActualByKind[K];
  /** Whether the object the resource manages exists (an absent one: the resource is gone from Exchange). */
  exists?(inputs: ResourceInputsByKind[K], actual: ActualByKind[K]): boolean;

  plan(ref: ResourceRef, inputs: ResourceInputsByKind[K], actual: ActualByKind[K], context: PlanContext): ResourcePlan;
  /** What "restore Exchange's defaults" means for this resource (opt-in `restoreDefaultsOnDelete`). */
  restore(inputs: ResourceInputsByKind[K]): Restoration<K>;
  /** For a restoration of kind `remove`: the changes that remove the object. */
  planRemoval?(ref: ResourceRef, name: string, actual: ActualByKind[K]): { changes: Change[]; notes: string[] };
  /**
   * Changes that take effect only when a server's POP3/IMAP4 services restart (POP3/IMAP4 settings,
   * a certificate enabled for POP or IMAP): the servers' protocols `changes` (this resource's) need restarted.
   */
  appliesAtRestart?(inputs: ResourceInputsByKind[K], changes: readonly Change[]): readonly ServerProtocol[];
  /** The services of a server's protocol: restarted when that protocol's settings changed in the same plan. */
  restartsFor?(inputs: ResourceInputsByKind[K]): ServerProtocol;
  /** What the provider reports besides the inputs after applying, and after reading. */
  appliedOutputs?(inputs: ResourceInputsByKind[K], actual: ActualByKind[K]): Record<string, JsonValue>;
  readOutputs?(inputs: ResourceInputsByKind[K], actual: ActualByKind[K]): Record<string, JsonValue>;

  /** Where in the document a drifted setting of one of this kind's changes is declared. */
  pointer(policy: MailPolicy, change: Change, drift: SettingDrift | undefined): JsonPointer;
  /** The inputs that describe the organisation as it is, given the changes that would repair it (`pulumi refresh`). */
  refresh(inputs: ResourceInputsByKind[K], changes: readonly Change[]): ResourceInputsByKind[K];
  /** The document part the resource's inputs declare, at index 0 of any list it belongs to, and where each input sits in it. */
  documentPart(input: (key: string) => unknown): ResourcePart;
  /** Adds a part of this kind to a stack-level document; returns its origins moved to where the part landed. */
  mergeInto<O extends Origin>(document: StackDocument, part: DocumentPart, origins: readonly O[]): O[];
  /** Objects of this kind in Exchange that the document does not mention (drift only): one hook per sort of object. */
  readonly undeclared?: readonly UndeclaredHook[];
  /** The resources a document declares of this kind, and where they come in plan order (`desiredResources`). */
  readonly desired: DesiredHook<K>;
  /**
   * The servers' protocols whose restart can apply this resource's changes (all that `appliesAtRestart`
   * can return for it): their service resources (`restartsFor`) restart when it reports a change
   * (`settingsResource` / `restartSources` of `desiredResources`, wired by the Pulumi program).
   */
  mayApplyAtRestart?(inputs: ResourceInputsByKind[K]): readonly ServerProtocol[];
  /** Its part of an exported document (`mailpolicy export`), from what the export read. */
  readonly exported: ExportHook;
}

// ---- What a document declares of a kind, and what an export writes of it ----

/**
 * Where a kind's resources come in plan order (src/reconcile/resources.ts): before the servers,
 * on each server before its protocols, on each server's protocols (one after the other), on
 * each server after its protocols, after the servers. Within one place, in registry order.
 */
export type PlanPlace = 'beforeServers' | 'server' | 'protocol' | 'serverAfterProtocols' | 'afterServers';

/** One resource a document declares: its name before `desiredResources` makes it unique, and its inputs besides the common ones. */
export interface Declared<K extends ResourceKind> {
  readonly name: string;
  readonly inputs: Omit<ResourceInputsByKind[K], keyof CommonInputs>;
}

/** The resources of a kind a document declares, by place: from the whole document, from one server, or from one server's protocol. */
export type DesiredHook<K extends ResourceKind> =
  | { readonly place: 'beforeServers' | 'afterServers'; declared(policy: MailPolicy): readonly Declared<K>[] }
  | { readonly place: 'server' | 'serverAfterProtocols'; declared(server: ServerPolicy): readonly Declared<K>[] }
  | { readonly place: 'protocol'; declared(server: ServerPolicy, protocol: Protocol): readonly Declared<K>[] };

/**
 * A kind's part of an exported document, by where it sits: sections of the document (from the
 * whole snapshot), keys of each server's entry, keys of each server's protocol entry (for each
 * protocol read). `warnings`: what the part leaves unmanaged and why. Export composes the parts
 * in registry order (src/export/document.ts).
 */
export type ExportHook =
  | { readonly place: 'document'; part(snapshot: OrganisationSnapshot, warnings: string[]): DocumentPart }
  | { readonly place: 'server'; part(server: ExportedServer, warnings: string[]): Partial<ServerPolicy> }
  | { readonly place: 'protocol'; part(server: ExportedServer, protocol: Protocol, warnings: string[]): Partial<ProtocolPolicy> };
