/** The client endpoint table: what users type into their mail program. */

export const ENDPOINT_PROTOCOLS = ['POP3', 'IMAP4', 'SMTP'] as const;
export type EndpointProtocol = (typeof ENDPOINT_PROTOCOLS)[number];

/** What users select as "encryption" or "security" in their mail program. */
export const CLIENT_ENCRYPTIONS = ['SSL/TLS', 'STARTTLS', 'none (plain text)'] as const;
export type ClientEncryption = (typeof CLIENT_ENCRYPTIONS)[number];

export interface ClientEndpoint {
  readonly protocol: EndpointProtocol;
  /** Host name users type as "server". */
  readonly server: string;
  readonly port: number;
  readonly encryption: ClientEncryption;
  /** A legacy TLS 1.0/1.1 endpoint (Exchange Online opt-in through AllowLegacyTLSClients). */
  readonly legacy: boolean;
  /** false where no official Microsoft page states this row (docs/exchange-facts.md marks it "unverified"). */
  readonly verified: boolean;
  /** Something users should know about this row (retirement dates), absent when nothing. */
  readonly note?: string;
}
