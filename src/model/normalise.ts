/**
 * A document that passed every check → the normalised, deeply frozen MailPolicy. Only keys the
 * document declares appear (absent = not managed); timeouts take the form Exchange prints.
 */
import { CERTIFICATE_KEYS, type CertificateDecl } from './certificate';
import { normaliseByteQuantity } from './byte-quantity';
import { checkTimeout } from './timespan';
import type {
  AuthenticationPolicyDecl,
  CasMailboxesPolicy,
  CasMailboxException,
  CasMailboxPlanDecl,
  CasMailboxSettings,
  MailPolicy,
  Metadata,
  ProtocolPolicy,
  ProtocolSettings,
  ServerPolicy,
  ServicePolicy,
  SmtpClientSubmissionPolicy,
  Target,
  TransportConfigPolicy,
  Waiver,
} from './types';
import {
  AUTHENTICATION_POLICY_KEYS,
  BYTE_QUANTITY_SETTING_KEYS,
  CAS_MAILBOX_PLAN_KEYS,
  CAS_MAILBOX_SETTING_KEYS,
  METADATA_KEYS,
  PROTOCOL_SETTING_KEYS,
  SERVICE_KEYS,
  SMTP_CLIENT_SUBMISSION_KEYS,
  TIMEOUT_SETTING_KEYS,
  TRANSPORT_CONFIG_KEYS,
  WAIVER_KEYS,
} from './types';

type Dict = Readonly<Record<string, unknown>>;

/** Copies the listed keys that are present (own properties only), in the listed order. */
function pick<T>(source: Dict, keys: readonly (keyof T & string)[]): T {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(source, key) && source[key] !== undefined) {
      const value = source[key];
      out[key] = Array.isArray(value) ? [...(value as unknown[])] : value;
    }
  }
  return out as T;
}

/** `{ key: build(value) }` when the document declares the key, else `{}`: absent stays absent. */
function optional<V, T>(source: Dict, key: string, build: (value: V) => T): { [k: string]: T } {
  return Object.prototype.hasOwnProperty.call(source, key) && source[key] !== undefined ? { [key]: build(source[key] as V) } : {};
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function protocolSettings(source: Dict): ProtocolSettings {
  const settings = pick<Record<string, unknown>>(source, PROTOCOL_SETTING_KEYS);
  for (const key of TIMEOUT_SETTING_KEYS) {
    const value = settings[key];
    if (typeof value === 'string') {
      const checked = checkTimeout(value);
      if (checked.ok) settings[key] = checked.normalised;
    }
  }
  for (const key of BYTE_QUANTITY_SETTING_KEYS) {
    const value = settings[key];
    if (typeof value === 'string') settings[key] = normaliseByteQuantity(value);
  }
  return settings as ProtocolSettings;
}

function protocol(source: Dict): ProtocolPolicy {
  return {
    ...optional(source, 'service', (s: Dict) => pick<ServicePolicy>(s, SERVICE_KEYS)),
    ...optional(source, 'settings', protocolSettings),
  };
}

function server(source: Dict): ServerPolicy {
  return {
    name: source.name as string,
    ...optional(source, 'pop3', protocol),
    ...optional(source, 'imap4', protocol),
    ...optional(source, 'certificates', (list: Dict[]) => list.map((c) => pick<CertificateDecl>(c, CERTIFICATE_KEYS))),
    ...optional(source, 'smtpClientSubmission', (s: Dict) => pick<SmtpClientSubmissionPolicy>(s, SMTP_CLIENT_SUBMISSION_KEYS)),
  };
}

function casMailboxes(source: Dict): CasMailboxesPolicy {
  const exceptions = ((source.exceptions as Dict[] | undefined) ?? []).map(
    (e): CasMailboxException => ({ identities: [...(e.identities as string[])], ...pick<CasMailboxSettings>(e, CAS_MAILBOX_SETTING_KEYS) }),
  );
  return { ...optional(source, 'default', (d: Dict) => pick<CasMailboxSettings>(d, CAS_MAILBOX_SETTING_KEYS)), exceptions };
}

/** Builds the model from a document the schema and semantic checks accepted. */
export function normalisePolicy(doc: Dict): MailPolicy {
  const target = doc.target as Dict;
  const platform = target.platform as Target['platform'];
  const policy: MailPolicy = {
    apiVersion: 'mailpolicy/v1',
    kind: 'MailPolicy',
    metadata: pick<Metadata>(doc.metadata as Dict, METADATA_KEYS),
    target: {
      platform,
      ...(platform === 'exchangeOnline' ? { cloud: target.cloud as Target['cloud'] } : {}),
      organization: target.organization as string,
      ...(typeof target.minimumServerVersion === 'string' ? { minimumServerVersion: target.minimumServerVersion } : {}),
    },
    ...optional(doc, 'transportConfig', (t: Dict) => pick<TransportConfigPolicy>(t, TRANSPORT_CONFIG_KEYS)),
    ...optional(doc, 'authenticationPolicies', (list: Dict[]) =>
      list.map((p) => pick<AuthenticationPolicyDecl>(p, AUTHENTICATION_POLICY_KEYS)),
    ),
    ...optional(doc, 'casMailboxPlans', (list: Dict[]) => list.map((p) => pick<CasMailboxPlanDecl>(p, CAS_MAILBOX_PLAN_KEYS))),
    ...optional(doc, 'casMailboxes', casMailboxes),
    ...optional(doc, 'servers', (list: Dict[]) => list.map(server)),
    ...optional(doc, 'waivers', (list: Dict[]) => list.map((w) => pick<Waiver>(w, WAIVER_KEYS))),
  } as MailPolicy;
  return deepFreeze(policy);
}
