/**
 * The invalid-document corpus: every file in test/fixtures/invalid has its exact
 * FILE:LINE:COL: message lines here, in the order `mailpolicy validate` prints them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatProblem, loadPolicyFile } from '../../src/model/load';

const DIR = join('test', 'fixtures', 'invalid');

const EXPECTED: Readonly<Record<string, readonly string[]>> = {
  'alias-expansion-bomb': [
    '15:8: the document expands to more than 200000 nodes through aliases: refusing it (alias/anchor expansion bomb?)',
  ],
  'authentication-policy-duplicate-name': [
    '13:5: authenticationPolicies[1].name: duplicate authentication policy name "block basic auth" (already at authenticationPolicies[0].name, line 11)',
  ],
  'authentication-policy-two-defaults': [
    '15:5: authenticationPolicies[1].default: only one authentication policy can be the default; "Block Basic Auth" (line 12) already is',
  ],
  'authentication-policy-without-name': [
    '11:5: authenticationPolicies[0]: missing required key "name"',
  ],
  'binding-not-ip-and-port': [
    '13:23: servers[0].pop3.settings.sslBindings[0]: "*:995" is not IP:port (e.g. 0.0.0.0:995, or [::]:995 for IPv6)',
    '13:32: servers[0].pop3.settings.sslBindings[1]: "0.0.0.0:0": port 0 is outside 1-65535',
  ],
  'boolean-quoted': [
    '11:3: transportConfig.smtpClientAuthenticationDisabled: expected true or false, got the string "true"',
  ],
  'boolean-written-yes': [
    '11:3: transportConfig.allowLegacyTLSClients: expected true or false, got the string "yes" (YAML 1.2 reads yes/no/on/off as text: write true or false)',
  ],
  'calendar-custom-without-owa-url': [
    '13:9: servers[0].imap4.settings.calendarItemRetrievalOption: Custom presents calendar items as links to owaServerUrl, which this block does not declare: add owaServerUrl (Set-ImapSettings needs -OwaServerUrl with Custom), or choose iCalendar, IntranetUrl or InternetUrl',
  ],
  'certificate-not-a-connection-host': [
    '14:9: servers[0].pop3.settings.x509CertificateName: "pop.woodgrove.com" is not a host of the connection settings (mail.woodgrove.com); name one of them',
  ],
  'certificate-wildcard': [
    '14:9: servers[0].pop3.settings.x509CertificateName: "*.woodgrove.com" is a wildcard, which Exchange does not accept here: it takes the FQDN from the ExternalConnectionSettings or InternalConnectionSettings, and a wildcard certificate must not be assigned to POP or IMAP; name one of the hosts (mail.woodgrove.com)',
  ],
  'cloud-missing-for-exchange-online': [
    '6:1: target: missing required key "cloud" for platform exchangeOnline: one of worldwide, gcc, gccHigh, dod, china21Vianet',
  ],
  'cloud-on-exchange-server': [
    '8:3: target.cloud: valid only for platform exchangeOnline; remove it for exchangeServer',
  ],
  'cloud-unknown': [
    '8:3: target.cloud: must be one of worldwide, gcc, gccHigh, dod, china21Vianet, got the string "usgov"',
  ],
  'complex-mapping-key': [
    '10:3: a mapping key must be a plain value, not a mapping or a list',
  ],
  'connection-setting-empty-third-part': [
    '13:68: servers[0].pop3.settings.externalConnectionSettings[1]: "mail.woodgrove.com:110:" ends with an empty encryption part: write "mail.woodgrove.com:110" for unencrypted, or end it with :SSL or :TLS',
  ],
  'connection-setting-lowercase-encryption': [
    '13:38: servers[0].pop3.settings.externalConnectionSettings[0]: "mail.woodgrove.com:995:ssl": write the encryption in capitals: "mail.woodgrove.com:995:SSL"',
  ],
  'connection-setting-missing-port': [
    '13:38: servers[0].pop3.settings.internalConnectionSettings[0]: "ex01.woodgrove.com" is not host:port, host:port:SSL or host:port:TLS (e.g. mail.contoso.com:995:SSL)',
  ],
  'connection-setting-port-out-of-range': [
    '13:38: servers[0].pop3.settings.externalConnectionSettings[0]: "mail.woodgrove.com:99500:SSL": port 99500 is outside 1-65535',
  ],
  'duplicate-nested-key': [
    '13:3: duplicate key "allowLegacyTLSClients" (first defined at line 11, column 3)',
  ],
  'duplicate-top-level-key': [
    '12:1: duplicate key "transportConfig" (first defined at line 10, column 1)',
  ],
  'empty-document': [
    '1:1: the document is empty: expected a MailPolicy mapping (apiVersion, kind, metadata, target)',
  ],
  'legacy-tls-in-government-cloud': [
    '11:3: transportConfig.allowLegacyTLSClients: must not be true for target.cloud dod: the legacy TLS endpoints do not exist in GCC, GCC High or DoD and legacy TLS is always off there',
  ],
  'login-type-unknown': [
    '13:9: servers[0].pop3.settings.loginType: must be one of PlainTextLogin, PlainTextAuthentication, SecureLogin, got the string "securelogin" (did you mean "SecureLogin"?)',
  ],
  'mailbox-exception-without-identities': [
    '12:7: casMailboxes.exceptions[0].identities: must list at least 1 item',
  ],
  'mailbox-identity-empty-string': [
    '12:20: casMailboxes.exceptions[0].identities[0]: must not be empty',
  ],
  'mailbox-identity-in-two-exceptions': [
    '14:20: casMailboxes.exceptions[1].identities[0]: duplicate mailbox identity "Scanner@Contoso.com" (already at casMailboxes.exceptions[0].identities[0], line 12)',
  ],
  'mailbox-identity-injects-ci-commands': [
    '13:20: casMailboxes.exceptions[0].identities[0]: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "scanner@contoso.com\\n##vso[task.setvariable variable=PULUM..."',
  ],
  'mailbox-identity-twice-in-one-list': [
    '14:11: casMailboxes.exceptions[0].identities[1]: duplicate mailbox identity "scanner@contoso.com" (already at casMailboxes.exceptions[0].identities[0], line 13)',
  ],
  'mailbox-plan-duplicate-identity': [
    '13:5: casMailboxPlans[1].identity: duplicate CAS mailbox plan identity "exchangeonlineenterprise" (already at casMailboxPlans[0].identity, line 11)',
  ],
  'mailbox-smtp-auth-not-boolean': [
    '12:5: casMailboxes.default.smtpClientAuthenticationDisabled: expected true or false or null, got the string "inherit"',
  ],
  'mailbox-smtp-auth-on-exchange-server': [
    '12:5: casMailboxes.default.smtpClientAuthenticationDisabled: valid only for platform exchangeOnline; Exchange Server mailboxes have no SMTP AUTH switch here',
    '15:7: casMailboxes.exceptions[0].smtpClientAuthenticationDisabled: valid only for platform exchangeOnline; Exchange Server mailboxes have no SMTP AUTH switch here',
  ],
  'many-problems-sorted': [
    '6:1: target: missing required key "cloud" for platform exchangeOnline: one of worldwide, gcc, gccHigh, dod, china21Vianet',
    '10:3: transportConfig.allowLegacyTLSClients: expected true or false, got the string "no" (YAML 1.2 reads yes/no/on/off as text: write true or false)',
    '11:3: transportConfig: unknown key "smtpClientAuthDisabled" (did you mean "smtpClientAuthenticationDisabled"?)',
    '13:14: casMailboxes.default.popEnabled: expected true or false, got the string "off" (YAML 1.2 reads yes/no/on/off as text: write true or false)',
    '16:5: waivers[0].reason: must not be empty',
    '17:5: waivers[0].expires: must be a date YYYY-MM-DD, e.g. 2027-03-31, got the string "tomorrow"',
  ],
  'max-connections-zero': [
    '13:9: servers[0].pop3.settings.maxConnections: must be at least 1, got the number 0',
    '14:9: servers[0].pop3.settings.maxConnectionsPerUser: expected a whole number, got the number 2.5',
  ],
  'metadata-name-not-a-slug': [
    '5:3: metadata.name: must be lowercase letters, digits and single hyphens, e.g. contoso-worldwide, got the string "Test_Online"',
  ],
  'missing-required-top-level-keys': [
    '2:1: missing required top-level key "metadata"',
    '2:1: missing required top-level key "target"',
  ],
  'not-utf8-latin1': [
    '6:19: file is not valid UTF-8: byte 0xE9 cannot start or continue a character',
  ],
  'names-too-long': [
    '5:3: metadata.name: must be at most 63 characters, got 64',
    '11:5: authenticationPolicies[0].name: must be at most 64 characters, got 65',
    '13:5: casMailboxPlans[0].identity: must be at most 64 characters, got 65',
    '16:20: casMailboxes.exceptions[0].identities[0]: must be at most 1024 characters, got 1025',
  ],
  'names-with-invisible-characters': [
    '11:5: authenticationPolicies[0].name: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "Block Basic Auth\\u202e"',
    '12:5: authenticationPolicies[1].name: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "Allow\\u007fPop"',
    '14:5: casMailboxPlans[0].identity: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "ExchangeOnline\\u0000"',
    '17:20: casMailboxes.exceptions[0].identities[0]: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "a\\u0085@contoso.com"',
    '17:43: casMailboxes.exceptions[0].identities[1]: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "b\\u2028@contoso.com"',
    '17:66: casMailboxes.exceptions[0].identities[2]: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "c\\u2066@contoso.com"',
    '17:89: casMailboxes.exceptions[0].identities[3]: must not contain control characters (C0, DEL, C1), bidirectional controls or line/paragraph separators, got the string "d\\u200f@contoso.com"',
  ],
  'names-with-surrounding-spaces': [
    '11:5: authenticationPolicies[0].name: must not be empty, nor begin or end with white space, got the string " Block Basic Auth"',
    '13:5: casMailboxPlans[0].identity: must not be empty, nor begin or end with white space, got the string "ExchangeOnline\\u00a0"',
    '16:20: casMailboxes.exceptions[0].identities[0]: must not be empty, nor begin or end with white space, got the string "scanner@contoso.com "',
    '16:44: casMailboxes.exceptions[0].identities[1]: must not be empty, nor begin or end with white space, got the string "   "',
  ],
  'online-sections-on-exchange-server': [
    // Authentication policies exist on Exchange Server 2019/SE too (issue 14); their Exchange Online switches do not.
    '11:5: authenticationPolicies[0].allowBasicAuthPop: valid only for platform exchangeOnline; this document\'s target.platform is exchangeServer (on Exchange Server use blockLegacyAuthPop)',
    '12:1: casMailboxPlans: valid only for platform exchangeOnline; this document\'s target.platform is exchangeServer',
  ],
  'organization-not-a-domain': [
    '9:3: target.organization: must be a DNS domain name, e.g. contoso.onmicrosoft.com, got the string "contoso"',
  ],
  'platform-wrong-case': [
    '7:3: target.platform: must be one of exchangeOnline, exchangeServer, got the string "ExchangeOnline" (did you mean "exchangeOnline"?)',
  ],
  'recursive-alias': [
    '11:12: alias *loop refers to a node that contains it: recursive structures are not allowed',
  ],
  'root-is-a-list': [
    '2:1: document: expected a mapping, got a list',
  ],
  'section-left-empty': [
    '10:1: transportConfig: expected a mapping, got null (an empty value)',
  ],
  'server-duplicate-name': [
    '11:5: servers[1].name: duplicate server name "ex01" (already at servers[0].name, line 10)',
  ],
  'server-name-invalid': [
    '10:5: servers[0].name: must be a server name: letters, digits, hyphens and dots, e.g. EX01 or ex01.contoso.com, got the string "EX 01"',
  ],
  'servers-on-exchange-online': [
    '10:1: servers: valid only for platform exchangeServer; this document\'s target.platform is exchangeOnline',
  ],
  'server-names-too-long': [
    '10:5: servers[0].name: must have at most 15 characters without a dot (a NetBIOS computer name); write the FQDN otherwise, got the string "EXCHANGE-SERVER-01"',
    '13:38: servers[0].pop3.settings.externalConnectionSettings[0]: must name a host of at most 253 characters, each dot-separated label at most 63 (DNS limits), got the string "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm..."',
    '14:9: servers[0].pop3.settings.x509CertificateName: must have dot-separated labels of at most 63 characters each (DNS limit), got the string "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm..."',
    '15:5: servers[1].name: must have dot-separated labels of at most 63 characters each (DNS limit), got the string "ex02.mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm..."',
  ],
  'service-running-but-disabled': [
    '14:9: servers[0].imap4.service.state: Running is impossible with startupType Disabled: Windows does not start a disabled service; use startupType Automatic (or Manual) to run it, or state Stopped',
  ],
  'service-startup-type-typo': [
    '12:18: servers[0].pop3.service.startupType: must be one of Automatic, Manual, Disabled, got the string "Auto" (did you mean "Automatic"?)',
  ],
  'ssl-port-not-in-ssl-bindings': [
    '13:38: servers[0].pop3.settings.externalConnectionSettings[0]: "mail.woodgrove.com:995:SSL" is an SSL entry on port 995, but sslBindings has no port 995 (it lists ports 993)',
  ],
  'syntax-bad-indentation': [
    '12:36: YAML syntax error: bad indentation of a mapping entry',
  ],
  'syntax-tab-indentation': [
    '11:1: YAML syntax error: tab characters must not be used in indentation',
  ],
  'syntax-unclosed-flow-sequence': [
    '13:1: YAML syntax error: deficient indentation',
  ],
  'timeout-as-sexagesimal-number': [
    '13:9: servers[0].pop3.settings.authenticatedConnectionTimeout: expected a string, got the number 1800',
  ],
  'timeout-not-a-time-span': [
    '13:9: servers[0].pop3.settings.authenticatedConnectionTimeout: "30 minutes" is not a time span hh:mm:ss or d.hh:mm:ss',
  ],
  'timeout-out-of-range': [
    '13:9: servers[0].pop3.settings.authenticatedConnectionTimeout: 02:00:00 is outside the allowed range 00:00:30 to 01:00:00',
    '14:9: servers[0].pop3.settings.preAuthenticatedConnectionTimeout: 00:00:10 is outside the allowed range 00:00:30 to 01:00:00',
  ],
  'target-cloud-and-organization-missing': [
    '7:1: target: missing required key "cloud" for platform exchangeOnline: one of worldwide, gcc, gccHigh, dod, china21Vianet',
    '7:1: target: missing required key "organization"',
  ],
  'tls-port-not-in-unencrypted-bindings': [
    '13:68: servers[0].pop3.settings.externalConnectionSettings[1]: "mail.woodgrove.com:143:TLS" is a TLS entry on port 143, but unencryptedOrTLSBindings has no port 143 (it lists ports 110)',
  ],
  'transport-config-on-exchange-server': [
    '9:1: transportConfig: valid only for platform exchangeOnline; this document\'s target.platform is exchangeServer',
  ],
  'two-documents': [
    '10:1: a MailPolicy file holds one YAML document; remove the second one (or the "---" line)',
  ],
  'unknown-alias': [
    '10:18: alias *settings refers to no anchor &settings before it',
  ],
  'unknown-key-did-you-mean': [
    '11:3: transportConfig: unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)',
  ],
  'unknown-key-lists-valid-keys': [
    '6:3: metadata: unknown key "owner"; valid keys here: name, description',
  ],
  'unknown-tag': [
    '11:26: YAML syntax error: unknown scalar tag !<tag:yaml.org,2002:binary>',
  ],
  'unknown-top-level-key-typo': [
    '10:1: unknown top-level key "transportconfig" (did you mean "transportConfig"?)',
  ],
  'utf16-with-bom': [
    '1:1: file is not valid UTF-8: byte 0xFF cannot start or continue a character (the file looks like UTF-16: save it as UTF-8)',
  ],
  'waiver-expiry-not-a-date': [
    '13:5: waivers[0].expires: 2027-02-30 is not a calendar date',
  ],
  'waiver-missing-expiry': [
    '11:5: waivers[0]: missing required key "expires"',
  ],
  'waiver-reason-empty': [
    '12:5: waivers[0].reason: must not be empty, got the string "  "',
  ],
  'waiver-rule-id-lowercase': [
    '11:5: waivers[0].rule: must be a rule ID such as MP-EXO-002 or MP-EXO-002v1, got the string "mp-exo-002"',
  ],
  'wildcard-certificate-other-domain': [
    '14:9: servers[0].pop3.settings.x509CertificateName: "*.contoso.com" is a wildcard, which Exchange does not accept here: it takes the FQDN from the ExternalConnectionSettings or InternalConnectionSettings, and a wildcard certificate must not be assigned to POP or IMAP; name one of the hosts (mail.woodgrove.com)',
  ],
  'wrong-api-version': [
    '2:1: apiVersion: must be "mailpolicy/v1", got the string "mailpolicy/v2"',
  ],
  'wrong-kind': [
    '3:1: kind: must be "MailPolicy", got the string "MailPolicies"',
  ],
};

describe('invalid documents (test/fixtures/invalid)', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml'));

  it('has at least 40 documents, each with expectations, and no expectation without a document', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const file of files) {
    const name = file.replace(/\.yaml$/, '');
    it(name, () => {
      const path = join(DIR, file);
      const result = loadPolicyFile(path);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.unreadable).toBeUndefined();
      expect(result.problems.map(formatProblem)).toEqual((EXPECTED[name] ?? []).map((line) => `${path}:${line}`));
    });
  }
});
