/**
 * Exchange Server build numbers: the form a document states (`15.2.2562.17`), the form
 * Get-ExchangeServer prints AdminDisplayVersion in (`Version 15.2 (Build 2562.17)`), which
 * product a build is, and whether Microsoft still supports it.
 *
 * Facts: Microsoft's "Exchange Server build numbers and release dates" page
 * (MicrosoftDocs/OfficeDocs-Exchange, Exchange/ExchangeServer/new-features/build-numbers-and-release-dates.md)
 * reads a server's build with `Get-ExchangeServer | Format-List Name,Edition,AdminDisplayVersion`
 * and lists Exchange 2016 as 15.1.x and Exchange 2019 as 15.2.x. Exchange Server SE RTM
 * (2025-07-01) is 15.2.2562.17, the same code base as Exchange 2019 CU15 (15.2.1748.x) with a
 * higher build; the stored copy of that page predates SE, so the SE build is as Microsoft
 * publishes it on the live page (unverified against the stored reference). Exchange Server 2016
 * and 2019 are out of support since 2025-10-14 (docs/exchange-facts.md, "Exchange Server POP3 and IMAP4").
 * The printed AdminDisplayVersion form is ServerVersion's ToString as the Exchange Management
 * Shell shows it; Microsoft's reference does not document it (unverified), so both forms parse.
 */

export interface ExchangeVersion {
  readonly major: number;
  readonly minor: number;
  readonly build: number;
  readonly revision: number;
}

/** Exchange Server SE RTM: the lowest build Microsoft supports. */
export const EXCHANGE_SE_RTM = '15.2.2562.17';
/** The end of support of Exchange Server 2016 and 2019 (Microsoft's lifecycle pages): their last supported day. */
export const EXCHANGE_2016_2019_END_OF_SUPPORT = '2025-10-14';

/** A build number as a document writes it: 15.2.2562 or 15.2.2562.17. */
export const VERSION_PATTERN = /^(\d{1,5})\.(\d{1,5})\.(\d{1,5})(?:\.(\d{1,5}))?$/;
const PRINTED = /^Version (\d{1,5})\.(\d{1,5}) \(Build (\d{1,5})\.(\d{1,5})\)$/;

/** `15.2.2562.17` or `Version 15.2 (Build 2562.17)`; undefined for anything else. */
export function parseExchangeVersion(text: string): ExchangeVersion | undefined {
  const m = VERSION_PATTERN.exec(text.trim()) ?? PRINTED.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), build: Number(m[3]), revision: Number(m[4] ?? 0) };
}

/** `15.2.2562.17`: the form documents, reports and exports use. */
export function versionText(v: ExchangeVersion): string {
  return `${v.major}.${v.minor}.${v.build}.${v.revision}`;
}

/** `Version 15.2 (Build 2562.17)`: AdminDisplayVersion as Get-ExchangeServer prints it. */
export function adminDisplayVersion(v: ExchangeVersion): string {
  return `Version ${v.major}.${v.minor} (Build ${v.build}.${v.revision})`;
}

/** Negative when a is older than b. */
export function compareVersions(a: ExchangeVersion, b: ExchangeVersion): number {
  return a.major - b.major || a.minor - b.minor || a.build - b.build || a.revision - b.revision;
}

const SE_RTM = parseExchangeVersion(EXCHANGE_SE_RTM) as ExchangeVersion;

/** The product a build belongs to, by Microsoft's build-number table. */
export function productOf(v: ExchangeVersion): string {
  if (v.major === 15 && v.minor === 2) return v.build >= SE_RTM.build ? 'Exchange Server SE' : 'Exchange Server 2019';
  if (v.major === 15 && v.minor === 1) return 'Exchange Server 2016';
  if (v.major === 15 && v.minor === 0) return 'Exchange Server 2013';
  return v.major > 15 ? 'a later Exchange Server' : 'Exchange Server 2010 or earlier';
}

/** How a build's support status reads in a message: undefined while supported. */
export function outOfSupportText(v: ExchangeVersion, asOf?: string): string | undefined {
  if (isSupported(v)) return undefined;
  const product = productOf(v);
  if (product !== 'Exchange Server 2016' && product !== 'Exchange Server 2019') return 'out of support';
  // Microsoft's end-of-support date is the last day of support.
  return asOf !== undefined && asOf <= EXCHANGE_2016_2019_END_OF_SUPPORT
    ? `whose support ends on ${EXCHANGE_2016_2019_END_OF_SUPPORT}`
    : `out of support since ${EXCHANGE_2016_2019_END_OF_SUPPORT}`;
}

/** Exchange Server SE or later: the only supported versions. */
export function isSupported(v: ExchangeVersion): boolean {
  return compareVersions(v, SE_RTM) >= 0;
}
