/**
 * The warning about identities in the document that match nothing in Exchange (or more than one
 * object): mailbox exception identities and authentication policies' assignedTo users,
 * worded once for `plan`, `drift` and `apply` in every format. It goes first in a report: the
 * mailbox an exception meant gets the default instead (for a scanner: SMTP AUTH switched off),
 * so `apply` and `pulumi up` refuse to run with one unless told otherwise.
 */
import type { JsonValue } from '../exchange/types';
import { displayPath } from '../model/json-pointer';
import { formatLocation } from '../model/problem';
import type { JsonPointer, SourceLocation } from '../model/types';
import type { UnmatchedException } from './plan';

/** The CLI flag and the stack config key that let `apply` / `pulumi up` run anyway. */
export const ALLOW_UNMATCHED_FLAG = '--allow-unmatched-exceptions';
export const ALLOW_UNMATCHED_CONFIG = 'mailpolicy:allowUnmatchedExceptions';

export type Locate = (pointer: JsonPointer) => SourceLocation;

const REASONS: Readonly<Record<UnmatchedException['names'], Readonly<Record<UnmatchedException['reason'], string>>>> = {
  mailbox: {
    none: 'no mailbox has this name, alias, email address, user principal name, GUID or distinguished name',
    ambiguous: 'more than one mailbox answers to it; name the mailbox by its primary SMTP address or GUID',
  },
  user: {
    none: 'no user has this name, user principal name, distinguished name or GUID',
    ambiguous: 'more than one user answers to it; name the user by its user principal name or GUID',
  },
};

/** What each sort of identity is, and what becomes of what it meant. */
const WHAT: Readonly<Record<UnmatchedException['names'], { readonly one: string; readonly consequence: string }>> = {
  mailbox: { one: 'mailbox exception identity', consequence: 'the mailbox meant gets the default instead' },
  user: { one: 'authentication policy assignedTo identity', consequence: 'the user meant keeps the authentication policy Exchange has for it' },
};

function countsOf(list: readonly UnmatchedException[]): [UnmatchedException['names'], number][] {
  const counts = new Map<UnmatchedException['names'], number>();
  for (const u of list) counts.set(u.names, (counts.get(u.names) ?? 0) + 1);
  return [...counts];
}

/** `1 mailbox exception identity(ies) match no mailbox`, and so on for each sort: apply's refusal. */
export function unmatchedSummary(list: readonly UnmatchedException[]): string {
  return countsOf(list)
    .map(([names, n]) => `${n} ${WHAT[names].one}(ies) match no ${names}`)
    .join(' and ');
}

export interface UnmatchedWarning {
  readonly heading: string;
  /** One per identity: `FILE:LINE:COL: casMailboxes.exceptions[0].identities[1] "x": why`. */
  readonly items: readonly string[];
}

export function unmatchedWarning(list: readonly UnmatchedException[], locate?: Locate): UnmatchedWarning | undefined {
  if (list.length === 0) return undefined;
  const said = countsOf(list).map(([names, n]) => {
    const one = WHAT[names].one;
    const sort = n === 1 ? `${one} matches` : `${one.replace(/identity$/, 'identities')} match`;
    return `${n} ${sort} no ${names}: ${WHAT[names].consequence}.`;
  });
  return {
    heading: `WARNING: ${said.join(' ')} apply and pulumi up refuse to run until the document is fixed (or with ${ALLOW_UNMATCHED_FLAG} / ${ALLOW_UNMATCHED_CONFIG}).`,
    items: list.map((u) => `${locate ? `${formatLocation(locate(u.pointer))}: ` : ''}${displayPath(u.pointer)} "${u.identity}": ${REASONS[u.names][u.reason]}`),
  };
}

/** The JSON form: every field a program needs, the location when the document's file is known. */
export function unmatchedDocument(list: readonly UnmatchedException[], locate?: Locate): JsonValue[] {
  return list.map((u) => {
    const at = locate?.(u.pointer);
    return {
      identity: u.identity,
      pointer: u.pointer,
      reason: u.reason,
      message: REASONS[u.names][u.reason],
      ...(at ? { location: { file: at.file, line: at.line, column: at.column } } : {}),
    };
  });
}
