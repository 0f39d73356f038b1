/**
 * The rule set, in the order reports list it. Adding a rule: one file, one line here. IDs are
 * never reused: removed rules stay listed in RETIRED_RULES.
 */
import { basicAuthAllowed } from './basic-auth-allowed';
import { certificateExpiry } from './certificate-expiry';
import { certificateNames } from './certificate-names';
import { extendedProtectionNone } from './extended-protection-none';
import { clientConnectorBasicAuth } from './client-connector-basic-auth';
import { externalConnectionUnencrypted } from './external-connection-unencrypted';
import { legacyAuthAllowedOnPremises } from './legacy-auth-allowed-on-premises';
import { legacyTlsGovernmentCloud } from './legacy-tls-government-cloud';
import { legacyTlsOptIn } from './legacy-tls-opt-in';
import { legacyTlsWithoutSmtpAuth } from './legacy-tls-without-smtp-auth';
import { plainTextLogin } from './plain-text-login';
import { popImapEnabledByDefault } from './pop-imap-enabled-by-default';
import { popImapMailboxExceptions } from './pop-imap-mailbox-exceptions';
import { runningNotAutomatic } from './running-not-automatic';
import { runningWithoutCertificate } from './running-without-certificate';
import { smtpAuthMailboxExceptions } from './smtp-auth-mailbox-exceptions';
import { serverVersion } from './server-version';
import { smtpAuthOrgWide } from './smtp-auth-org-wide';
import type { Rule, RuleMetadata } from './types';
import { sharedOrganisation } from './shared-organisation';
import { WAIVER_RULES } from './waiver-rules';

/** Rules that were removed, with why; their IDs are never given to another rule. */
export const RETIRED_RULES: readonly { readonly id: string; readonly reason: string }[] = [
  {
    id: 'MP-SRV-003',
    reason: 'a connection setting whose port is not in the matching bindings: the loader rejects such a document before any rule runs (`mailpolicy validate` reports it)',
  },
];

export const RULES: readonly Rule[] = [
  legacyTlsGovernmentCloud,
  legacyTlsOptIn,
  smtpAuthOrgWide,
  smtpAuthMailboxExceptions,
  popImapMailboxExceptions,
  basicAuthAllowed,
  legacyTlsWithoutSmtpAuth,
  popImapEnabledByDefault,
  externalConnectionUnencrypted,
  plainTextLogin,
  runningWithoutCertificate,
  runningNotAutomatic,
  serverVersion,
  certificateNames,
  certificateExpiry,
  extendedProtectionNone,
  clientConnectorBasicAuth,
  legacyAuthAllowedOnPremises,
];

/** Every rule a report can name: the rule set, the check across documents, and the waiver findings. */
export const ALL_RULE_METADATA: readonly RuleMetadata[] = [...RULES, sharedOrganisation, ...WAIVER_RULES];

const BY_ID = new Map(ALL_RULE_METADATA.map((r) => [r.id, r]));

export function ruleMetadata(id: string): RuleMetadata | undefined {
  return BY_ID.get(id);
}
