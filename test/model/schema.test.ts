/**
 * The schema is the one definition of the document: the generated validator and docs/schema.md
 * are derived from it (test/generated.test.ts keeps them current); its descriptions name cmdlets the catalog defines;
 * its closed sets agree with the model's constants.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaKeys } from '../../scripts/generate-schema-docs';
import { CATALOG } from '../../src/exchange/catalog';
import { CERTIFICATE_KEYS } from '../../src/model/certificate';
import { childPointer } from '../../src/model/json-pointer';
import { schemaPath } from '../../src/model/schema-document';
import { schemaErrors } from '../../src/model/schema-validator';
import { semanticIssues } from '../../src/model/semantic-checks';
import {
  AUTH_MECHANISMS,
  AUTHENTICATION_POLICY_KEYS,
  CAS_MAILBOX_PLAN_KEYS,
  CAS_MAILBOX_SETTING_KEYS,
  CLOUDS,
  LOGIN_TYPES,
  METADATA_KEYS,
  PLATFORMS,
  PROTOCOLS,
  PROTOCOL_SETTING_KEYS,
  SERVICE_KEYS,
  SERVICE_STATES,
  SMTP_CLIENT_SUBMISSION_KEYS,
  STARTUP_TYPES,
  TRANSPORT_CONFIG_KEYS,
  WAIVER_KEYS,
} from '../../src/model/types';
import { parseYamlDocument } from '../../src/model/yaml-document';

type Node = Readonly<Record<string, unknown>>;
const schemaText = readFileSync(schemaPath(), 'utf8');
const schema = JSON.parse(schemaText) as Node;
const defs = schema.$defs as Readonly<Record<string, Node>>;
const props = (node: Node | undefined): Readonly<Record<string, Node>> => (node?.properties as Readonly<Record<string, Node>>) ?? {};

describe('schema/mailpolicy.schema.json', () => {
  it('is JSON Schema 2020-12 with an $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(typeof schema.$id).toBe('string');
  });

  it('closes every mapping with additionalProperties: false', () => {
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      const n = node as Node;
      if (n.type === 'object' && n.properties && n.additionalProperties !== false && !/\/(if|then)(\/|$)/.test(path)) open.push(path);
      for (const [key, child] of Object.entries(n)) walk(child, `${path}/${key}`);
    };
    walk(schema, '#');
    expect(open).toEqual([]);
  });

  it('describes every key and maps each Exchange key to a cmdlet and parameter the catalog defines', () => {
    const keys = schemaKeys(schema);
    expect(keys.length).toBeGreaterThan(50);
    const unknown: string[] = [];
    for (const key of keys) {
      expect(key.text.length, key.path).toBeGreaterThan(10);
      for (const mapping of key.mapsTo) {
        const [cmdlet, parameter] = mapping.split(' -') as [string, string | undefined];
        const spec = (CATALOG as Readonly<Record<string, { parameters: Readonly<Record<string, unknown>> }>>)[cmdlet];
        if (!spec || (parameter !== undefined && !(parameter in spec.parameters))) unknown.push(`${key.path}: ${mapping}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(keys.find((k) => k.path === 'transportConfig.allowLegacyTLSClients')?.mapsTo).toEqual(['Set-TransportConfig -AllowLegacyTLSClients']);
  });

  it('keys of protocol settings are the model keys and the Set-PopSettings / Set-ImapSettings parameters (leading acronym lowercased: SSLBindings → sslBindings)', () => {
    // Each protocol's definition has its cmdlet's parameters (MessageRetrievalSortOrder is POP3's, ShowHiddenFoldersEnabled IMAP4's).
    const pop3 = Object.keys(props(defs.pop3Settings));
    const imap4 = Object.keys(props(defs.imap4Settings));
    expect([...new Set([...pop3, ...imap4])].sort()).toEqual([...PROTOCOL_SETTING_KEYS].sort());
    for (const [keys, cmdlet] of [[pop3, 'Set-PopSettings'], [imap4, 'Set-ImapSettings']] as const) {
      const parameters = Object.keys(CATALOG[cmdlet].parameters).filter((p) => p !== 'Server');
      expect(keys.map((k) => k.toLowerCase())).toEqual(parameters.map((p) => p.toLowerCase()));
    }
  });

  it('states every platform condition validate reports, so editors flag it too (validate words it per platform)', () => {
    const dir = join('test', 'fixtures', 'invalid');
    const stated: string[] = [];
    const unstated: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const parsed = parseYamlDocument(readFileSync(join(dir, file), 'utf8'), file);
      if (parsed.value === undefined) continue;
      // The node each error of a platform condition (an allOf `then`) is about: a missing key is about the key.
      const conditions = schemaErrors(parsed.value)
        .filter((e) => /\/then\//.test(e.schemaPath))
        .map((e) => (e.keyword === 'required' ? childPointer(e.instancePath, String(e.params.missingProperty)) : e.instancePath));
      for (const issue of semanticIssues(parsed.value).filter((i) => / for platform /.test(i.message))) {
        (conditions.includes(issue.pointer) ? stated : unstated).push(`${file}: ${issue.pointer}`);
      }
    }
    expect(unstated).toEqual([]);
    expect(stated.map((s) => s.replace(/^.*: /, '')).sort()).toEqual([
      '/authenticationPolicies/0/allowBasicAuthPop',
      '/casMailboxPlans',
      '/casMailboxes/default/smtpClientAuthenticationDisabled',
      '/casMailboxes/exceptions/0/smtpClientAuthenticationDisabled',
      '/servers',
      '/target/cloud',
      '/target/cloud',
      '/target/cloud',
      '/target/cloud',
      '/transportConfig',
    ]);
  });

  it('keys of every mapping are the model keys the loader copies, in the same order', () => {
    const top = props(schema);
    expect(Object.keys(props(top.metadata))).toEqual([...METADATA_KEYS]);
    expect(Object.keys(props(top.transportConfig))).toEqual([...TRANSPORT_CONFIG_KEYS]);
    expect(Object.keys(props(defs.authenticationPolicy))).toEqual([...AUTHENTICATION_POLICY_KEYS]);
    expect(Object.keys(props(defs.casMailboxPlan))).toEqual([...CAS_MAILBOX_PLAN_KEYS]);
    expect(Object.keys(props(defs.casMailboxSettings))).toEqual([...CAS_MAILBOX_SETTING_KEYS]);
    expect(Object.keys(props(defs.casMailboxException))).toEqual(['identities', ...CAS_MAILBOX_SETTING_KEYS]);
    // Other sections of a server (each its own kind) follow the protocols.
    expect(Object.keys(props(defs.server))).toEqual(['name', ...PROTOCOLS, 'certificates', 'smtpClientSubmission']);
    expect(Object.keys(props(defs.certificate))).toEqual([...CERTIFICATE_KEYS]);
    expect(Object.keys(props(defs.smtpClientSubmission))).toEqual([...SMTP_CLIENT_SUBMISSION_KEYS]);
    expect(Object.keys(props(defs.service))).toEqual([...SERVICE_KEYS]);
    expect(Object.keys(props(defs.waiver))).toEqual([...WAIVER_KEYS]);
  });

  it('closed sets agree with the model', () => {
    const target = props(props(schema).target);
    expect(target.platform?.enum).toEqual([...PLATFORMS]);
    expect(target.cloud?.enum).toEqual([...CLOUDS]);
    expect(props(defs.service).startupType?.enum).toEqual([...STARTUP_TYPES]);
    expect(props(defs.service).state?.enum).toEqual([...SERVICE_STATES]);
    expect(props(defs.pop3Settings).loginType?.enum).toEqual([...LOGIN_TYPES]);
    expect(props(defs.imap4Settings).loginType?.enum).toEqual([...LOGIN_TYPES]);
    expect((props(defs.smtpClientSubmission).authMechanism?.items as { enum?: unknown } | undefined)?.enum).toEqual([...AUTH_MECHANISMS]);
  });
});
