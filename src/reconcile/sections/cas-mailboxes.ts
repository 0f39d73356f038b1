/**
 * Set-CASMailbox in bulk. Desired per mailbox = `default`, overlaid key by key by every
 * exception naming it. An exception identity names a mailbox as Exchange's -Identity does (name,
 * alias, distinguished name, GUID, email address, user principal name, case-insensitively:
 * mailbox-identities.ts); one that names no mailbox, or several, is reported, never guessed.
 * Two exceptions that name one mailbox must agree on every key both set: otherwise nothing is
 * planned (ExceptionConflictError). Only mailboxes that deviate get a change, each with only its
 * drifted keys, each drift saying where its desired value is declared.
 * `smtpClientAuthenticationDisabled: null` means "inherit the organisation value": a mailbox
 * with its own value gets `-SmtpClientAuthenticationDisabled $null`.
 */
import { buildRequest } from '../../exchange/request';
import type { ActualCasMailbox, ActualCasMailboxes, JsonValue } from '../../exchange/types';
import { CAS_MAILBOX_SETTING_KEYS, type CasMailboxesPolicy, type CasMailboxSettings, type JsonPointer } from '../../model/types';
import { pointer } from '../../rules/pointer';
import { describeDrift, driftComparer, driftParameters } from '../drift';
import { MailboxIndex } from '../mailbox-identities';
import { ExceptionConflictError, type Change, type DeclaredIdentity, type ExceptionConflict, type ResourceRef, type UnmatchedException } from '../plan';

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
function overlaysOf(policy: CasMailboxesPolicy, actual: ActualCasMailboxes): { overlays: Map<number, Overlay>; unmatched: UnmatchedException[] } {
  const overlays = new Map<number, Overlay>();
  const unmatched: UnmatchedException[] = [];
  const conflicts = new Map<string, ExceptionConflict & { keys: ExceptionConflict['keys'][number][] }>();
  // Most organisations have few exceptions: no index without them.
  const index = policy.exceptions.length > 0 ? MailboxIndex.of(actual.mailboxes) : undefined;
  policy.exceptions.forEach((exception, k) => {
    exception.identities.forEach((identity, j) => {
      const at = pointer('casMailboxes', 'exceptions', k, 'identities', j);
      const resolved = (index as MailboxIndex).resolve(identity, actual.lookups);
      if ('unmatched' in resolved) {
        unmatched.push({ identity, pointer: at, reason: resolved.unmatched });
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

export function planCasMailboxes(resource: ResourceRef, policy: CasMailboxesPolicy, actual: ActualCasMailboxes): CasMailboxesPlan {
  const base = policy.default ?? {};
  const defaultAt = (key: string): JsonPointer => pointer('casMailboxes', 'default', key);
  const { overlays, unmatched } = overlaysOf(policy, actual);
  const changes: Change[] = [];
  const compare = driftComparer('Set-CASMailbox', CAS_MAILBOX_SETTING_KEYS);
  actual.mailboxes.forEach((mailbox, i) => {
    const overlay = overlays.get(i);
    let desired: CasMailboxSettings = base;
    if (overlay) {
      const merged: Record<string, JsonValue | undefined> = { ...base };
      for (const [key, { value }] of overlay) merged[key] = value;
      desired = merged as CasMailboxSettings;
    }
    const compared = compare(desired, mailbox);
    if (compared.length === 0) return;
    const drift = compared.map((d) => {
      const from = overlay?.get(d.key as CasMailboxKey);
      return { ...d, declaredAt: from ? pointer('casMailboxes', 'exceptions', from.exception, d.key) : defaultAt(d.key) };
    });
    const subject = mailboxSubject(mailbox);
    changes.push({
      resource,
      action: 'set',
      subject,
      request: buildRequest('Set-CASMailbox', { identity: subject, ...driftParameters(drift) }),
      description: `mailbox ${subject}: ${describeDrift(drift)}`,
      drift,
      bulk: true,
    });
  });
  return { changes, notes: [], unmatched };
}
