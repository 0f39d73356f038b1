/**
 * The simulator's state file: one simulated organisation. Documented by
 * schema/simulator-state.schema.json. Mailboxes are stored as compact rows (one short array
 * each) so a 100,000-mailbox organisation stays a few megabytes and loads in milliseconds.
 */
import type { Cloud, Platform, ServiceState, StartupType } from '../model/types';
import type { JsonValue } from '../exchange/types';
import type { Audited } from './audit';

export const STATE_VERSION = 1;

/**
 * The names of a mailbox where they differ from what the simulator derives from its identity
 * (mailbox-names.ts): name and alias default to the identity, the GUID is derived from it, the
 * distinguished name from the name, and the email addresses are the primary SMTP address only.
 */
export interface MailboxDetails {
  name?: string;
  alias?: string;
  guid?: string;
  distinguishedName?: string;
  /** SMTP addresses besides the primary one (proxy addresses), without a prefix. */
  emailAddresses?: string[];
}

/**
 * `[identity, primarySmtpAddress, userPrincipalName, popEnabled, imapEnabled,
 * smtpClientAuthenticationDisabled, details?]`: the seventh column only where a name differs from
 * the derived one, so a generated organisation stays compact.
 */
export type MailboxRow = [string, string, string, boolean, boolean, boolean | null] | [string, string, string, boolean, boolean, boolean | null, MailboxDetails];

export const MAILBOX_COLUMNS = ['identity', 'primarySmtpAddress', 'userPrincipalName', 'popEnabled', 'imapEnabled', 'smtpClientAuthenticationDisabled', 'details'] as const;
export const ROW_IDENTITY = 0;
export const ROW_SMTP = 1;
export const ROW_UPN = 2;
export const ROW_POP = 3;
export const ROW_IMAP = 4;
export const ROW_SMTP_AUTH_DISABLED = 5;
export const ROW_DETAILS = 6;

/** What the organisation really is: `connection()` and Get-AcceptedDomain report this, whatever a document claims. */
export interface SimOrganization {
  platform: Platform;
  /** Exchange Online only. */
  cloud?: Cloud;
  name: string;
  /** What Get-AcceptedDomain lists (default: `name` alone). */
  acceptedDomains?: string[];
}

/** Set-TransportConfig's settings under their model keys (the catalog's TRANSPORT_CONFIG_SETTINGS); a setting added later may be absent from an older state. */
export interface SimTransportConfig {
  allowLegacyTLSClients: boolean | null;
  smtpClientAuthenticationDisabled: boolean;
  [setting: string]: JsonValue;
}

export interface SimAuthenticationPolicy {
  name: string;
  allowBasicAuthPop: boolean;
  allowBasicAuthImap: boolean;
  allowBasicAuthSmtp: boolean;
  /** Exchange Server 2019/SE switches (absent: false). */
  blockLegacyAuthPop?: boolean;
  blockLegacyAuthImap?: boolean;
  blockModernAuthPop?: boolean;
  blockModernAuthImap?: boolean;
}

export interface SimCasMailboxPlan {
  /** With its GUID suffix, as Exchange names it. */
  identity: string;
  popEnabled: boolean;
  imapEnabled: boolean;
}

export interface SimService {
  startupType: StartupType;
  status: ServiceState;
  /**
   * Settings parameters changed since this service last started: the change is configured but
   * not in effect until the service restarts (Exchange reads POP/IMAP settings at start).
   */
  pendingSettings: string[];
}

export interface SimProtocol {
  /** Set-PopSettings/Set-ImapSettings parameters in Exchange's printed form, keyed by parameter name. */
  settings: Record<string, JsonValue>;
  frontEnd: SimService;
  backEnd: SimService;
}

export interface SimServer {
  name: string;
  fqdn: string;
  /** The build Get-ExchangeServer reports (`15.2.2562.17`); absent: Exchange Server SE RTM, as sim init writes it. */
  version?: string;
  pop3: SimProtocol;
  imap4: SimProtocol;
  /** What Get-ExchangeCertificate -Server lists (src/simulator/certificates.ts); absent: none (a state from before certificates). */
  certificates?: SimCertificate[];
}

/** One certificate on a server, in Get-ExchangeCertificate's terms. */
export interface SimCertificate {
  /** 40 hexadecimal digits in capitals. */
  thumbprint: string;
  /** `CN=mail.contoso.com`. */
  subject: string;
  issuer: string;
  /** Subject Alternative Names (CertificateDomains). */
  certificateDomains: string[];
  /** Expiry, ISO 8601 (`2031-12-06T00:00:00.000Z`). */
  notAfter: string;
  /** Enable-ExchangeCertificate services (IMAP, POP, IIS, SMTP, …); empty: None. */
  services: string[];
}

/**
 * A receive connector (Exchange Server): sim init gives each server its default "Client Frontend
 * <Server>" (src/exchange/defaults.ts). Kept beside the servers, as Get-ReceiveConnector lists
 * them, with the server each belongs to.
 */
export interface SimReceiveConnector {
  server: string;
  name: string;
  /** Exchange's PermissionGroups (Client Frontend: ExchangeUsers); ExternalAuthoritative needs ExchangeServers. */
  permissionGroups: string;
  /** Set-ReceiveConnector parameters, keyed by parameter name: AuthMechanism as a list of names, the rest as Exchange prints them. */
  settings: Record<string, JsonValue>;
}

/**
 * How long Exchange takes (docs/simulator.md, "Latency and throttling"). Real Exchange runs each
 * cmdlet on its own, so the cost that matters is per cmdlet: a batch of 200 Set-CASMailbox costs
 * 200 of them. A read costs one cmdlet however many objects it returns, plus a little per object.
 */
export interface LatencyModel {
  /** Per round trip (the network): once per call or batch. */
  perCallMs?: number;
  /** Per object a read returns. */
  perItemMicros?: number;
  /** Per cmdlet: each call, each batch item (`sim faults --latency-ms`). */
  perCmdletMs?: number;
  /** Per cmdlet, by cmdlet name: replaces perCmdletMs for that cmdlet. */
  cmdletMs?: Record<string, number>;
}

/**
 * Exchange Online's throttling as the simulator plays it: at most `concurrency` cmdlets run at
 * once (across every process serving the state); one more fails as server busy / HTTP 429 with
 * a retry-after, and the cmdlet that takes the last free place warns "Micro delay applied" and is
 * delayed `microDelayMs` (when set). Figures and sources: docs/simulator.md.
 */
export interface ThrottleModel {
  /** Cmdlets that may run at once (the budget B). */
  concurrency: number;
  /** What the 429 asks the caller to wait, in seconds (default DEFAULT_RETRY_AFTER_SECONDS). */
  retryAfterSeconds?: number;
  /** Extra time, with the micro-delay warning, for the cmdlet that fills the budget (default 0: neither). */
  microDelayMs?: number;
}

/** The faults that make a call fail (or never answer). */
export const FAULT_KINDS = ['transient', 'throttle', 'tokenExpired', 'permanent', 'hang', 'crash'] as const;
export type FailingFaultKind = (typeof FAULT_KINDS)[number];
/**
 * The faults that make a call succeed without doing what it says. `ignoreWrite`: a write cmdlet
 * answers as if it worked and changes nothing, as Exchange does with a setting it accepts and
 * reverts, or applies only after replication; it never fires on (nor counts) a read.
 */
export const SILENT_FAULT_KINDS = ['ignoreWrite'] as const;
/**
 * The faults that make a call succeed with a warning. `microDelay`: a write is done and warns
 * "Micro delay applied", Exchange Online's throttling by design (faults.ts has the text); it
 * never fires on (nor counts) a read.
 */
export const WARNING_FAULT_KINDS = ['microDelay'] as const;
/** Every fault the simulator (and the stand-in pwsh) can inject. */
export const ALL_FAULT_KINDS = [...FAULT_KINDS, ...SILENT_FAULT_KINDS, ...WARNING_FAULT_KINDS] as const;
export type FaultKind = (typeof ALL_FAULT_KINDS)[number];

/**
 * Fails calls on purpose. A fault counts the calls it matches (of `cmdlet`, or of every cmdlet)
 * in one backend instance, and fires on calls `call` to `call + times - 1`.
 */
export interface FaultSpec {
  kind: FaultKind;
  cmdlet?: string;
  /** 1-based number of the first matching call that fails (default 1). */
  call?: number;
  /** How many consecutive matching calls fail (default 1). */
  times?: number;
  /** Replaces the default error message. */
  message?: string;
}

export interface SimulatorState extends Audited {
  version: typeof STATE_VERSION;
  organization: SimOrganization;
  /** Exchange Online only. */
  transportConfig?: SimTransportConfig;
  /** Exchange Online only. */
  /**
   * `reportDefaultPolicyAs`: how Get-OrganizationConfig reports DefaultAuthenticationPolicy, which
   * varies by platform: by name (the default here) or by the policy's distinguished name, as
   * Exchange Online does.
   */
  organizationConfig?: { defaultAuthenticationPolicy: string | null; reportDefaultPolicyAs?: 'name' | 'distinguishedName' };
  authenticationPolicies?: SimAuthenticationPolicy[];
  casMailboxPlans?: SimCasMailboxPlan[];
  mailboxes: MailboxRow[];
  /**
   * Set-User -AuthenticationPolicy: user (a mailbox's identity, ROW_IDENTITY) → policy name. A
   * sparse map beside the rows, not a row column: only users with a policy are listed.
   */
  userAuthenticationPolicies?: Record<string, string>;
  /** Exchange Online: Set-User -StsRefreshTokensValidFrom per user (mailbox identity → ISO 8601 date-time). */
  userStsRefreshTokensValidFrom?: Record<string, string>;
  /**
   * Set-CASMailbox's POP3/IMAP4 options (mailbox-options.ts): mailbox identity (ROW_IDENTITY) →
   * parameter name → value, listing only values other than a new mailbox's. Sparse, beside the rows.
   */
  mailboxOptions?: Record<string, Record<string, boolean | string>>;
  /** Exchange Server only. */
  servers?: SimServer[];
  /** Exchange Server only: the receive connectors of every server. */
  receiveConnectors?: SimReceiveConnector[];
  latency?: LatencyModel;
  throttle?: ThrottleModel;
  faults?: FaultSpec[];
  /** Successful writes applied to this state, per cmdlet (persisted with the state). */
  writes?: Record<string, number>;
}

/** The settings changes of one protocol on one server not yet in effect (either service not restarted since). */
export function pendingSettings(protocol: SimProtocol): string[] {
  return [...new Set([...protocol.frontEnd.pendingSettings, ...protocol.backEnd.pendingSettings])].sort();
}

/**
 * Serialises a state: indented for people, but one line per mailbox row so a 100,000-mailbox
 * file stays compact and quick to write.
 */
export function serialiseState(state: SimulatorState): string {
  const marker = '"__MAILBOX_ROWS__"';
  const text = JSON.stringify({ ...state, mailboxes: '__MAILBOX_ROWS__' }, null, 2);
  const rows = state.mailboxes.length === 0 ? '[]' : `[\n${state.mailboxes.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]`;
  const at = text.indexOf(marker);
  return `${text.slice(0, at)}${rows}${text.slice(at + marker.length)}\n`;
}

/** The organisation's accepted domains, as Get-AcceptedDomain lists them: its name unless the state lists others. */
export function acceptedDomains(organization: SimOrganization): string[] {
  return organization.acceptedDomains ?? [organization.name];
}
