/**
 * Exchange Online client endpoints per cloud. Facts: ../shared/DOMAIN.md, "Client endpoints".
 * The legacy TLS endpoints exist only in the worldwide and 21Vianet clouds and only serve an
 * organisation that opted in (Set-TransportConfig -AllowLegacyTLSClients $true).
 */
import type { Cloud } from '../model/types';
import type { ClientEncryption, ClientEndpoint, EndpointProtocol } from './types';

interface CloudRow {
  readonly protocol: EndpointProtocol;
  readonly server: string;
  readonly port: number;
  readonly encryption: ClientEncryption;
  readonly verified: boolean;
}

const WORLDWIDE: readonly CloudRow[] = [
  { protocol: 'POP3', server: 'outlook.office365.com', port: 995, encryption: 'SSL/TLS', verified: true },
  { protocol: 'IMAP4', server: 'outlook.office365.com', port: 993, encryption: 'SSL/TLS', verified: true },
  { protocol: 'SMTP', server: 'smtp.office365.com', port: 587, encryption: 'STARTTLS', verified: true },
];

const STANDARD_ENDPOINTS: Readonly<Record<Cloud, readonly CloudRow[]>> = {
  worldwide: WORLDWIDE,
  // GCC (moderate) shares the worldwide service endpoints.
  gcc: WORLDWIDE,
  gccHigh: [
    { protocol: 'POP3', server: 'outlook.office365.us', port: 995, encryption: 'SSL/TLS', verified: true },
    { protocol: 'IMAP4', server: 'outlook.office365.us', port: 993, encryption: 'SSL/TLS', verified: true },
    { protocol: 'SMTP', server: 'smtp.office365.us', port: 587, encryption: 'STARTTLS', verified: false },
  ],
  dod: [
    { protocol: 'POP3', server: 'outlook-dod.office365.us', port: 995, encryption: 'SSL/TLS', verified: true },
    { protocol: 'IMAP4', server: 'outlook-dod.office365.us', port: 993, encryption: 'SSL/TLS', verified: true },
    { protocol: 'SMTP', server: 'outlook-dod.office365.us', port: 587, encryption: 'STARTTLS', verified: false },
  ],
  china21Vianet: [
    { protocol: 'POP3', server: 'partner.outlook.cn', port: 995, encryption: 'SSL/TLS', verified: false },
    { protocol: 'IMAP4', server: 'partner.outlook.cn', port: 993, encryption: 'SSL/TLS', verified: false },
    { protocol: 'SMTP', server: 'smtp.partner.outlook.cn', port: 587, encryption: 'STARTTLS', verified: false },
  ],
};

/** Legacy host per protocol; the ports and encryption are those of the standard endpoint. */
const LEGACY_HOSTS: Readonly<Partial<Record<Cloud, Readonly<Record<EndpointProtocol, string>>>>> = {
  worldwide: { POP3: 'pop-legacy.office365.com', IMAP4: 'imap-legacy.office365.com', SMTP: 'smtp-legacy.office365.com' },
  china21Vianet: { POP3: 'pop-legacy.partner.outlook.cn', IMAP4: 'imap-legacy.partner.outlook.cn', SMTP: 'smtp-legacy.partner.outlook.cn' },
};

const POP_IMAP_LEGACY_RETIREMENT =
  'retiring: blocking rolls out from July 2026 to 2026-12-31 (MC1293480); after that legacy TLS matters only for SMTP';

/** Whether the cloud has legacy TLS endpoints at all (never in the US government clouds). */
export function legacyEndpointsAvailable(cloud: Cloud): boolean {
  return LEGACY_HOSTS[cloud] !== undefined;
}

/**
 * The endpoint table of an Exchange Online cloud. Legacy rows appear only when the organisation
 * opted in (`allowLegacyTLSClients === true`) and the cloud has them.
 */
export function cloudEndpoints(cloud: Cloud, allowLegacyTLSClients: boolean | undefined): readonly ClientEndpoint[] {
  const standard = STANDARD_ENDPOINTS[cloud];
  const rows: ClientEndpoint[] = standard.map((row) => ({ ...row, legacy: false }));
  const legacyHosts = LEGACY_HOSTS[cloud];
  if (allowLegacyTLSClients === true && legacyHosts !== undefined) {
    for (const row of standard) {
      rows.push({
        protocol: row.protocol,
        server: legacyHosts[row.protocol],
        port: row.port,
        encryption: row.encryption,
        legacy: true,
        verified: true,
        ...(row.protocol === 'SMTP' ? {} : { note: POP_IMAP_LEGACY_RETIREMENT }),
      });
    }
  }
  return rows;
}
