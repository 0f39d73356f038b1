/**
 * Every resource kind, once: the one list the planner, the reader, restore, drift pointers, the
 * providers, the Pulumi program and the policy pack iterate. Typed by kind, so a kind without a
 * module (or a module missing a part) does not compile.
 */
import { AUTHENTICATION_POLICY_KIND } from './authentication-policy';
import { CAS_MAILBOX_PLAN_KIND } from './cas-mailbox-plan';
import { CAS_MAILBOX_PROTOCOL_KIND } from './cas-mailbox-protocol';
import { EXCHANGE_CERTIFICATE_KIND } from './exchange-certificate';
import type { ResourceKindModule } from './kind';
import { PROTOCOL_SERVICE_KIND } from './protocol-service';
import { RECEIVE_CONNECTOR_KIND } from './receive-connector';
import { IMAP_SETTINGS_KIND, POP_SETTINGS_KIND } from './protocol-settings';
import { TRANSPORT_CONFIG_KIND } from './transport-config';
import type { ResourceKind } from './types';

export const KINDS: { readonly [K in ResourceKind]: ResourceKindModule<K> } = {
  TransportConfig: TRANSPORT_CONFIG_KIND,
  AuthenticationPolicy: AUTHENTICATION_POLICY_KIND,
  CasMailboxPlan: CAS_MAILBOX_PLAN_KIND,
  PopSettings: POP_SETTINGS_KIND,
  ImapSettings: IMAP_SETTINGS_KIND,
  ProtocolService: PROTOCOL_SERVICE_KIND,
  CasMailboxProtocol: CAS_MAILBOX_PROTOCOL_KIND,
  ExchangeCertificate: EXCHANGE_CERTIFICATE_KIND,
  ReceiveConnector: RECEIVE_CONNECTOR_KIND,
};

/** The module of one kind, typed by it. */
export function kindModule<K extends ResourceKind>(kind: K): ResourceKindModule<K> {
  return KINDS[kind];
}
