/**
 * Each server's build as Get-ExchangeServer reports it (AdminDisplayVersion), judged against the
 * document's `target.minimumServerVersion` and Microsoft's support: what `drift` reports and
 * `export` writes. One wording for both, so they never disagree.
 */
import { compareVersions, outOfSupportText, parseExchangeVersion, productOf, versionText, type ExchangeVersion } from './exchange-version';

export interface ServerVersion {
  readonly name: string;
  /** `15.2.2562.17`; null when Exchange reported no build mailpolicy can read. */
  readonly version: string | null;
  /** `Exchange Server SE`, `Exchange Server 2019`, …; null with no version. */
  readonly product: string | null;
  readonly supported: boolean;
  /** Below the document's minimumServerVersion (false when the document states none or the build is unknown). */
  readonly belowMinimum: boolean;
}

/** Judges each server's reported AdminDisplayVersion; `minimum` as the document states it. */
export function judgeServerVersions(servers: readonly { readonly name: string; readonly adminDisplayVersion: string | null }[], minimum?: string): ServerVersion[] {
  const floor = minimum === undefined ? undefined : parseExchangeVersion(minimum);
  return servers.map((s) => {
    const v = s.adminDisplayVersion === null ? undefined : parseExchangeVersion(s.adminDisplayVersion);
    if (!v) return { name: s.name, version: null, product: null, supported: false, belowMinimum: false };
    return { name: s.name, version: versionText(v), product: productOf(v), supported: outOfSupportText(v) === undefined, belowMinimum: floor !== undefined && compareVersions(v, floor) < 0 };
  });
}

/** `EX01 runs Exchange Server 2019 (15.2.1748.24), below minimumServerVersion 15.2.2562.17: out of support since 2025-10-14` */
export function serverVersionText(s: ServerVersion, minimum?: string): string {
  if (s.version === null) return `${s.name}: Get-ExchangeServer reported no AdminDisplayVersion mailpolicy can read`;
  const below = s.belowMinimum ? `, below minimumServerVersion ${minimum ?? ''}` : '';
  const support = outOfSupportText(parseExchangeVersion(s.version) as ExchangeVersion);
  return `${s.name} runs ${s.product ?? ''} (${s.version})${below}${support ? `: ${support}; Exchange Server SE is the supported version` : ''}`;
}

/** The lowest build among the servers (what an export states as the minimum); undefined when none is known. */
export function lowestVersion(servers: readonly ServerVersion[]): string | undefined {
  const known = servers.flatMap((s) => (s.version === null ? [] : [parseExchangeVersion(s.version) as ExchangeVersion]));
  known.sort(compareVersions);
  return known[0] && versionText(known[0]);
}
