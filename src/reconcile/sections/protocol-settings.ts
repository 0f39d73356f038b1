/**
 * Set-PopSettings / Set-ImapSettings -Server: only the drifted parameters. A change here does
 * not take effect until the protocol's services restart (see protocol-service.ts).
 */
import { PROTOCOL_SETTINGS_CMDLETS, type CmdletName } from '../../exchange/catalog';
import { buildRequest, parameterSpec } from '../../exchange/request';
import type { JsonValue } from '../../exchange/types';
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
      request: buildRequest(cmdlet, { server, ...blankEmptyLists(cmdlet, driftParameters(drift)) }),
      description: `${server} ${PROTOCOL_LABEL[protocol]} settings: ${describeDrift(drift)}`,
      drift,
      bulk: false,
    },
  ];
}

/**
 * An emptied connection-settings or bindings list is sent as `$null`, the blank value the
 * Set-PopSettings / Set-ImapSettings reference uses for these multi-valued parameters, not `@()`.
 */
function blankEmptyLists(cmdlet: CmdletName, parameters: Record<string, JsonValue>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(parameters)) {
    const { type } = parameterSpec(cmdlet, key).spec;
    out[key] = (type === 'endpointList' || type === 'bindingList') && Array.isArray(value) && value.length === 0 ? null : value;
  }
  return out;
}
