/**
 * The warning about mailbox exception identities that match no mailbox (or more than one),
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

const REASONS: Readonly<Record<UnmatchedException['reason'], string>> = {
  none: 'no mailbox has this name, alias, email address, user principal name, GUID or distinguished name',
  ambiguous: 'more than one mailbox answers to it; name the mailbox by its primary SMTP address or GUID',
};

export interface UnmatchedWarning {
  readonly heading: string;
  /** One per identity: `FILE:LINE:COL: casMailboxes.exceptions[0].identities[1] "x": why`. */
  readonly items: readonly string[];
}

export function unmatchedWarning(list: readonly UnmatchedException[], locate?: Locate): UnmatchedWarning | undefined {
  if (list.length === 0) return undefined;
  const n = list.length;
  return {
    heading:
      `WARNING: ${n} mailbox exception ${n === 1 ? 'identity matches' : 'identities match'} no mailbox: the mailbox meant gets the default instead. ` +
      `apply and pulumi up refuse to run until the document is fixed (or with ${ALLOW_UNMATCHED_FLAG} / ${ALLOW_UNMATCHED_CONFIG}).`,
    items: list.map((u) => `${locate ? `${formatLocation(locate(u.pointer))}: ` : ''}${displayPath(u.pointer)} "${u.identity}": ${REASONS[u.reason]}`),
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
      message: REASONS[u.reason],
      ...(at ? { location: { file: at.file, line: at.line, column: at.column } } : {}),
    };
  });
}
