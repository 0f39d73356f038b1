/**
 * The organisation as read back, organised by the part of it each kind plans against: only the
 * parts the resources being planned manage need to be present.
 */
import type { ActualExchangeServer } from '../exchange/types';
import type { Protocol } from '../model/types';
import type { ActualPartByKind, ResourceKind } from './kinds/types';

/** Server + protocol key for the per-server parts of ActualOrganisation (server names are case-insensitive). */
export function serverProtocolKey(server: string, protocol: Protocol): string {
  return `${server.toLowerCase()}/${protocol}`;
}

/** Every member of a union of object types, as one object type (`A | B` → `A & B`). */
type AllOf<U> = (U extends unknown ? (part: U) => void : never) extends (part: infer I) => void ? I : never;

/**
 * The organisation as read back: every kind's part (`ActualPartByKind`, declared with each kind's
 * read-back), of which only the parts the document manages need to be present, and the server
 * list several parts of mailpolicy share.
 */
export interface ActualOrganisation extends AllOf<ActualPartByKind[ResourceKind]> {
  /** Exchange Server: every server Get-ExchangeServer lists (drift's servers-not-declared; plan never reads it). */
  readonly exchangeServers?: readonly ActualExchangeServer[];
}

/** A part the planner needs that was not read: a bug in the caller, never "absent". */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the organisation was not read for ${what}`);
  return value;
}

/**
 * Parts read separately (one per kind), as one organisation: a map (the per-server parts) is
 * joined with the same part of the others, any other part is the last one read. A part left
 * undefined was not read and takes nothing away.
 */
export function mergeOrganisation(parts: readonly ActualOrganisation[]): ActualOrganisation {
  const out: Record<string, unknown> = {};
  for (const part of parts) {
    for (const [key, value] of Object.entries(part)) {
      if (value === undefined) continue;
      const before = out[key];
      out[key] = value instanceof Map ? new Map([...(before instanceof Map ? before : []), ...value]) : value;
    }
  }
  return out as ActualOrganisation;
}
