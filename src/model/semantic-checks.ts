/**
 * What the schema cannot express: connection settings against bindings and certificate, value
 * ranges, calendar dates, names that must be unique, and states Exchange cannot be in (a
 * Disabled service Running, legacy TLS in a US government cloud). Also the platform conditions (sections
 * and keys valid only on one platform, target.cloud): the schema states them, and these checks
 * report them with platform-specific messages (schema-problems leaves the schema's own out).
 * Runs on the raw data whether or not it conforms to the schema, so every problem in a file is
 * reported at once; each check looks only at values of the type it expects.
 */
import { authMechanismProblems } from './auth-mechanism';
import { authenticationPolicyIssues } from './authentication-policy-checks';
import { isCalendarDate } from './calendar-date';
import { certificateCoversHost, parseBinding, parseConnectionSetting, type ConnectionSetting } from './connection-setting';
import { childPointer, displayPath } from './json-pointer';
import { checkTimeout } from './timespan';
import { usGovernmentCloudLabels } from './clouds';
import { CAS_MAILBOX_OPTION_GROUPS, CLOUDS, PLATFORMS, PROTOCOLS, TIMEOUT_SETTING_KEYS, US_GOVERNMENT_CLOUDS, type Cloud, type JsonPointer, type Platform, type Protocol } from './types';

/** A problem at a node; the loader turns the pointer into FILE:LINE:COL. */
export interface NodeIssue {
  readonly pointer: JsonPointer;
  readonly message: string;
}

/** Line of a node, for messages that point back at an earlier occurrence. */
/** The line of a node, for messages that point back at an earlier one; undefined where there is no file (a resource's inputs). */
export type LineOf = (pointer: JsonPointer) => number | undefined;

type Dict = Readonly<Record<string, unknown>>;

function isDict(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function own(dict: Dict, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(dict, key) ? dict[key] : undefined;
}

function entries(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

const SECTION_PLATFORM: Readonly<Record<string, Platform>> = {
  transportConfig: 'exchangeOnline',
  casMailboxPlans: 'exchangeOnline',
  servers: 'exchangeServer',
};

/** casMailboxes.default (first, when declared) and each exception, with their pointers. */
function mailboxBlocks(doc: Dict): { readonly block: Dict; readonly pointer: JsonPointer }[] {
  const mailboxes = own(doc, 'casMailboxes');
  if (!isDict(mailboxes)) return [];
  const blocks: { block: Dict; pointer: JsonPointer }[] = [];
  const base = own(mailboxes, 'default');
  if (isDict(base)) blocks.push({ block: base, pointer: '/casMailboxes/default' });
  entries(own(mailboxes, 'exceptions')).forEach((block, i) => {
    if (isDict(block)) blocks.push({ block, pointer: `/casMailboxes/exceptions/${i}` });
  });
  return blocks;
}

class Checker {
  readonly issues: NodeIssue[] = [];

  constructor(private readonly lineOf: LineOf) {}

  /** `line N` between `before` and `after`, or nothing when the line is unknown. */
  private onLine(pointer: JsonPointer, before: string, after = ''): string {
    const line = this.lineOf(pointer);
    return line === undefined ? '' : `${before}line ${line}${after}`;
  }

  report(pointer: JsonPointer, message: string, about: JsonPointer = pointer): void {
    this.issues.push({ pointer, message: `${displayPath(about) || 'document'}: ${message}` });
  }

  /** Reports every later occurrence of a name already seen (case-insensitive). */
  unique(what: string, occurrences: readonly { readonly value: unknown; readonly pointer: JsonPointer }[]): void {
    const seen = new Map<string, JsonPointer>();
    for (const { value, pointer } of occurrences) {
      if (typeof value !== 'string') continue;
      const key = value.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, pointer);
      else this.report(pointer, `duplicate ${what} "${value}" (already at ${displayPath(first)}${this.onLine(first, ', ')})`);
    }
  }

  platform(doc: Dict, platform: Platform): void {
    for (const [section, only] of Object.entries(SECTION_PLATFORM)) {
      if (own(doc, section) !== undefined && only !== platform) {
        this.report(`/${section}`, `valid only for platform ${only}; this document's target.platform is ${platform}`);
      }
    }
    const target = own(doc, 'target') as Dict;
    const cloud = own(target, 'cloud');
    if (platform === 'exchangeOnline' && cloud === undefined) {
      // At the missing key's own pointer (located at target, the nearest node that exists): the
      // loader drops schema messages for a node a semantic check reports, and target's other
      // problems (a missing organization) must still be reported.
      this.report('/target/cloud', `missing required key "cloud" for platform exchangeOnline: one of ${CLOUDS.join(', ')}`, '/target');
    }
    if (platform === 'exchangeServer' && cloud !== undefined) {
      this.report('/target/cloud', 'valid only for platform exchangeOnline; remove it for exchangeServer');
    }
    if (platform === 'exchangeOnline' && own(target, 'minimumServerVersion') !== undefined) {
      this.report('/target/minimumServerVersion', 'valid only for platform exchangeServer: Exchange Online has no servers of yours to version');
    }
    for (const { block, pointer } of mailboxBlocks(doc)) {
      if (platform === 'exchangeServer' && own(block, 'smtpClientAuthenticationDisabled') !== undefined) {
        this.report(`${pointer}/smtpClientAuthenticationDisabled`, 'valid only for platform exchangeOnline; Exchange Server mailboxes have no SMTP AUTH switch here');
      }
      // Set-CASMailbox.md: -PopEnableExactRFC822Size / -ImapEnableExactRFC822Size are "available only in on-premises Exchange".
      for (const key of ['popEnableExactRFC822Size', 'imapEnableExactRFC822Size']) {
        if (platform === 'exchangeOnline' && own(block, key) !== undefined) {
          this.report(`${pointer}/${key}`, 'valid only for platform exchangeServer; Set-CASMailbox has this option only in on-premises Exchange');
        }
      }
    }
  }

  /**
   * Set-CASMailbox.md, -PopUseProtocolDefaults / -ImapUseProtocolDefaults: "You need to set this
   * parameter to $false when you use any of following parameters" (the *MessagesRetrievalMimeFormat,
   * *ForceICalForCalendarRetrievalOption, *SuppressReadReceipt and *EnableExactRFC822Size options).
   * So a block that declares an option must have that protocol's *UseProtocolDefaults false: its
   * own, or for an exception the default's. Declared true, or not declared, is an error at the option.
   */
  protocolDefaults(doc: Dict): void {
    const blocks = mailboxBlocks(doc);
    const base = blocks[0]?.pointer === '/casMailboxes/default' ? blocks[0].block : {};
    for (const { block, pointer } of blocks) {
      for (const group of CAS_MAILBOX_OPTION_GROUPS) {
        const ownValue = own(block, group.useProtocolDefaults);
        const effective = ownValue !== undefined ? ownValue : own(base, group.useProtocolDefaults);
        if (effective === false) continue;
        const where = ownValue !== undefined ? `${pointer}/${group.useProtocolDefaults}` : base !== block && own(base, group.useProtocolDefaults) !== undefined ? `/casMailboxes/default/${group.useProtocolDefaults}` : undefined;
        for (const option of group.options) {
          if (own(block, option) === undefined) continue;
          const said = where === undefined ? 'is not declared' : `is ${String(effective)} (${displayPath(where)}${this.onLine(where, ', ')})`;
          this.report(`${pointer}/${option}`, `takes effect only when ${group.useProtocolDefaults} is false (Set-CASMailbox), and ${group.useProtocolDefaults} ${said}: declare ${group.useProtocolDefaults}: false here or in casMailboxes.default`);
        }
      }
    }
  }

  mailboxes(doc: Dict): void {
    const mailboxes = own(doc, 'casMailboxes');
    if (!isDict(mailboxes)) return;
    const identities: { value: unknown; pointer: JsonPointer }[] = [];
    entries(own(mailboxes, 'exceptions')).forEach((exception, i) => {
      if (!isDict(exception)) return;
      entries(own(exception, 'identities')).forEach((value, j) => identities.push({ value, pointer: `/casMailboxes/exceptions/${i}/identities/${j}` }));
    });
    this.unique('mailbox identity', identities);
  }

  authenticationPolicies(doc: Dict): void {
    const policies = entries(own(doc, 'authenticationPolicies'));
    this.unique(
      'authentication policy name',
      policies.map((p, i) => ({ value: isDict(p) ? own(p, 'name') : undefined, pointer: `/authenticationPolicies/${i}/name` })),
    );
    let firstDefault: number | undefined;
    policies.forEach((policy, i) => {
      if (!isDict(policy) || own(policy, 'default') !== true) return;
      if (firstDefault === undefined) {
        firstDefault = i;
        return;
      }
      const first = policies[firstDefault] as Dict;
      const name = typeof own(first, 'name') === 'string' ? `"${own(first, 'name') as string}"` : `authenticationPolicies[${firstDefault}]`;
      this.report(`/authenticationPolicies/${i}/default`, `only one authentication policy can be the default; ${name}${this.onLine(`/authenticationPolicies/${firstDefault}/default`, ' (', ')')} already is`);
    });
  }

  plans(doc: Dict): void {
    this.unique(
      'CAS mailbox plan identity',
      entries(own(doc, 'casMailboxPlans')).map((p, i) => ({ value: isDict(p) ? own(p, 'identity') : undefined, pointer: `/casMailboxPlans/${i}/identity` })),
    );
  }

  servers(doc: Dict): void {
    const servers = entries(own(doc, 'servers'));
    this.unique('server name', servers.map((s, i) => ({ value: isDict(s) ? own(s, 'name') : undefined, pointer: `/servers/${i}/name` })));
    servers.forEach((server, i) => {
      if (!isDict(server)) return;
      for (const protocol of PROTOCOLS) {
        const block = own(server, protocol);
        const settings = isDict(block) ? own(block, 'settings') : undefined;
        if (isDict(settings)) this.protocolSettings(settings, `/servers/${i}/${protocol}/settings`, protocol);
        const service = isDict(block) ? own(block, 'service') : undefined;
        if (isDict(service)) this.service(service, `/servers/${i}/${protocol}/service`);
      }
      const submission = own(server, 'smtpClientSubmission');
      if (isDict(submission)) this.smtpClientSubmission(submission, `/servers/${i}/smtpClientSubmission`);
    });
  }

  /**
   * A service cannot be Running and Disabled: Windows refuses to start a disabled service
   * (PowerShell's Set-Service reference, -StartupType Disabled: "The service is disabled and
   * cannot be started by a user or application"), so apply would stop half-way.
   */
  private service(service: Dict, at: JsonPointer): void {
    if (own(service, 'startupType') === 'Disabled' && own(service, 'state') === 'Running') {
      this.report(
        childPointer(at, 'state'),
        'Running is impossible with startupType Disabled: Windows does not start a disabled service; use startupType Automatic (or Manual) to run it, or state Stopped',
      );
    }
  }

  /** The Client Frontend connector: bindings that parse, and AuthMechanism values Exchange accepts together (auth-mechanism.ts). */
  private smtpClientSubmission(submission: Dict, at: JsonPointer): void {
    this.bindingPorts(submission, 'bindings', at);
    const mechanisms = own(submission, 'authMechanism');
    if (!Array.isArray(mechanisms) || !mechanisms.every((m) => typeof m === 'string')) return;
    const requireTLS = own(submission, 'requireTLS');
    for (const problem of authMechanismProblems(mechanisms as string[], typeof requireTLS === 'boolean' ? requireTLS : undefined)) {
      this.report(childPointer(at, problem.key), `${problem.message} (Set-ReceiveConnector -AuthMechanism)`);
    }
  }

  private bindingPorts(settings: Dict, key: string, at: JsonPointer): Set<number> | undefined {
    const list = own(settings, key);
    if (!Array.isArray(list)) return undefined;
    const ports = new Set<number>();
    list.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const parsed = parseBinding(entry);
      if (parsed.ok) ports.add(parsed.value.port);
      else this.report(childPointer(childPointer(at, key), i), parsed.error);
    });
    return ports;
  }

  private protocolSettings(settings: Dict, at: JsonPointer, protocol: Protocol): void {
    const sslPorts = this.bindingPorts(settings, 'sslBindings', at);
    const plainPorts = this.bindingPorts(settings, 'unencryptedOrTLSBindings', at);
    const hosts: ConnectionSetting[] = [];
    for (const key of ['externalConnectionSettings', 'internalConnectionSettings']) {
      entries(own(settings, key)).forEach((entry, i) => {
        if (typeof entry !== 'string') return;
        const pointer = childPointer(childPointer(at, key), i);
        const parsed = parseConnectionSetting(entry);
        if (!parsed.ok) {
          this.report(pointer, parsed.error);
          return;
        }
        hosts.push(parsed.value);
        const { port, encryption } = parsed.value;
        const [bindingKey, ports] = encryption === 'SSL' ? ['sslBindings', sslPorts] : ['unencryptedOrTLSBindings', plainPorts];
        if (ports && !ports.has(port)) {
          const kind = encryption === 'SSL' ? 'an SSL' : encryption === 'TLS' ? 'a TLS' : 'an unencrypted';
          const listening = ports.size > 0 ? `ports ${[...ports].join(', ')}` : 'no ports';
          this.report(pointer, `"${entry}" is ${kind} entry on port ${port}, but ${bindingKey} has no port ${port} (it lists ${listening})`);
        }
      });
    }
    const certificate = own(settings, 'x509CertificateName');
    const names = [...new Set(hosts.map((h) => h.host))].join(', ');
    if (typeof certificate === 'string' && certificate.startsWith('*')) {
      // Set-PopSettings / Set-ImapSettings reference, -X509CertificateName: "the FQDN from the
      // ExternalConnectionSettings or InternalConnectionSettings"; a wildcard is not one.
      const hint = names === '' ? 'name the FQDN clients connect to' : `name one of the hosts (${names})`;
      this.report(
        childPointer(at, 'x509CertificateName'),
        `"${certificate}" is a wildcard, which Exchange does not accept here: it takes the FQDN from the ExternalConnectionSettings or InternalConnectionSettings, and a wildcard certificate must not be assigned to POP or IMAP; ${hint}`,
      );
    } else if (typeof certificate === 'string' && hosts.length > 0 && !hosts.some((h) => certificateCoversHost(certificate, h.host))) {
      this.report(childPointer(at, 'x509CertificateName'), `"${certificate}" is not a host of the connection settings (${names}); name one of them`);
    }
    // Set-PopSettings / Set-ImapSettings reference, -CalendarItemRetrievalOption: "If you specify 3
    // or Custom, you need to specify a value for the OwaServerUrl parameter."
    if (own(settings, 'calendarItemRetrievalOption') === 'Custom' && own(settings, 'owaServerUrl') === undefined) {
      const cmdlet = protocol === 'pop3' ? 'Set-PopSettings' : 'Set-ImapSettings';
      this.report(
        childPointer(at, 'calendarItemRetrievalOption'),
        `Custom presents calendar items as links to owaServerUrl, which this block does not declare: add owaServerUrl (${cmdlet} needs -OwaServerUrl with Custom), or choose iCalendar, IntranetUrl or InternetUrl`,
      );
    }
    for (const key of TIMEOUT_SETTING_KEYS) {
      const value = own(settings, key);
      if (typeof value !== 'string') continue;
      const checked = checkTimeout(value);
      if (!checked.ok) this.report(childPointer(at, key), checked.error);
    }
  }

  /**
   * Legacy TLS in a US government cloud is wrong by definition: the legacy TLS endpoints do not
   * exist in the US government clouds and legacy TLS is always off there (docs/exchange-facts.md,
   * "Legacy TLS"; the clouds table's usGovernment flag). Refused here, so no plan, apply or `pulumi up`
   * ever gets that far.
   */
  legacyTls(doc: Dict): void {
    const target = own(doc, 'target');
    const cloud = isDict(target) ? own(target, 'cloud') : undefined;
    const transport = own(doc, 'transportConfig');
    if (!US_GOVERNMENT_CLOUDS.includes(cloud as Cloud) || !isDict(transport) || own(transport, 'allowLegacyTLSClients') !== true) return;
    this.report(
      '/transportConfig/allowLegacyTLSClients',
      `must not be true for target.cloud ${String(cloud)}: the legacy TLS endpoints do not exist in ${usGovernmentCloudLabels('or')} and legacy TLS is always off there`,
    );
  }

  /** servers[].certificates: one entry per certificate on a server, and a real expiry date. */
  certificates(doc: Dict): void {
    entries(own(doc, 'servers')).forEach((server, s) => {
      const seen = new Map<string, number>();
      entries(isDict(server) ? own(server, 'certificates') : undefined).forEach((certificate, c) => {
        if (!isDict(certificate)) return;
        const thumbprint = own(certificate, 'thumbprint');
        if (typeof thumbprint === 'string') {
          const first = seen.get(thumbprint.toUpperCase());
          if (first !== undefined) this.report(`/servers/${s}/certificates/${c}/thumbprint`, `certificate ${thumbprint} is already listed for this server at certificates[${first}]: list each certificate once`);
          else seen.set(thumbprint.toUpperCase(), c);
        }
        const notAfter = own(certificate, 'notAfter');
        if (typeof notAfter === 'string' && /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(notAfter) && !isCalendarDate(notAfter)) this.report(`/servers/${s}/certificates/${c}/notAfter`, `${notAfter} is not a calendar date`);
      });
    });
  }

  waivers(doc: Dict): void {
    entries(own(doc, 'waivers')).forEach((waiver, i) => {
      const expires = isDict(waiver) ? own(waiver, 'expires') : undefined;
      if (typeof expires !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(expires)) return;
      if (!isCalendarDate(expires)) this.report(`/waivers/${i}/expires`, `${expires} is not a calendar date`);
    });
  }
}

/** Semantic problems of a document (raw data as parsed from YAML). */
export function semanticIssues(data: unknown, lineOf: LineOf = () => undefined): readonly NodeIssue[] {
  if (!isDict(data)) return [];
  const checker = new Checker(lineOf);
  const target = own(data, 'target');
  const platform = isDict(target) ? own(target, 'platform') : undefined;
  if ((PLATFORMS as readonly unknown[]).includes(platform)) checker.platform(data, platform as Platform);
  checker.mailboxes(data);
  checker.protocolDefaults(data);
  checker.authenticationPolicies(data);
  checker.plans(data);
  checker.servers(data);
  checker.legacyTls(data);
  checker.certificates(data);
  checker.waivers(data);
  checker.issues.push(...authenticationPolicyIssues(data, (PLATFORMS as readonly unknown[]).includes(platform) ? (platform as Platform) : undefined, lineOf));
  return checker.issues;
}
