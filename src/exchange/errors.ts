/**
 * What to do with an Exchange error: retry it (throttling, server busy, transient exceptions),
 * reconnect and retry (expired token), or fail fast with Exchange's own message (not found,
 * permissions, parameter binding, anything unknown). Defined once here; the PowerShell host
 * receives the same patterns through its generated config (powershell/host-config.json).
 */
import type { CmdletErrorInfo } from './types';

export type ErrorDisposition = 'transient' | 'reconnect' | 'permanent';

/** Matched case-insensitively against the error's type, fully qualified id and message. */
export const TRANSIENT_PATTERNS: readonly string[] = [
  'TransientException',
  'server busy',
  'server is busy',
  'ServerBusyException',
  '(429)',
  'Too Many Requests',
  'Micro delay',
  'throttl',
  'timed out',
  'The operation has timed out',
  '(503)',
  'Service Unavailable',
];

/** An expired or revoked token: connect again, then retry. */
export const RECONNECT_PATTERNS: readonly string[] = ['token has expired', 'token expired', 'TokenExpired', 'AADSTS700024', 'Unauthorized (401)'];

/** Never retried, even when a message happens to mention a transient pattern. */
export const PERMANENT_PATTERNS: readonly string[] = [
  'ManagementObjectNotFoundException',
  'ManagementObjectAmbiguousException',
  'ParameterBindingException',
  'NamedParameterNotFound',
  'ParameterArgumentTransformationError',
  'ParameterArgumentValidationError',
  'CommandNotFoundException',
  'AccessDenied',
  'UnauthorizedAccessException',
  'insufficient permissions',
];

/**
 * Exchange Online's V3 REST cmdlets raise errors through the module's Write-ErrorMessage as
 * `<code>|<exception type>|<text>` (docs/exchange-facts.md, "Running cmdlets from a program";
 * seen in timmcmic/DLConversionV2 #129/#130, and with code and type left empty in #188). The
 * host config carries this source so the PowerShell host unwraps with the same pattern.
 */
export const EXO_ERROR_MESSAGE_PATTERN = '^([A-Za-z0-9]*)\\|([A-Za-z0-9_.`+]*)\\|([\\s\\S]*)$';
const EXO_ERROR_MESSAGE = new RegExp(EXO_ERROR_MESSAGE_PATTERN);

/**
 * The error as Exchange meant it: the exception type embedded in a Write-ErrorMessage message
 * (rather than the WriteErrorException that wraps it) and the text without its `<code>|<type>|`.
 */
export function unwrapExchangeError(info: CmdletErrorInfo): CmdletErrorInfo {
  const parts = EXO_ERROR_MESSAGE.exec(info.message);
  if (!parts) return info;
  return { ...info, type: parts[2] ? (parts[2] as string) : info.type, message: parts[3] as string };
}

function matchesAny(text: string, patterns: readonly string[]): boolean {
  const folded = text.toLowerCase();
  return patterns.some((p) => folded.includes(p.toLowerCase()));
}

export function classifyError(given: CmdletErrorInfo): ErrorDisposition {
  const info = unwrapExchangeError(given);
  const text = `${info.type}\n${info.fullyQualifiedErrorId}\n${info.message}`;
  if (matchesAny(text, RECONNECT_PATTERNS)) return 'reconnect';
  if (matchesAny(`${info.type}\n${info.fullyQualifiedErrorId}`, PERMANENT_PATTERNS)) return 'permanent';
  if (info.transient || matchesAny(text, TRANSIENT_PATTERNS)) return 'transient';
  return 'permanent';
}

/** Exchange found no object for an -Identity (the type travels in the message, id or reason: docs/exchange-facts.md). */
export function isNotFound(info: CmdletErrorInfo): boolean {
  return matchesAny(`${info.type}\n${info.fullyQualifiedErrorId}\n${info.message}`, ['ManagementObjectNotFoundException']);
}

/** The cmdlet does not exist where the session runs (e.g. Get-AuthenticationPolicy on Exchange Server 2016). */
export function isCommandNotFound(info: CmdletErrorInfo): boolean {
  return matchesAny(`${info.type}\n${info.fullyQualifiedErrorId}`, ['CommandNotFoundException']);
}

/** More than one object answers to an -Identity. */
export function isAmbiguous(info: CmdletErrorInfo): boolean {
  return matchesAny(`${info.type}\n${info.fullyQualifiedErrorId}\n${info.message}`, ['ManagementObjectAmbiguousException']);
}

/** Of the transient errors, those that say Exchange is throttling (the ones a concurrent apply backs off on). */
export const THROTTLING_PATTERNS: readonly string[] = ['(429)', 'Too Many Requests', 'server busy', 'server is busy', 'ServerBusy', 'throttl', 'MaxConcurrency', 'Micro delay'];

export function isThrottling(info: CmdletErrorInfo): boolean {
  return matchesAny(`${info.type}\n${info.fullyQualifiedErrorId}\n${info.message}`, THROTTLING_PATTERNS);
}

/**
 * How long a throttled call asks to wait, from its message: `Retry-After: <seconds>` (an HTTP
 * 429's header, as the simulator words it) or EWS's "Suggested backoff time <n> ms"
 * (OfficeDev/ews-managed-api #293); undefined when it does not say.
 */
export function retryAfterMs(info: CmdletErrorInfo): number | undefined {
  const header = /Retry-After:?\s*(\d+(?:\.\d+)?)/i.exec(info.message);
  if (header) return Number(header[1]) * 1000;
  const suggested = /Suggested backoff time:?\s*(\d+)\s*ms/i.exec(info.message);
  return suggested ? Number(suggested[1]) : undefined;
}
