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
import { NameIndex } from '../text/name-index';

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

const indexes = new WeakMap<readonly ActualCasMailbox[], { readonly names: string; readonly index: MailboxIndex }>();

/**
 * The mailboxes of a read-back that answer to the exception identities of a document (a
 * document names a few mailboxes; an organisation can have 100,000, so only the names asked
 * for are indexed), built once per read-back and document (`MailboxIndex.of`).
 */
export class MailboxIndex {
  /** The index of a read-back for these exceptions: the read decides what to look up and the planner resolves with the same one. */
  static of(mailboxes: readonly ActualCasMailbox[], policy: CasMailboxesPolicy): MailboxIndex {
    const identities = policy.exceptions.flatMap((e) => e.identities);
    const names = identities.map((i) => i.toLowerCase()).join('\n');
    const known = indexes.get(mailboxes);
    if (known?.names === names) return known.index;
    const index = new MailboxIndex(mailboxes, identities);
    indexes.set(mailboxes, { names, index });
    return index;
  }

  private readonly byName = new NameIndex();
  /** Mailboxes by `mailboxKey`, for the keys Exchange's answers (`lookups`) name: made on first need. */
  private byKey: { readonly lookups: ReadonlyMap<string, MailboxLookup>; readonly positions: Map<string, number> } | undefined;

  constructor(
    readonly mailboxes: readonly ActualCasMailbox[],
    identities: readonly string[],
  ) {
    const wanted = new Set(identities.map((i) => i.toLowerCase()));
    if (wanted.size === 0) return;
    mailboxes.forEach((mailbox, i) => {
      for (const name of namesOf(mailbox)) if (name !== '' && wanted.has(name.toLowerCase())) this.byName.add(name, i);
    });
  }

  /** The mailboxes the read-back alone says `identity` (one of the exception identities) names. */
  local(identity: string): readonly number[] {
    return this.byName.get(identity);
  }

  /** The mailbox `identity` names: here if it can, else as Exchange answered (`lookups`). */
  resolve(identity: string, lookups: ReadonlyMap<string, MailboxLookup>): Resolution {
    const hits = this.local(identity);
    if (hits.length === 1) return { mailbox: hits[0] as number };
    if (hits.length > 1) return { unmatched: 'ambiguous' };
    const looked = lookups.get(identity.toLowerCase());
    if (looked === undefined || looked.found === null) return { unmatched: looked?.reason ?? 'none' };
    const mailbox = this.keyed(lookups).get(looked.found.toLowerCase());
    return mailbox === undefined ? { unmatched: 'none' } : { mailbox };
  }

  /** The positions of the mailboxes Exchange's answers name (the last of a key, as a map over all of them would keep). */
  private keyed(lookups: ReadonlyMap<string, MailboxLookup>): Map<string, number> {
    if (this.byKey?.lookups === lookups) return this.byKey.positions;
    const wanted = new Set<string>();
    for (const looked of lookups.values()) if (looked.found !== null) wanted.add(looked.found.toLowerCase());
    const positions = new Map<string, number>();
    this.mailboxes.forEach((mailbox, i) => {
      const key = mailboxKey(mailbox);
      if (wanted.has(key)) positions.set(key, i);
    });
    this.byKey = { lookups, positions };
    return positions;
  }
}

/** The exception identities the read-back cannot place: what to ask Exchange about. */
export function identitiesToLookUp(policy: CasMailboxesPolicy, mailboxes: readonly ActualCasMailbox[]): string[] {
  if (policy.exceptions.length === 0) return [];
  const index = MailboxIndex.of(mailboxes, policy);
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
