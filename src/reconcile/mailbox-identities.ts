/**
 * Which mailbox an exception's identity names, as Exchange resolves `-Identity`: by name, alias,
 * distinguished name, GUID, email address or user principal name, case-insensitively (the
 * Set-CASMailbox reference, -Identity; docs/exchange-facts.md). The read-back carries a mailbox's
 * identity, name, GUID, distinguished name (Exchange Server) and every SMTP address, so those
 * match here, without asking Exchange again. Alias and user principal name are not among what
 * Get-EXOCasMailbox and Get-CASMailbox return: an identity that matches nothing here is asked of
 * Exchange itself (`-Identity`, reader.ts `lookUpMailboxes`), whose answer arrives as `lookups`.
 */
import type { ActualCasMailbox, ActualCasMailboxes, MailboxLookup } from '../exchange/types';
import type { CasMailboxesPolicy } from '../model/types';

/** How a mailbox Exchange resolved is found again in the read-back: its GUID, else its identity. */
export function mailboxKey(mailbox: ActualCasMailbox): string {
  return (mailbox.guid ?? mailbox.identity).toLowerCase();
}

function namesOf(mailbox: ActualCasMailbox): string[] {
  const names = [mailbox.identity, mailbox.primarySmtpAddress, ...(mailbox.emailAddresses ?? [])];
  if (mailbox.name !== undefined) names.push(mailbox.name);
  if (mailbox.guid !== undefined) names.push(mailbox.guid);
  if (mailbox.distinguishedName !== undefined) names.push(mailbox.distinguishedName);
  return names;
}

/** Why an exception identity names no one mailbox. */
export type UnmatchedReason = 'none' | 'ambiguous';

export type Resolution = { readonly mailbox: number } | { readonly unmatched: UnmatchedReason };

const indexes = new WeakMap<readonly ActualCasMailbox[], MailboxIndex>();

/** Every mailbox under each of its names (lowercased), built once per read-back (`MailboxIndex.of`). */
export class MailboxIndex {
  /** The index of a read-back: the read decides what to look up and the planner resolves with the same one. */
  static of(mailboxes: readonly ActualCasMailbox[]): MailboxIndex {
    let index = indexes.get(mailboxes);
    if (!index) {
      index = new MailboxIndex(mailboxes);
      indexes.set(mailboxes, index);
    }
    return index;
  }

  private readonly byName = new Map<string, number[]>();
  private readonly byKey = new Map<string, number>();

  constructor(readonly mailboxes: readonly ActualCasMailbox[]) {
    mailboxes.forEach((mailbox, i) => {
      this.byKey.set(mailboxKey(mailbox), i);
      for (const name of namesOf(mailbox)) {
        if (name === '') continue;
        const key = name.toLowerCase();
        const list = this.byName.get(key);
        if (!list) this.byName.set(key, [i]);
        else if (!list.includes(i)) list.push(i);
      }
    });
  }

  /** The mailboxes the read-back alone says `identity` names. */
  local(identity: string): readonly number[] {
    return this.byName.get(identity.toLowerCase()) ?? [];
  }

  /** The mailbox `identity` names: here if it can, else as Exchange answered (`lookups`). */
  resolve(identity: string, lookups: ReadonlyMap<string, MailboxLookup>): Resolution {
    const hits = this.local(identity);
    if (hits.length === 1) return { mailbox: hits[0] as number };
    if (hits.length > 1) return { unmatched: 'ambiguous' };
    const looked = lookups.get(identity.toLowerCase());
    if (looked === undefined || looked.found === null) return { unmatched: looked?.reason ?? 'none' };
    const mailbox = this.byKey.get(looked.found.toLowerCase());
    return mailbox === undefined ? { unmatched: 'none' } : { mailbox };
  }
}

/** The exception identities the read-back cannot place: what to ask Exchange about. */
export function identitiesToLookUp(policy: CasMailboxesPolicy, mailboxes: readonly ActualCasMailbox[]): string[] {
  if (policy.exceptions.length === 0) return [];
  const index = MailboxIndex.of(mailboxes);
  const out = new Map<string, string>();
  for (const exception of policy.exceptions) {
    for (const identity of exception.identities) if (index.local(identity).length === 0) out.set(identity.toLowerCase(), identity);
  }
  return [...out.values()];
}

/** The read-back with nothing looked up: for callers that have every mailbox's names already. */
export function withoutLookups(mailboxes: readonly ActualCasMailbox[]): ActualCasMailboxes {
  return { mailboxes, lookups: new Map() };
}
