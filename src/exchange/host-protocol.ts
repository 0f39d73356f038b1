/**
 * The line protocol between the runner and the PowerShell host (powershell/mailpolicy-host.ps1)
 * or the stand-in pwsh: one JSON object per line each way, UTF-8, `\n`-terminated.
 *
 * Requests: `{"id":1,"type":"connect","cmdlet":"Connect-ExchangeOnline","parameters":{…}}`,
 * `{"id":2,"type":"invoke","cmdlet":"Get-TransportConfig","parameters":{}}`,
 * `{"id":3,"type":"batch","requests":[{"cmdlet":"Set-CASMailbox","parameters":{…}},…]}`.
 * Responses: `{"id":2,"ok":true,"data":…,"warnings":[]}` or
 * `{"id":2,"ok":false,"error":{"message","type","fullyQualifiedErrorId","category","transient"},"warnings":[]}`;
 * a batch's `data` is one `{ok, data | error, warnings}` per request, in order.
 * While it runs a batch the host announces each item as it starts: `{"id":3,"started":0}`
 * (0-based index into `requests`), so the runner gives every cmdlet its own deadline and knows
 * which one hung. While it collects a read's objects (an `invoke`, never a batch item, never a
 * write) it says how many it has so far, at most about once every RECEIVED_EVERY_MS:
 * `{"id":2,"received":42000}`, so a read of 100,000 mailboxes is not silent until its one response
 * line; the response is the same with or without these lines.
 */
import type { BatchItemResult, CmdletErrorInfo, CmdletRequest, JsonValue } from './types';
import { isRecord } from './is-record';

export type HostRequest =
  | { readonly id: number; readonly type: 'connect' | 'invoke'; readonly cmdlet: string; readonly parameters: Readonly<Record<string, JsonValue>>; readonly computerName?: string }
  | { readonly id: number; readonly type: 'batch'; readonly requests: readonly CmdletRequest[] };

export type HostResponse =
  | { readonly id: number | null; readonly ok: true; readonly data: JsonValue; readonly warnings: readonly string[] }
  | { readonly id: number | null; readonly ok: false; readonly error: CmdletErrorInfo; readonly warnings: readonly string[] };

/** Error ids the host itself raises (fullyQualifiedErrorId). */
export const HOST_ERROR = {
  moduleNotFound: 'MailpolicyHost.ModuleNotFound',
  windowsOnly: 'MailpolicyHost.WindowsOnly',
  notAllowed: 'MailpolicyHost.NotAllowed',
  notConnected: 'MailpolicyHost.NotConnected',
  badRequest: 'MailpolicyHost.BadRequest',
} as const;

function isErrorRecord(v: unknown): v is Record<string, unknown> & { message: string } {
  return isRecord(v) && typeof v.message === 'string';
}

function normaliseError(v: Record<string, unknown>): CmdletErrorInfo {
  return {
    message: String(v.message ?? ''),
    type: String(v.type ?? ''),
    fullyQualifiedErrorId: String(v.fullyQualifiedErrorId ?? ''),
    category: String(v.category ?? ''),
    transient: v.transient === true,
  };
}

function warningsOf(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/** A batch item the host has started running. */
export interface HostProgress {
  readonly id: number;
  /** 0-based index into the batch's `requests`. */
  readonly started: number;
}

/** A read's objects collected so far (an `invoke` request's). */
export interface HostReceived {
  readonly id: number;
  readonly received: number;
}

/** How often, at most, a host says how many objects a read has returned (the PowerShell host's own figure, restated there). */
export const RECEIVED_EVERY_MS = 1000;

/**
 * Parses one line from the host (parsed once: a response may be many megabytes): a response, a
 * progress line, or undefined when the line is not part of the protocol (stray output).
 */
export function parseHostLine(line: string): { readonly response: HostResponse } | { readonly progress: HostProgress } | { readonly received: HostReceived } | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(raw) || !('id' in raw)) return undefined;
  if (!('ok' in raw)) {
    if (typeof raw.id === 'number' && Number.isSafeInteger(raw.received)) return { received: { id: raw.id, received: raw.received as number } };
    return typeof raw.id === 'number' && Number.isSafeInteger(raw.started) ? { progress: { id: raw.id, started: raw.started as number } } : undefined;
  }
  if (typeof raw.ok !== 'boolean') return undefined;
  const id = typeof raw.id === 'number' ? raw.id : null;
  const warnings = warningsOf(raw.warnings);
  if (raw.ok) return { response: { id, ok: true, data: (raw.data ?? null) as JsonValue, warnings } };
  if (!isErrorRecord(raw.error)) return undefined;
  return { response: { id, ok: false, error: normaliseError(raw.error), warnings } };
}

/** The items of a batch response's data. */
export function batchItems(data: JsonValue, expected: number): BatchItemResult[] {
  const list = data === null ? [] : Array.isArray(data) ? data : [data];
  if (list.length !== expected) throw new Error(`batch response has ${list.length} results for ${expected} requests`);
  return list.map((item) => {
    if (!isRecord(item) || typeof item.ok !== 'boolean') throw new Error('batch response item is not {ok, …}');
    const warnings = warningsOf(item.warnings);
    if (item.ok) return { ok: true, data: (item.data ?? null) as JsonValue, warnings };
    if (!isErrorRecord(item.error)) throw new Error('failed batch item has no error');
    return { ok: false, error: normaliseError(item.error), warnings };
  });
}

/**
 * Splits a byte stream into lines without decoding partial characters; a line of many
 * megabytes (a 100,000-mailbox read) is joined once, when its newline arrives.
 */
export class LineSplitter {
  private parts: Buffer[] = [];

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      const piece = chunk.subarray(start, nl);
      const line = this.parts.length === 0 ? piece.toString('utf8') : Buffer.concat([...this.parts, piece]).toString('utf8');
      this.parts = [];
      start = nl + 1;
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (trimmed.length > 0) this.onLine(trimmed);
    }
    if (start < chunk.length) this.parts.push(chunk.subarray(start));
  }

  /** Bytes of an unfinished line (for diagnostics after a crash). */
  get pendingBytes(): number {
    return this.parts.reduce((n, b) => n + b.length, 0);
  }
}
