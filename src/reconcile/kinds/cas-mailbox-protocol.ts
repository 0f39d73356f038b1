/**
 * The CasMailboxProtocol kind: Set-CASMailbox in bulk. Desired per mailbox = `default`, overlaid key by key by every
 * exception naming it. An exception identity names a mailbox as Exchange's -Identity does (name,
 * alias, distinguished name, GUID, email address, user principal name, case-insensitively:
 * mailbox-identities.ts); one that names no mailbox, or several, is reported, never guessed.
 * Two exceptions that name one mailbox must agree on every key both set: otherwise nothing is
 * planned (ExceptionConflictError). Only mailboxes that deviate get a change, each with only its
 * drifted keys, each drift saying where its desired value is declared.
 * `smtpClientAuthenticationDisabled: null` means "inherit the organisation value": a mailbox
 * with its own value gets `-SmtpClientAuthenticationDisabled $null`.
 */
import { MAILBOX_DEFAULTS } from '../../exchange/defaults';
import { lookUpMailboxes, readCasMailboxes } from '../../exchange/reader';
import { buildRequest, parameterSpec } from '../../exchange/request';
import type { CasMailboxOption } from '../../exchange/catalog';
import { isInactiveOption, optionGroupKeys, withoutInactiveOptions } from '../../model/mailbox-options';
import type { ActualCasMailbox, ActualCasMailboxes, CmdletRequest, JsonValue } from '../../exchange/types';
import { CAS_MAILBOX_SETTING_KEYS, type CasMailboxException, type CasMailboxesPolicy, type CasMailboxSettings, type JsonPointer, type MailPolicy } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { need } from '../actual';
import { describeDrift, driftComparer, driftParameters } from '../drift';
import { identitiesToLookUp, MailboxIndex } from '../mailbox-identities';
import { ExceptionConflictError, type Change, type DeclaredIdentity, type ExceptionConflict, type ResourceRef, type SettingDrift, type UnmatchedException } from '../plan';
import type { Declared, DocumentPart, ResourceKindModule, UndeclaredHook, UndeclaredObject } from './kind';
import { pickDefaults, type Section } from './shared';

type CasMailboxKey = keyof CasMailboxSettings;

/** What the exceptions say about one mailbox: per key, the value and the exception identity that said it. */
type Overlay = Map<CasMailboxKey, { readonly value: JsonValue; readonly exception: number; readonly from: DeclaredIdentity }>;

/** The identity a Set-CASMailbox names: the primary SMTP address (unique, readable), else Exchange's identity. */
export function mailboxSubject(mailbox: ActualCasMailbox): string {
  return mailbox.primarySmtpAddress !== '' ? mailbox.primarySmtpAddress : mailbox.identity;
}

export interface CasMailboxesPlan {
  readonly changes: Change[];
  readonly notes: string[];
  readonly unmatched: UnmatchedException[];
}

/** Overlays per mailbox (by index in the read-back), the identities that matched none, and the conflicts. */
export function overlaysOf(policy: CasMailboxesPolicy, actual: ActualCasMailboxes): { overlays: Map<number, Overlay>; unmatched: UnmatchedException[] } {
  const overlays = new Map<number, Overlay>();
  const unmatched: UnmatchedException[] = [];
  const conflicts = new Map<string, ExceptionConflict & { keys: ExceptionConflict['keys'][number][] }>();
  // Most organisations have few exceptions: no index without them.
  const index = policy.exceptions.length > 0 ? MailboxIndex.of(actual.mailboxes, policy) : undefined;
  policy.exceptions.forEach((exception, k) => {
    exception.identities.forEach((identity, j) => {
      const at = pointer('casMailboxes', 'exceptions', k, 'identities', j);
      const resolved = (index as MailboxIndex).resolve(identity, actual.lookups);
      if ('unmatched' in resolved) {
        unmatched.push({ identity, pointer: at, reason: resolved.unmatched, names: 'mailbox' });
        return;
      }
      const from: DeclaredIdentity = { identity, pointer: at };
      let overlay = overlays.get(resolved.mailbox);
      if (!overlay) {
        overlay = new Map();
        overlays.set(resolved.mailbox, overlay);
      }
      for (const key of CAS_MAILBOX_SETTING_KEYS) {
        const value = exception[key];
        if (value === undefined) continue;
        const before = overlay.get(key);
        if (before !== undefined && before.exception !== k && before.value !== value) {
          const id = `${resolved.mailbox}\n${before.from.pointer}\n${at}`;
          const mailbox = mailboxSubject(actual.mailboxes[resolved.mailbox] as ActualCasMailbox);
          const conflict = conflicts.get(id) ?? { mailbox, first: before.from, second: from, keys: [] };
          conflict.keys.push({ key, first: before.value, second: value });
          conflicts.set(id, conflict);
          continue;
        }
        overlay.set(key, { value, exception: k, from });
      }
    });
  });
  if (conflicts.size > 0) throw new ExceptionConflictError([...conflicts.values()]);
  return { overlays, unmatched };
}

/** What mailboxes that drifted alike share (the same keys, from the same values, to the same values, declared at the same place): one copy serves them all. */
interface SharedDrift {
  readonly drift: readonly SettingDrift[];
  /** Set-CASMailbox's parameters besides -Identity (model keys, for `buildRequest`). */
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /** `popEnabled true → false, imapEnabled true → false`. */
  readonly described: string;
}

/**
 * One mailbox's Set-CASMailbox, kept small: 100,000 drifted mailboxes make 100,000 of them, and
 * a plan holds them all. The drift is shared with the mailboxes that drifted alike; the request
 * and the description are made when asked (the same each time), not held.
 */
class MailboxChange implements Change {
  constructor(
    readonly resource: ResourceRef,
    readonly subject: string,
    private readonly shared: SharedDrift,
  ) {}

  get action(): 'set' {
    return 'set';
  }

  get bulk(): boolean {
    return true;
  }

  get drift(): readonly SettingDrift[] {
    return this.shared.drift;
  }

  get request(): CmdletRequest {
    return buildRequest('Set-CASMailbox', { identity: this.subject, ...this.shared.parameters });
  }

  get description(): string {
    return `mailbox ${this.subject}: ${this.shared.described}`;
  }
}

export function planCasMailboxes(resource: ResourceRef, policy: CasMailboxesPolicy, actual: ActualCasMailboxes): CasMailboxesPlan {
  // An option of a protocol whose *UseProtocolDefaults is not false does nothing: never compared.
  const base = withoutInactiveOptions(policy.default ?? {});
  const defaultAt = (key: string): JsonPointer => pointer('casMailboxes', 'default', key);
  const { overlays, unmatched } = overlaysOf(policy, actual);
  const changes: Change[] = [];
  const compare = driftComparer('Set-CASMailbox', CAS_MAILBOX_SETTING_KEYS);
  const shared = new Map<string, SharedDrift>();
  actual.mailboxes.forEach((mailbox, i) => {
    const overlay = overlays.get(i);
    let desired: CasMailboxSettings = base;
    if (overlay) {
      const merged: Record<string, JsonValue | undefined> = { ...base };
      for (const [key, { value }] of overlay) merged[key] = value;
      desired = withoutInactiveOptions({ ...policy.default, ...merged } as CasMailboxSettings);
    }
    const compared = compare(desired, mailbox);
    if (compared.length === 0) return;
    const drift = compared.map((d) => {
      const from = overlay?.get(d.key as CasMailboxKey);
      return { ...d, declaredAt: from ? pointer('casMailboxes', 'exceptions', from.exception, d.key) : defaultAt(d.key) };
    });
    const signature = JSON.stringify(drift.map((d) => [d.key, d.desired, d.actual, d.declaredAt]));
    let alike = shared.get(signature);
    if (!alike) {
      alike = { drift, parameters: driftParameters(drift), described: describeDrift(drift) };
      shared.set(signature, alike);
    }
    changes.push(new MailboxChange(resource, mailboxSubject(mailbox), alike));
  });
  return { changes, notes: [], unmatched };
}

/** Drifted mailboxes as extra exceptions, grouped by their actual values (what Exchange has, for `pulumi refresh` to show). */
function mailboxExceptions(changes: readonly Change[]): CasMailboxException[] {
  const groups = new Map<string, { values: Section; identities: string[] }>();
  for (const change of changes) {
    const values: Section = {};
    for (const d of change.drift) values[d.key] = d.actual;
    const signature = JSON.stringify(values);
    let group = groups.get(signature);
    if (!group) {
      group = { values, identities: [] };
      groups.set(signature, group);
    }
    group.identities.push(change.subject);
  }
  return [...groups.values()].map((g) => ({ identities: g.identities, ...g.values }) as CasMailboxException);
}

/**
 * Mailbox protocol overrides outside the declared exceptions, when the document has a
 * `casMailboxes` section: a mailbox whose value of a key differs from a new mailbox's
 * (MAILBOX_DEFAULTS: POP and IMAP on, SMTP AUTH inheriting) where neither `default` nor an
 * exception naming it declares that key. A key `default` declares is never reported here: a
 * mailbox that differs from it is drift already (the planner's Set-CASMailbox), not twice.
 */
export const UNDECLARED_MAILBOX_OVERRIDES: UndeclaredHook = {
  what: 'MailboxOverride',
  covers: (policy) => policy.casMailboxes !== undefined,
  read: async (backend, policy, actual) =>
    actual.casMailboxes || !policy.casMailboxes ? {} : CAS_MAILBOX_PROTOCOL_KIND.read(backend, [{ target: policy.target, casMailboxes: policy.casMailboxes }]),
  find: (policy, actual) => {
    const cas = policy.casMailboxes;
    const base = cas?.default ?? {};
    const mailboxes = need(actual.casMailboxes, 'CAS mailboxes');
    // Only keys the read carries: an option is read only when the document declares its protocol's options.
    const sample = mailboxes.mailboxes[0];
    const free = CAS_MAILBOX_SETTING_KEYS.filter((key) => base[key] === undefined && (sample === undefined || sample[key] !== undefined));
    if (!cas || free.length === 0) return [];
    const { overlays } = overlaysOf(cas, mailboxes);
    const at = cas.exceptions.length > 0 ? pointer('casMailboxes', 'exceptions') : pointer('casMailboxes');
    const out: UndeclaredObject[] = [];
    mailboxes.mailboxes.forEach((mailbox, i) => {
      const overlay = overlays.get(i);
      const settings: Record<string, JsonValue> = {};
      for (const key of free) {
        // An option the mailbox's *UseProtocolDefaults makes inactive is no override.
        if (isInactiveOption(mailbox, key)) continue;
        const value = mailbox[key] ?? null;
        if (overlay?.has(key) !== true && value !== MAILBOX_DEFAULTS[key]) settings[key] = value;
      }
      if (Object.keys(settings).length > 0) out.push({ object: 'mailbox', name: mailboxSubject(mailbox), settings, listedBy: 'Get-CASMailbox', pointer: at });
    });
    return out;
  },
  keep: keptMailboxOverrides,
};

/**
 * The Set-CASMailbox options a read must carry: every option of each protocol whose
 * *UseProtocolDefaults or options a policy declares (in the default or an exception), so a
 * document that declares none reads none of them, at any scale.
 */
export function optionsToRead(policies: readonly CasMailboxesPolicy[]): CasMailboxOption[] {
  const declared = new Set<string>();
  for (const policy of policies) {
    for (const block of [policy.default ?? {}, ...policy.exceptions]) for (const key of Object.keys(block)) declared.add(key);
  }
  return optionGroupKeys(declared).map((key) => parameterSpec('Set-CASMailbox', key).name as CasMailboxOption);
}

export const CAS_MAILBOX_PROTOCOL_KIND: ResourceKindModule<'CasMailboxProtocol'> = {
  kind: 'CasMailboxProtocol',
  inputKeys: ['casMailboxes'],
  identity: () => 'CasMailboxProtocol',
  /**
   * Every mailbox, then what Exchange resolves for the exception identities the read-back cannot
   * place (alias, user principal name): asked once per identity, in one round trip.
   */
  read: async (backend, resources) => {
    const mailboxes = await readCasMailboxes(backend, optionsToRead(resources.map((r) => r.casMailboxes)));
    const identities = new Set<string>();
    for (const r of resources) for (const identity of identitiesToLookUp(r.casMailboxes, mailboxes)) identities.add(identity);
    return { casMailboxes: { mailboxes, lookups: await lookUpMailboxes(backend, [...identities]) } };
  },
  actualOf: (_inputs, actual) => need(actual.casMailboxes, 'CAS mailboxes'),
  plan: (ref, inputs, actual) => planCasMailboxes(ref, inputs.casMailboxes, actual),
  restore: (inputs) => {
    // Every key the default or an exception managed goes back to Exchange's default, for every mailbox.
    // A restored *UseProtocolDefaults is true, which makes that protocol's options inactive: the plan
    // then writes only *UseProtocolDefaults (Set-CASMailbox.md), leaving the stored option values unused.
    const managed: Record<string, unknown> = { ...inputs.casMailboxes.default };
    for (const e of inputs.casMailboxes.exceptions) Object.assign(managed, e);
    delete managed.identities;
    const { restored } = pickDefaults(managed as CasMailboxSettings, MAILBOX_DEFAULTS);
    return { kind: 'plan', inputs: { ...inputs, casMailboxes: { default: restored, exceptions: [] } }, left: [] };
  },
  appliedOutputs: (_inputs, actual) => ({ mailboxCount: actual.mailboxes.length }),
  readOutputs: (_inputs, actual) => ({ mailboxCount: actual.mailboxes.length }),
  // The planner knows which exception (or the default) decided each mailbox setting.
  pointer: (_policy, _change, drift) => drift?.declaredAt ?? pointer('casMailboxes'),
  refresh: (inputs, changes) => ({ ...inputs, casMailboxes: { ...inputs.casMailboxes, exceptions: [...inputs.casMailboxes.exceptions, ...mailboxExceptions(changes)] } }),
  documentPart: (input) => ({ part: { casMailboxes: input('casMailboxes') as DocumentPart['casMailboxes'] }, origins: [{ prefix: '/casMailboxes', property: '/casMailboxes' }] }),
  mergeInto: (document, part, origins) => {
    // Several CasMailboxProtocol resources: the first default counts, exceptions append in order.
    const incoming = part.casMailboxes;
    const [origin] = origins;
    if (!incoming || !origin) return [];
    const out = [];
    const cas = (document.casMailboxes ??= { exceptions: [] });
    if (incoming.default && !cas.default) {
      cas.default = incoming.default;
      out.push({ ...origin, prefix: '/casMailboxes/default', property: '/casMailboxes/default' });
    }
    incoming.exceptions.forEach((e, i) => {
      out.push({ ...origin, prefix: `/casMailboxes/exceptions/${cas.exceptions.length}`, property: `/casMailboxes/exceptions/${i}` });
      cas.exceptions.push(e);
    });
    out.push(origin);
    return out;
  },
  undeclared: [UNDECLARED_MAILBOX_OVERRIDES],
  // Mailboxes after the servers: the bulk of a plan, last.
  desired: { place: 'afterServers', declared: declaredCasMailboxes },
  // The export's summariser has already made the section (default + exceptions) out of every mailbox.
  exported: { place: 'document', part: (snapshot) => (snapshot.casMailboxes ? { casMailboxes: snapshot.casMailboxes } : {}) },
};

// ---- What a document declares, and what an export writes ----

function declaredCasMailboxes(policy: MailPolicy): Declared<'CasMailboxProtocol'>[] {
  return policy.casMailboxes ? [{ name: 'cas-mailboxes', inputs: { casMailboxes: policy.casMailboxes } }] : [];
}

/** `export --undeclared`: mailbox overrides as one exception per distinct set of values, naming its mailboxes (no default: it is declared). */
function keptMailboxOverrides(_exported: MailPolicy, objects: readonly UndeclaredObject[]): DocumentPart {
  const groups = new Map<string, CasMailboxException & { identities: string[] }>();
  for (const o of objects) {
    const signature = JSON.stringify(o.settings);
    const group = groups.get(signature) ?? ({ identities: [], ...o.settings } as CasMailboxException & { identities: string[] });
    group.identities.push(o.name);
    groups.set(signature, group);
  }
  return { casMailboxes: { exceptions: [...groups.values()] } };
}
