/**
 * Per-mailbox exceptions resolved the way the model defines them: later exceptions win, so a
 * mailbox listed twice takes the value of the last exception that sets the key. Exchange
 * compares identities case-insensitively, and so do we.
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
