/**
 * The clouds table: everything mailpolicy knows about each Exchange Online cloud, one record per
 * cloud. The model's cloud list, the labels in messages, Connect-ExchangeOnline's environment,
 * the ConnectionUri hosts, the client endpoint table, the legacy TLS endpoints and the US
 * government flag all derive from it, and so do the test matrices. Adding a cloud is adding a
 * record here: the record's type makes every field mandatory. Sources for each fact:
 * docs/exchange-facts.md ("Clouds", "Client endpoints", "Legacy TLS").
 *
 * Lives in the model (the bottom of the dependency order) so the loader, exchange, the rules,
 * the simulator and the endpoint table can all read it.
 */

/** The client protocols of the endpoint table, in the order it lists them. */
export type CloudProtocol = 'POP3' | 'IMAP4' | 'SMTP';

export interface CloudEndpointFacts {
  readonly protocol: CloudProtocol;
  /** Host name users type as "server". */
  readonly server: string;
  readonly port: number;
  readonly encryption: 'SSL/TLS' | 'STARTTLS';
  /** false where no Microsoft page states this row: the endpoint table marks it "unverified". */
  readonly verified: boolean;
}

export interface LegacyEndpointFacts {
  readonly server: string;
  /** The endpoint's status (retirement, end of support) with its source; absent when nothing is announced. */
  readonly status?: string;
}

export interface CloudFacts {
  /** How Microsoft names the cloud in prose ("GCC High"): used in every message and page. */
  readonly label: string;
  /** A US government cloud: no legacy TLS endpoints, legacy TLS permanently off, stricter rules. */
  readonly usGovernment: boolean;
  /** Connect-ExchangeOnline -ExchangeEnvironmentName (GCC moderate shares the worldwide one). */
  readonly exchangeEnvironmentName: string;
  /** Hosts of the Exchange Online endpoint as Get-ConnectionInformation's ConnectionUri names them; the first is the usual one. */
  readonly connectionHosts: readonly [string, ...string[]];
  /** POP3, IMAP4, SMTP submission, in that order. */
  readonly clientEndpoints: readonly [CloudEndpointFacts, CloudEndpointFacts, CloudEndpointFacts];
  /**
   * The legacy TLS 1.0/1.1 endpoints (opt-in: Set-TransportConfig -AllowLegacyTLSClients $true),
   * same ports and encryption as the standard ones; null where the cloud has none.
   */
  readonly legacyTls: {
    readonly domain: string;
    /** Whether Microsoft's retirement of the POP/IMAP legacy endpoints (MC1293480) is confirmed for this cloud: rules date-switch only then. */
    readonly popImapRetirementConfirmed: boolean;
    readonly endpoints: Readonly<Record<CloudProtocol, LegacyEndpointFacts>>;
  } | null;
}

/** The worldwide client endpoints: Microsoft 365 worldwide endpoint list, ID 2 ("POP3, IMAP4, SMTP Client traffic"). */
const WORLDWIDE_ENDPOINTS: CloudFacts['clientEndpoints'] = [
  { protocol: 'POP3', server: 'outlook.office365.com', port: 995, encryption: 'SSL/TLS', verified: true },
  { protocol: 'IMAP4', server: 'outlook.office365.com', port: 993, encryption: 'SSL/TLS', verified: true },
  { protocol: 'SMTP', server: 'smtp.office365.com', port: 587, encryption: 'STARTTLS', verified: true },
];

/** Standard endpoints on one host (the US government lists name one host for 143, 25, 587, 993, 995). */
function oneHost(server: string, verified: boolean): CloudFacts['clientEndpoints'] {
  return [
    { protocol: 'POP3', server, port: 995, encryption: 'SSL/TLS', verified },
    { protocol: 'IMAP4', server, port: 993, encryption: 'SSL/TLS', verified },
    { protocol: 'SMTP', server, port: 587, encryption: 'STARTTLS', verified },
  ];
}

const WORLDWIDE_POP_IMAP_LEGACY = 'retiring: blocking rolls out from July 2026 to 2026-12-31 (MC1293480); after that legacy TLS matters only for SMTP';

export const CLOUD_TABLE = {
  worldwide: {
    label: 'worldwide',
    usGovernment: false,
    exchangeEnvironmentName: 'O365Default',
    connectionHosts: ['outlook.office365.com'],
    clientEndpoints: WORLDWIDE_ENDPOINTS,
    legacyTls: {
      domain: 'office365.com',
      popImapRetirementConfirmed: true,
      endpoints: {
        POP3: { server: 'pop-legacy.office365.com', status: WORLDWIDE_POP_IMAP_LEGACY },
        IMAP4: { server: 'imap-legacy.office365.com', status: WORLDWIDE_POP_IMAP_LEGACY },
        // Exchange Team blog, "New opt-in endpoint available for SMTP AUTH clients still needing legacy TLS" (2021-08-18): no end date announced.
        SMTP: { server: 'smtp-legacy.office365.com' },
      },
    },
  },
  gcc: {
    label: 'GCC',
    usGovernment: true,
    // GCC (moderate) runs in the worldwide environment and shares its endpoints.
    exchangeEnvironmentName: 'O365Default',
    connectionHosts: ['outlook.office365.com'],
    clientEndpoints: WORLDWIDE_ENDPOINTS,
    legacyTls: null,
  },
  gccHigh: {
    label: 'GCC High',
    usGovernment: true,
    exchangeEnvironmentName: 'O365USGovGCCHigh',
    connectionHosts: ['outlook.office365.us'],
    // Office 365 U.S. Government GCC High endpoints, Exchange Online ID 5: outlook.office365.us on TCP 143, 25, 587, 993, 995.
    clientEndpoints: oneHost('outlook.office365.us', true),
    legacyTls: null,
  },
  dod: {
    label: 'DoD',
    usGovernment: true,
    exchangeEnvironmentName: 'O365USGovDoD',
    connectionHosts: ['webmail.apps.mil', 'outlook-dod.office365.us'],
    // Office 365 U.S. Government DoD endpoints, Exchange Online ID 4: outlook-dod.office365.us, webmail.apps.mil on TCP 143, 25, 587, 993, 995.
    clientEndpoints: oneHost('outlook-dod.office365.us', true),
    legacyTls: null,
  },
  china21Vianet: {
    label: '21Vianet',
    usGovernment: false,
    exchangeEnvironmentName: 'O365China',
    connectionHosts: ['partner.outlook.cn'],
    // No Microsoft page lists the 21Vianet client endpoints with ports: unverified.
    clientEndpoints: [
      { protocol: 'POP3', server: 'partner.outlook.cn', port: 995, encryption: 'SSL/TLS', verified: false },
      { protocol: 'IMAP4', server: 'partner.outlook.cn', port: 993, encryption: 'SSL/TLS', verified: false },
      { protocol: 'SMTP', server: 'smtp.partner.outlook.cn', port: 587, encryption: 'STARTTLS', verified: false },
    ],
    legacyTls: {
      domain: 'partner.outlook.cn',
      popImapRetirementConfirmed: false,
      endpoints: {
        POP3: { server: 'pop-legacy.partner.outlook.cn', status: 'unconfirmed whether the MC1293480 retirement covers 21Vianet' },
        IMAP4: { server: 'imap-legacy.partner.outlook.cn', status: 'unconfirmed whether the MC1293480 retirement covers 21Vianet' },
        // Exchange Team blog, SMTP AUTH legacy TLS opt-in endpoint post, update of April 2023.
        SMTP: { server: 'smtp-legacy.partner.outlook.cn', status: 'TLS 1.0/1.1 for SMTP AUTH no longer supported after 2023-06-30 in 21Vianet (Exchange Team blog)' },
      },
    },
  },
} as const satisfies Readonly<Record<string, CloudFacts>>;

export type Cloud = keyof typeof CLOUD_TABLE;

/** Every cloud, in the table's order (the order of the schema's enum, the CLI's choices and the test matrices). */
export const CLOUDS = Object.keys(CLOUD_TABLE) as readonly Cloud[];

/** The record of a cloud. */
export function cloudFacts(cloud: Cloud): CloudFacts {
  return CLOUD_TABLE[cloud];
}

/** How Microsoft names the cloud in prose. */
export function cloudLabel(cloud: Cloud): string {
  return CLOUD_TABLE[cloud].label;
}

/** US government clouds: legacy TLS endpoints do not exist there and legacy TLS is always off. */
export const US_GOVERNMENT_CLOUDS: readonly Cloud[] = CLOUDS.filter((cloud) => CLOUD_TABLE[cloud].usGovernment);

export type ExchangeEnvironmentName = (typeof CLOUD_TABLE)[Cloud]['exchangeEnvironmentName'];

/** The Connect-ExchangeOnline -ExchangeEnvironmentName values mailpolicy sends (one per cloud, GCC sharing worldwide's). */
export const EXCHANGE_ENVIRONMENTS: readonly ExchangeEnvironmentName[] = [...new Set(CLOUDS.map((cloud) => CLOUD_TABLE[cloud].exchangeEnvironmentName))];

/** Connect-ExchangeOnline -ExchangeEnvironmentName of a cloud. */
export function exchangeEnvironmentOf(cloud: Cloud): ExchangeEnvironmentName {
  return CLOUD_TABLE[cloud].exchangeEnvironmentName;
}

/** The ConnectionUri Get-ConnectionInformation reports in a cloud. */
export function connectionUriOfCloud(cloud: Cloud): string {
  return `https://${CLOUD_TABLE[cloud].connectionHosts[0]}`;
}

/**
 * The cloud a ConnectionUri belongs to. GCC shares the worldwide endpoint, so the configured
 * cloud decides between them (the one pair PowerShell cannot tell apart: a known limit of
 * verifyTarget); an endpoint of no known cloud counts as the worldwide one.
 */
export function cloudOfConnectionUri(uri: string, configured: Cloud | undefined): Cloud {
  let host: string;
  try {
    host = new URL(uri).hostname.toLowerCase();
  } catch {
    host = uri.trim().toLowerCase();
  }
  const clouds = CLOUDS.filter((cloud) => (CLOUD_TABLE[cloud].connectionHosts as readonly string[]).includes(host));
  if (configured !== undefined && clouds.includes(configured)) return configured;
  return clouds[0] ?? (configured === 'gcc' ? 'gcc' : 'worldwide');
}

/** The US government clouds' labels as prose: "GCC, GCC High and DoD" (or "… or DoD"). */
export function usGovernmentCloudLabels(conjunction: 'and' | 'or'): string {
  const labels = US_GOVERNMENT_CLOUDS.map(cloudLabel);
  return labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} ${conjunction} ${labels[labels.length - 1] as string}`;
}
