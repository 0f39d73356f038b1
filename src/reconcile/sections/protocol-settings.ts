/**
 * Set-PopSettings / Set-ImapSettings -Server: only the drifted parameters. A change here does
 * not take effect until the protocol's services restart (see protocol-service.ts).
 */
import { buildRequest, PROTOCOL_SETTINGS_CMDLETS } from '../../exchange/catalog';
import type { ActualProtocolSettings } from '../../exchange/types';
import { PROTOCOL_SETTING_KEYS, type Protocol, type ProtocolSettings } from '../../model/types';
import { describeDrift, driftOf, driftParameters } from '../drift';
import type { Change, ResourceRef } from '../plan';

export const PROTOCOL_LABEL: Readonly<Record<Protocol, string>> = { pop3: 'POP3', imap4: 'IMAP4' };

export function planProtocolSettings(
  resource: ResourceRef,
  server: string,
  protocol: Protocol,
  desired: ProtocolSettings,
  actual: ActualProtocolSettings,
): Change[] {
  const cmdlet = PROTOCOL_SETTINGS_CMDLETS[protocol].set;
  const drift = driftOf(cmdlet, PROTOCOL_SETTING_KEYS, desired, actual);
  if (drift.length === 0) return [];
  return [
    {
      resource,
      action: 'set',
      subject: server,
      request: buildRequest(cmdlet, { server, ...driftParameters(drift) }),
      description: `${server} ${PROTOCOL_LABEL[protocol]} settings: ${describeDrift(drift)}`,
      drift,
      bulk: false,
    },
  ];
}
