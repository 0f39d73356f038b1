import { pointer } from './pointer';
import { REF } from './references';
import type { Rule, RuleFinding } from './types';

/** The on-premises switches that leave only modern authentication for POP3 and IMAP4 (New-AuthenticationPolicy.md). */
const SWITCHES = [
  { key: 'blockLegacyAuthPop', protocol: 'POP3' },
  { key: 'blockLegacyAuthImap', protocol: 'IMAP4' },
] as const;

/**
 * An Exchange Server authentication policy that does not block legacy authentication for POP3 or
 * IMAP4. BlockLegacyAuthPop/Imap (Exchange 2019 CU2 or later) disable Basic, Digest and Windows
 * authentication for the protocol; a policy without them (their default is None) leaves those
 * password methods to the users it applies to. An absent switch counts: a policy mailpolicy
 * creates without it allows legacy authentication.
 */
export const legacyAuthAllowedOnPremises: Rule = {
  id: 'MP-SRV-009',
  version: 1,
  title: 'Legacy authentication left allowed for POP3 or IMAP4 by an Exchange Server authentication policy',
  severity: 'medium',
  enforcement: 'advisory',
  waivable: true,
  scope: { kind: 'authentication policy name', example: 'Branch terminals' },
  crossResource: false,
  reads: ['authenticationPolicies'],
  rationale:
    'On Exchange Server 2019 CU2 or later (and SE), an authentication policy blocks legacy authentication per protocol: ' +
    'BlockLegacyAuthPop and BlockLegacyAuthImap disable Basic, Digest and Windows authentication (NTLM and Kerberos) for POP ' +
    'and IMAP, leaving modern authentication only. A policy that does not set them leaves users it applies to signing in ' +
    'to POP3 or IMAP4 with a password, which cannot do MFA.',
  remediation:
    'Set `blockLegacyAuthPop: true` and `blockLegacyAuthImap: true` in the policy, after checking that hybrid modern ' +
    'authentication works and the mail programs support it (Microsoft asks for both first). A client that cannot move yet ' +
    'needs a waiver with `scope: <policy name>` and an expiry date.',
  references: [REF.authenticationPolicy],
  evaluate(policy) {
    if (policy.target.platform !== 'exchangeServer') return [];
    const findings: RuleFinding[] = [];
    (policy.authenticationPolicies ?? []).forEach((decl, i) => {
      for (const { key, protocol } of SWITCHES) {
        if (decl[key] === true) continue;
        const reach = decl.default ? 'the organisation default policy' : 'users assigned this policy';
        findings.push({
          pointer: decl[key] === undefined ? pointer('authenticationPolicies', i) : pointer('authenticationPolicies', i, key),
          scope: decl.name,
          message: `authentication policy "${decl.name}" leaves legacy authentication (Basic, Digest, Windows) allowed for ${protocol} (${key} ${decl[key] === undefined ? 'not set' : 'false'}) for ${reach}`,
        });
      }
    });
    return findings;
  },
};
