/**
 * The one check, made before any read or write on every backend and every path (CLI plan,
 * apply, drift, export; provider create, read, update, delete), that the organisation mailpolicy
 * is connected to is the one the document (or export's --organization and --cloud) names. Both
 * facts are read from Exchange, through the backend, never taken from the settings:
 *
 * - the organisation: the name must be one of the organisation's accepted domains
 *   (Get-AcceptedDomain, case-insensitively, wildcard entries not expanded). An Exchange Online
 *   tenant's initial domain (contoso.onmicrosoft.com, what Connect-ExchangeOnline -Organization
 *   takes) is always one of them; on premises the document names the organisation's DNS domain.
 *   Get-ConnectionInformation cannot tell: its Organization only echoes -Organization
 *   (docs/exchange-facts.md).
 * - the cloud (Exchange Online): what the backend reports. The simulator knows its own; through
 *   PowerShell it is the cloud of Get-ConnectionInformation's ConnectionUri
 *   (the clouds table's connectionHosts, src/model/clouds.ts). Known limit: worldwide and GCC share outlook.office365.com, so
 *   through PowerShell a worldwide document cannot be told from a GCC tenant, or the reverse.
 *
 * A verified target is remembered per backend, so the executor may ask again before writing at
 * no cost; a failed check is not remembered (a transient error may pass next time).
 */
import type { Cloud, Platform } from '../model/types';
import { readAcceptedDomains } from './reader';
import type { ConnectionInfo, ExchangeBackend } from './types';

/** What is expected of the connected organisation; a fact left out is not checked. */
export interface ExpectedTarget {
  readonly platform?: Platform;
  readonly cloud?: Cloud;
  readonly organization?: string;
}

/** Who names the expected target, for the message: a document, or export's command-line options. */
export type TargetSource = 'document' | 'options';

/** Connected to another organisation, platform or cloud than the one named. */
export class WrongOrganisationError extends Error {
  override readonly name = 'WrongOrganisationError';
}

/** Accepted domains listed in a message; more are counted. */
const LISTED_DOMAINS = 10;

function claim(source: TargetSource, option: string, what: string): string {
  return source === 'document' ? `the document targets ${what}` : `--${option} names ${what}`;
}

function wrong(detail: string): WrongOrganisationError {
  return new WrongOrganisationError(`wrong organisation: ${detail}`);
}

function listDomains(domains: readonly string[]): string {
  if (domains.length === 0) return 'none';
  const shown = domains.slice(0, LISTED_DOMAINS).join(', ');
  return domains.length > LISTED_DOMAINS ? `${shown} and ${domains.length - LISTED_DOMAINS} more` : shown;
}

async function check(backend: ExchangeBackend, expected: ExpectedTarget, source: TargetSource): Promise<ConnectionInfo> {
  const connection = await backend.connection();
  if (expected.platform !== undefined && connection.platform !== expected.platform) {
    throw wrong(`${claim(source, 'platform', expected.platform)}, but the connected organisation is ${connection.platform}`);
  }
  if (connection.platform === 'exchangeOnline' && expected.cloud !== undefined && connection.cloud !== expected.cloud) {
    throw wrong(`${claim(source, 'cloud', `the ${expected.cloud} cloud`)}, but ${connection.organization} is in the ${connection.cloud ?? 'unknown'} cloud`);
  }
  if (expected.organization !== undefined) {
    const name = expected.organization.toLowerCase();
    const domains = await readAcceptedDomains(backend);
    if (!domains.some((d) => d.toLowerCase() === name)) {
      throw wrong(`${claim(source, 'organization', expected.organization)}, which is not an accepted domain of the connected organisation (accepted domains: ${listDomains(domains)})`);
    }
  }
  return connection;
}

const verified = new WeakMap<ExchangeBackend, Map<string, Promise<ConnectionInfo>>>();

/** Resolves to the connection once `expected` is verified; rejects with WrongOrganisationError on a mismatch. */
export function verifyTarget(backend: ExchangeBackend, expected: ExpectedTarget, source: TargetSource = 'document'): Promise<ConnectionInfo> {
  let checks = verified.get(backend);
  if (!checks) {
    checks = new Map();
    verified.set(backend, checks);
  }
  const key = JSON.stringify([expected.platform ?? null, expected.cloud ?? null, expected.organization?.toLowerCase() ?? null, source]);
  const known = checks.get(key);
  if (known) return known;
  const pending = check(backend, expected, source);
  checks.set(key, pending);
  pending.catch(() => checks.delete(key));
  return pending;
}
