/**
 * The contract between everything that talks to Exchange (reader, planner's executor,
 * providers, CLI) and the two backends that implement it: the in-process simulator and the
 * PowerShell runner. Requests are data (cmdlet name + parameters as JSON), never script text.
 */
import type { CasMailboxOptions, Cloud, Platform } from '../model/types';

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** One cmdlet call. `cmdlet` and every parameter name must be entries of the cmdlet catalog. */
export interface CmdletRequest {
  readonly cmdlet: string;
  readonly parameters: Readonly<Record<string, JsonValue>>;
  /**
   * Windows service cmdlets only (the catalog's `remoteService`): the Exchange server they run
   * on. Not a parameter of the cmdlet (PowerShell 6.0 and later have no -ComputerName on the
   * service cmdlets): the host gives it to `Invoke-Command -ComputerName`.
   */
  readonly computerName?: string;
  /**
   * Reads only: properties of the catalog's `optionalReturns` the result should carry besides
   * its `returns` (names, never code: the host checks each against its allowlist and shapes
   * only those). Absent: none.
   */
  readonly properties?: readonly string[];
}

export interface CmdletErrorInfo {
  readonly message: string;
  readonly type: string;
  readonly fullyQualifiedErrorId: string;
  readonly category: string;
  readonly transient: boolean;
}

/** Outcome of one request inside a batch. */
export type BatchItemResult =
  | { readonly ok: true; readonly data: JsonValue; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly error: CmdletErrorInfo; readonly warnings: readonly string[] };

/**
 * What the backend can tell of the organisation it is connected to (not what the YAML claims).
 * Checked against a document only by verifyTarget (src/exchange/verify-target.ts).
 */
export interface ConnectionInfo {
  readonly platform: Platform;
  /** Exchange Online only: the simulator's own; through PowerShell, the cloud of the endpoint (GCC reads as the configured one of worldwide/GCC). */
  readonly cloud?: Cloud;
  /** The simulator's own name; through PowerShell, the name it was asked to connect to (verified against the accepted domains). */
  readonly organization: string;
}

/** Counters for benchmarks and idempotency tests. */
export interface BackendStats {
  readonly processSpawns: number;
  readonly connects: number;
  readonly roundTrips: number;
  /** Calls per cmdlet name, counting each call inside a batch. */
  readonly calls: Readonly<Record<string, number>>;
  /** Throttling errors met (server busy, HTTP 429), retried or not; with the backend's lanes. */
  readonly throttled?: number;
  /** Time spent waiting out throttling (retry-after) before trying again, summed over calls and lanes, in ms. */
  readonly throttleWaitMs?: number;
  /** PowerShell: how long the last start and sign-in took (what another host costs). */
  readonly connectMs?: number;
}

/** What a caller may ask of one call besides its result. */
export interface InvokeOptions {
  /**
   * A read's progress: how many objects Exchange has returned so far, called now and then (about
   * once a second from a PowerShell host) while they arrive, never for writes; counts only grow.
   * The result is the same with or without it.
   */
  readonly onItems?: (received: number) => void;
}

export interface ExchangeBackend {
  readonly kind: 'simulator' | 'powershell';
  /** One human line naming the backend, e.g. `backend: simulator (state: ./org.json)`. */
  describe(): string;
  connection(): Promise<ConnectionInfo>;
  /** Runs one cmdlet; rejects with ExchangeError on failure (a failed read is never "absent"). */
  invoke(request: CmdletRequest, options?: InvokeOptions): Promise<JsonValue>;
  /** Runs many cmdlets in one round trip; each item succeeds or fails on its own. */
  invokeBatch(requests: readonly CmdletRequest[]): Promise<readonly BatchItemResult[]>;
  stats(): BackendStats;
  close(): Promise<void>;
  /**
   * Another connection to the same organisation, for writes in parallel (a PowerShell host of
   * its own, signed in on its own); closed with this backend, its counters in this one's stats.
   * Absent: one connection only.
   */
  openLane?(): ExchangeBackend;
}

/** Thrown by backends: carries Exchange's own error, already redacted. */
export class ExchangeError extends Error {
  constructor(
    readonly cmdlet: string,
    readonly info: CmdletErrorInfo,
  ) {
    super(`${cmdlet}: ${info.message}`);
    this.name = 'ExchangeError';
  }
}

// ---- What several parts of mailpolicy read back (Exchange → model): produced by src/exchange/reader.ts.
// Each resource kind's own Actual* type is in its module folder (src/reconcile/kinds/<kind>-read.ts). ----

/**
 * One mailbox as Get-EXOCasMailbox (the Minimum property set, SMTP AUTH by name) or Get-CASMailbox reports
 * it. The names a mailbox can be called by, beside its identity, are what a document's exception
 * may name it by (src/reconcile/mailbox-identities.ts); the reader leaves out what Exchange did
 * not report (Get-EXOCasMailbox has no DistinguishedName in those sets).
 */
interface ActualCasMailboxAccess {
  readonly identity: string;
  readonly primarySmtpAddress: string;
  readonly name?: string;
  readonly guid?: string;
  readonly distinguishedName?: string;
  /** Every SMTP address of the mailbox (EmailAddresses' `smtp:` entries, without the prefix). */
  readonly emailAddresses?: readonly string[];
  readonly popEnabled: boolean;
  readonly imapEnabled: boolean;
  /** Exchange Online: null = inherits the org value. Always null on Exchange Server. */
  readonly smtpClientAuthenticationDisabled: boolean | null;
}

/**
 * A mailbox as read: its protocol access, and the Set-CASMailbox POP3/IMAP4 options that were
 * asked for (readCasMailboxes' `options`; absent when not read).
 */
export interface ActualCasMailbox extends ActualCasMailboxAccess, CasMailboxOptions {}

/**
 * What Exchange answered when asked for one mailbox by an identity (`-Identity`): the key
 * (GUID, else identity) of the mailbox it resolved, or none / more than one.
 */
export type MailboxLookup = { readonly found: string } | { readonly found: null; readonly reason: 'none' | 'ambiguous' };

/** Every mailbox, and what Exchange resolved for the exception identities the read-back alone cannot place. */
export interface ActualCasMailboxes {
  readonly mailboxes: readonly ActualCasMailbox[];
  /** Keyed by the identity as the document writes it, lowercased. */
  readonly lookups: ReadonlyMap<string, MailboxLookup>;
}

/** One server of an Exchange Server organisation, as Get-ExchangeServer lists it. */
export interface ActualExchangeServer {
  readonly name: string;
  /** As Exchange prints it: `Mailbox`, `Mailbox, ClientAccess`, `Edge`; null when not reported. */
  readonly serverRole: string | null;
  /** The server's build as printed (`Version 15.2 (Build 2562.17)`); null when not reported. */
  readonly adminDisplayVersion: string | null;
}
