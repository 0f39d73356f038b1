/**
 * Set-CASMailbox in bulk. Desired per mailbox = `default`, overlaid key by key by every
 * exception naming it (by identity or primary SMTP address, case-insensitively; a later
 * exception wins). Only mailboxes that deviate get a change, each with only its drifted keys.
 * `smtpClientAuthenticationDisabled: null` means "inherit the organisation value": a mailbox
 * with its own value gets `-SmtpClientAuthenticationDisabled $null`.
 */
import { buildRequest } from '../../exchange/catalog';
import type { ActualCasMailbox, JsonValue } from '../../exchange/types';
import { CAS_MAILBOX_SETTING_KEYS, type CasMailboxesPolicy, type CasMailboxSettings } from '../../model/types';
import { describeDrift, driftComparer, driftParameters } from '../drift';
import type { Change, ResourceRef } from '../plan';

type CasMailboxKey = keyof CasMailboxSettings;

/** What the exceptions say about one identity: per key, the value and the index of the exception that set it. */
interface Overlay {
  readonly values: Partial<Record<CasMailboxKey, JsonValue>>;
  readonly from: Partial<Record<CasMailboxKey, number>>;
}

function overlaysOf(policy: CasMailboxesPolicy): Map<string, Overlay> {
  const overlays = new Map<string, Overlay>();
  policy.exceptions.forEach((exception, index) => {
    for (const identity of exception.identities) {
      const id = identity.toLowerCase();
      let overlay = overlays.get(id);
      if (!overlay) {
        overlay = { values: {}, from: {} };
        overlays.set(id, overlay);
      }
      for (const key of CAS_MAILBOX_SETTING_KEYS) {
        const value = exception[key];
        if (value === undefined) continue;
        overlay.values[key] = value;
        overlay.from[key] = index;
      }
    }
  });
  return overlays;
}

function desiredFor(base: CasMailboxSettings, a: Overlay | undefined, b: Overlay | undefined): CasMailboxSettings {
  if (!a && !b) return base;
  const out: Record<string, JsonValue | undefined> = { ...base };
  for (const key of CAS_MAILBOX_SETTING_KEYS) {
    const ai = a?.from[key] ?? -1;
    const bi = b?.from[key] ?? -1;
    if (ai < 0 && bi < 0) continue;
    out[key] = ai >= bi ? a?.values[key] : b?.values[key];
  }
  return out as CasMailboxSettings;
}

/** The identity a Set-CASMailbox names: the primary SMTP address (unique, readable), else Exchange's identity. */
export function mailboxSubject(mailbox: ActualCasMailbox): string {
  return mailbox.primarySmtpAddress !== '' ? mailbox.primarySmtpAddress : mailbox.identity;
}

export interface CasMailboxesPlan {
  readonly changes: Change[];
  readonly notes: string[];
}

export function planCasMailboxes(resource: ResourceRef, policy: CasMailboxesPolicy, mailboxes: readonly ActualCasMailbox[]): CasMailboxesPlan {
  const base = policy.default ?? {};
  const overlays = overlaysOf(policy);
  const matched = new Set<string>();
  const changes: Change[] = [];
  const compare = driftComparer('Set-CASMailbox', CAS_MAILBOX_SETTING_KEYS);
  for (const mailbox of mailboxes) {
    let a: Overlay | undefined;
    let b: Overlay | undefined;
    // Most organisations have few exceptions: skip the lookups when there are none.
    if (overlays.size > 0) {
      const byIdentity = mailbox.identity.toLowerCase();
      const bySmtp = mailbox.primarySmtpAddress.toLowerCase();
      a = overlays.get(byIdentity);
      b = bySmtp === byIdentity ? undefined : overlays.get(bySmtp);
      if (a) matched.add(byIdentity);
      if (b) matched.add(bySmtp);
    }
    const drift = compare(desiredFor(base, a, b), mailbox);
    if (drift.length === 0) continue;
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
  }
  const notes: string[] = [];
  for (const exception of policy.exceptions) {
    for (const identity of exception.identities) {
      if (!matched.has(identity.toLowerCase())) notes.push(`casMailboxes exception: no mailbox matches ${identity}`);
    }
  }
  return { changes, notes };
}
