/**
 * The PopSettings and ImapSettings kinds: Set-PopSettings / Set-ImapSettings -Server, only the
 * drifted parameters. A change here does not take effect until the protocol's services restart
 * (see protocol-service.ts).
 */
import { PROTOCOL_SETTINGS_CMDLETS, type CmdletName } from '../../exchange/catalog';
import { protocolSettingDefaults } from '../../exchange/defaults';
import { buildRequest, parameterSpec } from '../../exchange/request';
import type { JsonValue } from '../../exchange/types';
import { PROTOCOL_ONLY_SETTING_KEYS, PROTOCOL_SETTING_KEYS, type Protocol, type ProtocolPolicy, type ProtocolSettings, type ServerPolicy } from '../../model/types';
import { need, serverProtocolKey } from '../actual';
import { describeDrift, driftOf, driftParameters } from '../drift';
import type { Change, ResourceRef } from '../plan';
import type { Declared, ResourceKindModule } from './kind';
import type { ExportedServer } from './snapshot';
import { mergeServer, overlayDrift, pickDefaults, serverPart, serverPointer, slug } from './shared';
import { readProtocolSettings, type ActualProtocolSettings } from './protocol-settings-read';

/**
 * The model's settings (the YAML contract, src/model) are the catalog's parameters under their
 * model keys, all listed in PROTOCOL_SETTING_KEYS: a parameter in one and not the others does
 * not compile.
 */
type Unlisted = Exclude<keyof ActualProtocolSettings | keyof ProtocolSettings, (typeof PROTOCOL_SETTING_KEYS)[number]>;
type NotInCatalog = Exclude<keyof ProtocolSettings, keyof ActualProtocolSettings>;
export const SETTINGS_MATCH_CATALOG: [Unlisted, NotInCatalog] extends [never, never] ? true : never = true;

export const PROTOCOL_LABEL: Readonly<Record<Protocol, string>> = { pop3: 'POP3', imap4: 'IMAP4' };

/** Each protocol's settings keys: every key but those only the other protocol has. */
const KEYS_OF: Readonly<Record<Protocol, readonly (typeof PROTOCOL_SETTING_KEYS)[number][]>> = {
  pop3: PROTOCOL_SETTING_KEYS.filter((key) => !(PROTOCOL_ONLY_SETTING_KEYS.imap4 as readonly string[]).includes(key)),
  imap4: PROTOCOL_SETTING_KEYS.filter((key) => !(PROTOCOL_ONLY_SETTING_KEYS.pop3 as readonly string[]).includes(key)),
};

export function planProtocolSettings(
  resource: ResourceRef,
  server: string,
  protocol: Protocol,
  desired: ProtocolSettings,
  actual: ActualProtocolSettings,
): Change[] {
  const cmdlet = PROTOCOL_SETTINGS_CMDLETS[protocol].set;
  const drift = driftOf(cmdlet, KEYS_OF[protocol], desired, actual);
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

/** The settings kind of one protocol: PopSettings (pop3) or ImapSettings (imap4). */
function protocolSettingsKind<K extends 'PopSettings' | 'ImapSettings'>(kind: K, protocol: Protocol): ResourceKindModule<K> {
  return {
    kind,
    inputKeys: ['server', 'settings'],
    outputOnly: ['settingsChangeId'],
    identity: (inputs) => `${inputs.server}/${kind}`,
    read: async (backend, resources) => {
      const reads = new Map<string, Promise<ActualProtocolSettings>>();
      for (const { server } of resources) {
        const key = serverProtocolKey(server, protocol);
        if (!reads.has(key)) reads.set(key, readProtocolSettings(backend, server, protocol));
      }
      return { protocolSettings: new Map(await Promise.all([...reads].map(async ([key, read]) => [key, await read] as const))) };
    },
    actualOf: (inputs, actual) => {
      const key = serverProtocolKey(inputs.server, protocol);
      return need(actual.protocolSettings?.get(key), `${key} settings`);
    },
    plan: (ref, inputs, actual) => ({ changes: planProtocolSettings(ref, inputs.server, protocol, inputs.settings, actual), notes: [] }),
    restore: (inputs) => {
      const { restored, left } = pickDefaults(inputs.settings, protocolSettingDefaults(protocol));
      return { kind: 'plan', inputs: { ...inputs, settings: restored }, left };
    },
    appliesAtRestart: (inputs, changes) => (changes.length > 0 ? [{ server: inputs.server, protocol }] : []),
    pointer: (policy, change, drift) => serverPointer(policy, change.subject, protocol, 'settings', drift?.key),
    refresh: (inputs, changes) => ({ ...inputs, settings: overlayDrift(inputs.settings, changes) as ProtocolSettings }),
    documentPart: (input) => serverPart(input, protocol, 'settings'),
    mergeInto: mergeServer,
    desired: { place: 'protocol', declared: (server, p) => (p === protocol ? declaredSettings(server, protocol) : []) },
    mayApplyAtRestart: (inputs) => [{ server: inputs.server, protocol }],
    exported: { place: 'protocol', part: (server, p) => (p === protocol ? exportedSettings(server, protocol) : {}) },
  };
}

export const POP_SETTINGS_KIND = protocolSettingsKind('PopSettings', 'pop3');
export const IMAP_SETTINGS_KIND = protocolSettingsKind('ImapSettings', 'imap4');

// ---- What a document declares, and what an export writes ----

function declaredSettings(server: ServerPolicy, protocol: Protocol): Declared<'PopSettings' | 'ImapSettings'>[] {
  const settings = server[protocol]?.settings;
  return settings === undefined ? [] : [{ name: `${slug(server.name)}-${protocol}-settings`, inputs: { server: server.name, settings } }];
}

function exportedSettings(server: ExportedServer, protocol: Protocol): Partial<ProtocolPolicy> {
  const read = server.protocols[protocol];
  if (!read) return {};
  const out: Record<string, unknown> = {};
  for (const key of PROTOCOL_SETTING_KEYS) {
    const value = read.settings[key];
    // No certificate name reads back as null: leave it unmanaged rather than declare "none".
    // A setting the other protocol only has is absent.
    if (value === null || value === undefined) continue;
    // Connection settings arrive with the encryption in capitals: the catalog's readBack spells them as the model does.
    out[key] = value;
  }
  return { settings: out as ProtocolSettings };
}
