/**
 * Parses a state file and checks its shape (the rules of schema/simulator-state.schema.json),
 * by hand so a 100,000-row mailbox list is checked in one quick loop.
 */
import { parseExchangeVersion } from '../model/exchange-version';
import { CATALOG, MIME_TEXT_FORMATS, modelKey, PROTOCOL_SETTINGS, TRANSPORT_CONFIG_SETTINGS, type ParameterSpec } from '../exchange/catalog';
import { TRANSPORT_CONFIG_DEFAULTS } from '../exchange/defaults';
import { CERTIFICATE_SERVICES } from '../model/certificate';
import { isRecord } from '../exchange/is-record';
import { CLOUDS, PLATFORMS, SERVICE_STATES, STARTUP_TYPES } from '../model/types';
import { MAILBOX_OPTION_NAMES } from './mailbox-options';
import { ALL_FAULT_KINDS, STATE_VERSION, type SimulatorState } from './state';

export class StateShapeError extends Error {
  override readonly name = 'StateShapeError';
}

type Fail = (where: string, what: string) => never;

/** One check of a value at a JSON pointer; throws through `fail` when the value does not fit. */
type Check = (value: unknown, where: string, fail: Fail) => void;

const isInteger = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v);

const boolean: Check = (v, where, fail) => {
  if (typeof v !== 'boolean') fail(where, 'expected true or false');
};
const nullableBoolean: Check = (v, where, fail) => {
  if (v !== null && typeof v !== 'boolean') fail(where, 'expected true, false or null');
};
const string: Check = (v, where, fail) => {
  if (typeof v !== 'string') fail(where, 'expected a string');
};
const nonEmptyString: Check = (v, where, fail) => {
  if (typeof v !== 'string' || v === '') fail(where, 'expected a non-empty string');
};
const buildNumber: Check = (v, where, fail) => {
  if (typeof v !== 'string' || parseExchangeVersion(v) === undefined) fail(where, 'expected an Exchange build number, e.g. 15.2.2562.17');
};
const nullableString: Check = (v, where, fail) => {
  if (v !== null && typeof v !== 'string') fail(where, 'expected a string or null');
};
const stringList: Check = (v, where, fail) => {
  if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) fail(where, 'expected a list of strings');
};
const integer: Check = (v, where, fail) => {
  if (!isInteger(v)) fail(where, 'expected a whole number');
};
const positiveInteger: Check = (v, where, fail) => {
  if (!isInteger(v) || (v as number) < 1) fail(where, 'expected a whole number ≥ 1');
};
const nonNegativeNumber: Check = (v, where, fail) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(where, 'expected a number ≥ 0');
};
function oneOf(values: readonly string[]): Check {
  return (v, where, fail) => {
    if (typeof v !== 'string' || !values.includes(v)) fail(where, `expected one of ${values.join(', ')}`);
  };
}

/** An object with exactly these properties (the `required` ones present), each checked. */
function object(properties: Readonly<Record<string, Check>>, required: readonly string[] = Object.keys(properties)): Check {
  return (v, where, fail) => {
    if (!isRecord(v)) return fail(where, `expected an object with ${Object.keys(properties).join(', ')}`);
    for (const name of required) if (!(name in v)) fail(`${where}/${name}`, 'is required');
    for (const [name, value] of Object.entries(v)) {
      const check = properties[name];
      if (!check) return fail(`${where}/${name}`, `unknown property (expected ${Object.keys(properties).join(', ')})`);
      check(value, `${where}/${name}`, fail);
    }
    return undefined;
  };
}

function listOf(item: Check): Check {
  return (v, where, fail) => {
    if (!Array.isArray(v)) return fail(where, 'expected an array');
    v.forEach((entry: unknown, i) => item(entry, `${where}/${i}`, fail));
    return undefined;
  };
}

/** How a Set-PopSettings/Set-ImapSettings value is stored: the catalog's parameter types, in Exchange's printed form. */
function settingCheck(spec: ParameterSpec): Check {
  switch (spec.type) {
    case 'boolean':
      return boolean;
    case 'int':
      return integer;
    case 'enum':
      return oneOf(spec.values ?? []);
    case 'endpointList':
    case 'bindingList':
    case 'stringList':
      return stringList;
    case 'string':
      // No certificate name (or OWA server URL) is null.
      return nullableString;
    default:
      return string;
  }
}

const PROTOCOL_SETTING_CHECKS: Readonly<Record<string, Check>> = Object.fromEntries(Object.entries(PROTOCOL_SETTINGS as Readonly<Record<string, ParameterSpec>>).map(([name, spec]) => [name, settingCheck(spec)]));

/** Settings are keyed by parameter name; names mailpolicy does not manage may be kept too. */
const protocolSettings: Check = (v, where, fail) => {
  if (!isRecord(v)) return fail(where, 'expected an object of settings keyed by parameter name');
  for (const [name, value] of Object.entries(v)) PROTOCOL_SETTING_CHECKS[name]?.(value, `${where}/${name}`, fail);
  return undefined;
};

const service = object({ startupType: oneOf(STARTUP_TYPES), status: oneOf(SERVICE_STATES), pendingSettings: stringList });
const protocol = object({ settings: protocolSettings, frontEnd: service, backEnd: service });

const organization: Check = (v, where, fail) => {
  object({ platform: oneOf(PLATFORMS), cloud: oneOf(CLOUDS), name: nonEmptyString, acceptedDomains: listOf(nonEmptyString) }, ['platform', 'name'])(v, where, fail);
  const org = v as Record<string, unknown>;
  if (org.platform === 'exchangeOnline' && org.cloud === undefined) fail(`${where}/cloud`, `expected one of ${CLOUDS.join(', ')}`);
  if (org.platform === 'exchangeServer' && org.cloud !== undefined) fail(`${where}/cloud`, 'Exchange Server has no cloud');
};

const writes: Check = (v, where, fail) => {
  if (!isRecord(v)) return fail(where, 'expected an object of counts per cmdlet');
  for (const [cmdlet, count] of Object.entries(v)) if (!isInteger(count) || (count as number) < 0) fail(`${where}/${cmdlet}`, 'expected a whole number ≥ 0');
  return undefined;
};

/** `sim audit`'s write log (audit.ts): each entry a write cmdlet, its parameters and whether it changed anything. */
const auditLog = listOf(
  object({ cmdlet: nonEmptyString, computerName: nonEmptyString, changed: boolean, parameters: (v, where, fail) => (isRecord(v) ? undefined : fail(where, 'expected an object of parameters')) }, ['cmdlet', 'parameters', 'changed']),
);
const numbersPerCmdlet: Check = (v, where, fail) => {
  if (!isRecord(v)) return fail(where, 'expected an object of milliseconds per cmdlet');
  for (const [cmdlet, ms] of Object.entries(v)) nonNegativeNumber(ms, `${where}/${cmdlet}`, fail);
  return undefined;
};

/** The optional seventh column: names that differ from the derived ones (mailbox-names.ts). */
const mailboxDetails = object({ name: nonEmptyString, alias: nonEmptyString, guid: nonEmptyString, distinguishedName: nonEmptyString, emailAddresses: stringList }, []);

/** `[identity, primarySmtpAddress, userPrincipalName, popEnabled, imapEnabled, smtpClientAuthenticationDisabled|null, details?]`, in one tight loop. */
const mailboxes: Check = (rows, where, fail) => {
  if (!Array.isArray(rows)) return fail(where, 'expected an array of rows');
  for (let i = 0; i < rows.length; i++) {
    const r: unknown = rows[i];
    if (Array.isArray(r) && r.length === 7) mailboxDetails(r[6], `${where}/${i}/6`, fail);
    if (
      !Array.isArray(r) ||
      (r.length !== 6 && r.length !== 7) ||
      typeof r[0] !== 'string' ||
      typeof r[1] !== 'string' ||
      typeof r[2] !== 'string' ||
      typeof r[3] !== 'boolean' ||
      typeof r[4] !== 'boolean' ||
      (r[5] !== null && typeof r[5] !== 'boolean')
    ) {
      fail(`${where}/${i}`, 'expected [identity, primarySmtpAddress, userPrincipalName, popEnabled, imapEnabled, smtpClientAuthenticationDisabled|null, details?]');
    }
  }
  return undefined;
};

const thumbprint: Check = (v, where, fail) => {
  if (typeof v !== 'string' || !/^[0-9A-F]{40}$/.test(v)) fail(where, 'expected a thumbprint: 40 hexadecimal digits in capitals');
};
const dateTime: Check = (v, where, fail) => {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) fail(where, 'expected a date and time, e.g. 2031-12-06T00:00:00.000Z');
};
/** One certificate of a server (SimCertificate). */
const certificate = object({ thumbprint, subject: string, issuer: string, certificateDomains: stringList, notAfter: dateTime, services: listOf(oneOf(CERTIFICATE_SERVICES)) });
/** A receive connector's settings, keyed by parameter name: the catalog's Set-ReceiveConnector types (AuthMechanism a list of its names). */
const RECEIVE_CONNECTOR_CHECKS: Readonly<Record<string, Check>> = Object.fromEntries(
  Object.entries(CATALOG['Set-ReceiveConnector'].parameters as Readonly<Record<string, ParameterSpec>>)
    .filter(([name]) => name !== 'Identity')
    .map(([name, spec]) => [name, spec.type === 'flags' ? listOf(oneOf(spec.values ?? [])) : settingCheck(spec)]),
);

const receiveConnectorSettings: Check = (v, where, fail) => {
  if (!isRecord(v)) return fail(where, 'expected an object of settings keyed by parameter name');
  for (const [name, value] of Object.entries(v)) RECEIVE_CONNECTOR_CHECKS[name]?.(value, `${where}/${name}`, fail);
  return undefined;
};

/**
 * Set-TransportConfig's settings under their model keys, checked by the catalog's types; the keys a
 * new tenant has (TRANSPORT_CONFIG_DEFAULTS) are required, and where that default is `$null` it may stay null.
 */
const transportConfig = object(
  Object.fromEntries(
    Object.entries(TRANSPORT_CONFIG_SETTINGS as Readonly<Record<string, ParameterSpec>>).map(([parameter, spec]) => {
      const key = modelKey(parameter);
      const nullable = (TRANSPORT_CONFIG_DEFAULTS as Readonly<Record<string, unknown>>)[key] === null;
      return [key, spec.type === 'boolean' ? (nullable ? nullableBoolean : boolean) : settingCheck(spec)];
    }),
  ),
  Object.keys(TRANSPORT_CONFIG_DEFAULTS),
);

/** A sparse per-user map (user → policy name, user → date-time): non-empty strings. */
const stringMap: Check = (v, where, fail) => {
  if (!isRecord(v)) return fail(where, 'expected an object');
  for (const [key, value] of Object.entries(v)) nonEmptyString(value, `${where}/${key}`, fail);
  return undefined;
};

/** state.mailboxOptions: identity → { option parameter: boolean or MIME format }. */
const mailboxOptions: Check = (v, where, fail) => {
  if (!isRecord(v)) return fail(where, 'expected an object');
  for (const [identity, options] of Object.entries(v)) {
    if (!isRecord(options)) return fail(`${where}/${identity}`, 'expected an object');
    for (const [name, value] of Object.entries(options)) {
      const at = `${where}/${identity}/${name}`;
      if (!(MAILBOX_OPTION_NAMES as readonly string[]).includes(name)) return fail(at, `not a Set-CASMailbox option (${MAILBOX_OPTION_NAMES.join(', ')})`);
      const mime = name.endsWith('MessagesRetrievalMimeFormat');
      if (mime ? !(MIME_TEXT_FORMATS as readonly unknown[]).includes(value) : typeof value !== 'boolean') return fail(at, mime ? `expected one of ${MIME_TEXT_FORMATS.join(', ')}` : 'expected a boolean');
    }
  }
  return undefined;
};

const DEFAULT_POLICY_FORMS: readonly string[] = ['name', 'distinguishedName'];

const STATE = object(
  {
    version: (v, where, fail) => {
      if (v !== STATE_VERSION) fail(where, `expected ${STATE_VERSION}, got ${JSON.stringify(v)}`);
    },
    organization,
    transportConfig,
    organizationConfig: object({ defaultAuthenticationPolicy: nullableString, reportDefaultPolicyAs: oneOf(DEFAULT_POLICY_FORMS) }, ['defaultAuthenticationPolicy']),
    authenticationPolicies: listOf(
      object(
        { name: nonEmptyString, allowBasicAuthPop: boolean, allowBasicAuthImap: boolean, allowBasicAuthSmtp: boolean, blockLegacyAuthPop: boolean, blockLegacyAuthImap: boolean, blockModernAuthPop: boolean, blockModernAuthImap: boolean },
        ['name', 'allowBasicAuthPop', 'allowBasicAuthImap', 'allowBasicAuthSmtp'],
      ),
    ),
    casMailboxPlans: listOf(object({ identity: string, popEnabled: boolean, imapEnabled: boolean })),
    mailboxes,
    userAuthenticationPolicies: stringMap,
    userStsRefreshTokensValidFrom: stringMap,
    mailboxOptions,
    servers: listOf(object({ name: string, fqdn: string, version: buildNumber, pop3: protocol, imap4: protocol, certificates: listOf(certificate) }, ['name', 'fqdn', 'pop3', 'imap4'])),
    receiveConnectors: listOf(object({ server: nonEmptyString, name: nonEmptyString, permissionGroups: string, settings: receiveConnectorSettings })),
    latency: object({ perCallMs: nonNegativeNumber, perItemMicros: nonNegativeNumber, perCmdletMs: nonNegativeNumber, cmdletMs: numbersPerCmdlet }, []),
    throttle: object({ concurrency: positiveInteger, retryAfterSeconds: nonNegativeNumber, microDelayMs: nonNegativeNumber }, ['concurrency']),
    faults: listOf(object({ kind: oneOf(ALL_FAULT_KINDS), cmdlet: string, call: positiveInteger, times: positiveInteger, message: string }, ['kind'])),
    writes,
    auditLog,
  },
  ['version', 'organization', 'mailboxes'],
);

export function parseState(text: string, file: string): SimulatorState {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new StateShapeError(`${file}: not a simulator state: ${(e as Error).message}`);
  }
  const fail: Fail = (where, what) => {
    throw new StateShapeError(`${file}: ${where || '/'}: ${what}`);
  };
  STATE(raw, '', fail);
  return raw as SimulatorState;
}
