/**
 * What `mailpolicy export` read of an organisation, as each kind's export part (`exported` in
 * kind.ts) receives it. Defined here, below the export, so that a kind owns its part of the
 * exported document without importing src/export (which imports reconcile).
 */
import type { ConnectionInfo } from '../../exchange/types';
import type { ActualAuthenticationPolicies, ActualUser } from './authentication-policy-read';
import type { ActualCasMailboxPlan } from './cas-mailbox-plan-read';
import type { ActualCertificate } from './exchange-certificate-read';
import type { ActualProtocolService } from './protocol-service-read';
import type { ActualProtocolSettings } from './protocol-settings-read';
import type { ActualReceiveConnector } from './receive-connector-read';
import type { ActualTransportConfig } from './transport-config-read';
import type { CasMailboxesPolicy, Protocol } from '../../model/types';

/** One Exchange server as the export read it. */
export interface ExportedServer {
  readonly name: string;
  readonly protocols: Readonly<Partial<Record<Protocol, { readonly settings: ActualProtocolSettings; readonly service: ActualProtocolService }>>>;
  /** The server's Client Frontend receive connector (authenticated SMTP for POP3/IMAP4 clients). */
  readonly clientFrontend?: ActualReceiveConnector;
  /** Get-ExchangeCertificate -Server: exported are those enabled for a service. */
  readonly certificates?: readonly ActualCertificate[];
}

/** Everything the exporter read; sections that do not exist on the platform are undefined. */
export interface OrganisationSnapshot {
  readonly connection: ConnectionInfo;
  readonly transportConfig?: ActualTransportConfig;
  readonly authenticationPolicies?: ActualAuthenticationPolicies;
  /** The users with an authentication policy assigned (Get-User), exported as each policy's assignedTo. */
  readonly policyAssignments?: readonly ActualUser[];
  readonly casMailboxPlans?: readonly ActualCasMailboxPlan[];
  readonly casMailboxes?: CasMailboxesPolicy;
  readonly servers?: readonly ExportedServer[];
  /** Exchange Server: the lowest build Get-ExchangeServer reported (only when the servers were listed, not named). */
  readonly minimumServerVersion?: string;
}
