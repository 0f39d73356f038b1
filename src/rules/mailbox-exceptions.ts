/**
 * Per-mailbox exceptions by the identity as written (rules see no organisation, so they cannot
 * tell that two spellings name one mailbox; the planner can, and refuses exceptions that then
 * disagree). An identity written twice, which the loader refuses but raw resource inputs may
 * hold, takes the value of the last exception that sets the key. Identities compare
 * case-insensitively, as Exchange compares them.
 */
import type { CasMailboxesPolicy, CasMailboxSettings, JsonPointer } from '../model/types';
import { pointer } from './pointer';

export interface MailboxValue<K extends keyof CasMailboxSettings> {
  readonly identity: string;
  readonly value: CasMailboxSettings[K];
  /** The identity's entry in the exception that decided the value. */
  readonly pointer: JsonPointer;
}

/** The effective exception value of `key` for every mailbox an exception sets it for, in document order. */
export function exceptionValues<K extends keyof CasMailboxSettings>(
  cas: CasMailboxesPolicy | undefined,
  key: K,
): readonly MailboxValue<K>[] {
  const byIdentity = new Map<string, MailboxValue<K>>();
  cas?.exceptions.forEach((exception, e) => {
    if (exception[key] === undefined) return;
    exception.identities.forEach((identity, i) => {
      const folded = identity.toLowerCase();
      // Delete first so the map's order follows the deciding exception.
      byIdentity.delete(folded);
      byIdentity.set(folded, { identity, value: exception[key], pointer: pointer('casMailboxes', 'exceptions', e, 'identities', i) });
    });
  });
  return [...byIdentity.values()];
}
