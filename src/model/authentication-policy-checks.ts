/**
 * What the schema cannot say about authentication policies: a switch of the other platform (the
 * schema refuses it; this names the platform), a switch the declared minimum server build does
 * not have, and a user assigned two policies.
 *
 * Facts (New-AuthenticationPolicy.md, Set-AuthenticationPolicy.md): AllowBasicAuth* are Exchange
 * Online switches; BlockLegacyAuthPop/Imap work "in Exchange 2019 CU2 or later", BlockModernAuthPop/Imap
 * "in Exchange 2019 CU13 or later" (Exchange Server 2019 and SE only). StsRefreshTokensValidFrom
 * is Exchange Online only (Set-User.md). The builds of those CUs (15.2.397 and 15.2.1258) are from
 * Microsoft's "Exchange Server build numbers and release dates" page (docs/exchange-facts.md).
 */
import { compareVersions, parseExchangeVersion, versionText } from './exchange-version';
import { displayPath } from './json-pointer';
import type { JsonPointer, Platform } from './types';

type Dict = Readonly<Record<string, unknown>>;

/** A problem at a node (semantic-checks.ts's NodeIssue; not imported, which would make a cycle). */
interface NodeIssue {
  readonly pointer: JsonPointer;
  readonly message: string;
}

const isDict = (value: unknown): value is Dict => value !== null && typeof value === 'object' && !Array.isArray(value);
const own = (dict: Dict, key: string): unknown => (Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined);

/** Keys of a policy valid on one platform only, and why. */
const KEY_PLATFORM: Readonly<Record<string, { readonly platform: Platform; readonly why: string }>> = {
  allowBasicAuthPop: { platform: 'exchangeOnline', why: 'on Exchange Server use blockLegacyAuthPop' },
  allowBasicAuthImap: { platform: 'exchangeOnline', why: 'on Exchange Server use blockLegacyAuthImap' },
  allowBasicAuthSmtp: { platform: 'exchangeOnline', why: 'Exchange Server has no SMTP switch in authentication policies (there is no BlockLegacyAuthSmtp)' },
  stsRefreshTokensValidFromNow: { platform: 'exchangeOnline', why: 'Set-User -StsRefreshTokensValidFrom exists only in Exchange Online' },
  blockLegacyAuthPop: { platform: 'exchangeServer', why: 'in Exchange Online use allowBasicAuthPop' },
  blockLegacyAuthImap: { platform: 'exchangeServer', why: 'in Exchange Online use allowBasicAuthImap' },
  blockModernAuthPop: { platform: 'exchangeServer', why: 'Exchange Online has no such switch' },
  blockModernAuthImap: { platform: 'exchangeServer', why: 'Exchange Online has no such switch' },
};

/** The Exchange 2019 cumulative update each on-premises switch needs, as a build. */
const MINIMUM_BUILD: Readonly<Record<string, { readonly build: string; readonly release: string }>> = {
  blockLegacyAuthPop: { build: '15.2.397.0', release: 'Exchange Server 2019 CU2' },
  blockLegacyAuthImap: { build: '15.2.397.0', release: 'Exchange Server 2019 CU2' },
  blockModernAuthPop: { build: '15.2.1258.0', release: 'Exchange Server 2019 CU13' },
  blockModernAuthImap: { build: '15.2.1258.0', release: 'Exchange Server 2019 CU13' },
};

function issue(pointer: JsonPointer, message: string): NodeIssue {
  return { pointer, message: `${displayPath(pointer)}: ${message}` };
}

/** Problems of `authenticationPolicies` (raw data); `lineOf` places the earlier of two declarations. */
export function authenticationPolicyIssues(doc: Dict, platform: Platform | undefined, lineOf: (pointer: JsonPointer) => number | undefined): NodeIssue[] {
  const issues: NodeIssue[] = [];
  const policies = own(doc, 'authenticationPolicies');
  if (!Array.isArray(policies)) return issues;
  const target = own(doc, 'target');
  const minimumText = isDict(target) ? own(target, 'minimumServerVersion') : undefined;
  const minimum = typeof minimumText === 'string' ? parseExchangeVersion(minimumText) : undefined;
  const assigned = new Map<string, JsonPointer>();
  policies.forEach((policy, i) => {
    if (!isDict(policy)) return;
    for (const [key, only] of Object.entries(KEY_PLATFORM)) {
      if (own(policy, key) === undefined) continue;
      const at = `/authenticationPolicies/${i}/${key}`;
      if (platform !== undefined && only.platform !== platform) {
        issues.push(issue(at, `valid only for platform ${only.platform}; this document's target.platform is ${platform} (${only.why})`));
        continue;
      }
      const needs = MINIMUM_BUILD[key];
      if (needs && minimum && own(policy, key) === true && compareVersions(minimum, parseExchangeVersion(needs.build) as NonNullable<typeof minimum>) < 0) {
        issues.push(issue(at, `needs ${needs.release} (build ${needs.build.replace(/\.0$/, '')}) or later; target.minimumServerVersion ${versionText(minimum)} is older`));
      }
    }
    const users = own(policy, 'assignedTo');
    if (!Array.isArray(users)) return;
    users.forEach((user, j) => {
      if (typeof user !== 'string') return;
      const at = `/authenticationPolicies/${i}/assignedTo/${j}`;
      const first = assigned.get(user.toLowerCase());
      if (first === undefined) {
        assigned.set(user.toLowerCase(), at);
        return;
      }
      // The same identity twice in one list is the schema's uniqueItems (case-sensitive) or this (case-insensitive).
      const line = lineOf(first);
      issues.push(issue(at, `user "${user}" is already assigned a policy at ${displayPath(first)}${line === undefined ? '' : ` (line ${line})`}: a user can have one authentication policy`));
    });
  });
  return issues;
}
