/**
 * Declared state is never silently ignored (issue 11, item 3): for EVERY leaf key the schema
 * allows in a document, a document declaring a value that differs from the simulated
 * organisation makes `mailpolicy plan` report a change and `mailpolicy drift` report that key's
 * JSON pointer. The keys come from schema/mailpolicy.schema.json, not from a list kept here, so a
 * key added to the schema but not compared by the planner fails this test. The only keys left
 * out are those that are not Exchange settings (listed with why).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childPointer } from '../../src/model/json-pointer';
import { loadPolicyText } from '../../src/model/load';
import { loadSchemaDocument, resolveRef, type SchemaNode } from '../../src/model/schema-document';
import { CAS_MAILBOX_OPTION_GROUPS, type Platform } from '../../src/model/types';
import { defaultCertificate } from '../../src/simulator/certificates';
import { newOrganisation } from '../../src/simulator/defaults';
import { serialiseState } from '../../src/simulator/state';
import { runCli } from '../cli/run-cli';
import { tempDir } from './simulated';

/** A leaf key path as the schema nests it: property names, `[]` for "an item of this list". */
type Path = readonly string[];

interface Leaf {
  readonly path: Path;
  /** The leaf's schema, `$ref` followed. */
  readonly schema: SchemaNode;
  /** The `$ref` the leaf's schema named, if any (`#/$defs/timeout`). */
  readonly ref: string | undefined;
}

const shown = (p: Path): string => p.join('.').replace(/\.\[\]/g, '[]');

/** Keys that are not Exchange settings, so no plan or drift can be about them. */
const NOT_SETTINGS: Readonly<Record<string, string>> = {
  apiVersion: 'the document format',
  kind: 'the document format',
  'metadata.name': 'names the document',
  'metadata.description': 'text for readers',
  'target.platform': 'which organisation: checked against the connection, a mismatch is an error',
  'target.cloud': 'which organisation: checked against the connection, a mismatch is an error',
  'target.organization': 'which organisation: checked against the connection, a mismatch is an error',
  'target.minimumServerVersion': 'an expectation no cmdlet sets (a server is upgraded, not configured): no plan can change it; drift compares it with each server\'s AdminDisplayVersion and reports a server below it at this key (test/cli/server-version.test.ts)',
  'authenticationPolicies[].name': 'names the Exchange object whose settings are compared',
  'authenticationPolicies[].assignedTo':
    'names users: each entry is compared (Get-User, Set-User -AuthenticationPolicy) and drifts at its own item, assignedTo/<j> (test/cli/authentication-policy-assignment.test.ts)',
  'authenticationPolicies[].stsRefreshTokensValidFromNow': 'an instruction to the plan (a token refresh written beside assignments), not a state Exchange holds to compare (test/cli/authentication-policy-assignment.test.ts)',
  'casMailboxPlans[].identity': 'names the Exchange object whose settings are compared',
  'casMailboxes.exceptions[].identities': 'names the Exchange objects whose settings are compared',
  'servers[].name': 'names the Exchange object whose settings are compared',
  'servers[].certificates[].thumbprint': 'names the Exchange object whose settings are compared',
  'servers[].certificates[].certificateDomains': 'what the certificate holds, stated for the rules (MP-CRT-001): no cmdlet changes it; plan and drift note a difference from Get-ExchangeCertificate (test/cli/certificates.test.ts)',
  'servers[].certificates[].notAfter': 'what the certificate holds, stated for the rules (MP-CRT-002): no cmdlet changes it; plan and drift note a difference from Get-ExchangeCertificate (test/cli/certificates.test.ts)',
  'waivers[].rule': 'read by the policy rules only',
  'waivers[].reason': 'read by the policy rules only',
  'waivers[].expires': 'read by the policy rules only',
  'waivers[].scope': 'read by the policy rules only',
};

/** Every leaf of the schema: objects are walked into, lists of objects through their items. */
function leaves(node: SchemaNode, at: Path = []): Leaf[] {
  const resolved = resolveRef(node);
  const properties = resolved.properties as Readonly<Record<string, SchemaNode>> | undefined;
  if (properties) return Object.entries(properties).flatMap(([key, child]) => leaves(child, [...at, key]));
  const items = resolved.items as SchemaNode | undefined;
  if (resolved.type === 'array' && items && resolveRef(items).properties) return leaves(items, [...at, '[]']);
  return [{ path: at, schema: resolved, ref: typeof node.$ref === 'string' ? node.$ref : undefined }];
}

/** Values a string leaf can take, by the definition it uses (or its key): a new kind of string needs a line here. */
const STRING_SAMPLES: Readonly<Record<string, readonly unknown[]>> = {
  '#/$defs/timeout': ['00:00:45'],
  '#/$defs/connectionSettings': [['mail.fabrikam.com:995:SSL']],
  '#/$defs/bindings': [['192.0.2.10:995']],
  x509CertificateName: ['mail.fabrikam.com'],
  // A service the server's default certificate is not enabled for (it has IMAP, POP, IIS, SMTP).
  services: [['UM']],
  '#/$defs/byteQuantity': ['10 MB', 'Unlimited'],
  banner: ['Fabrikam mail is ready.'],
  logFileLocation: ['D:\\Logs\\Protocol'],
  owaServerUrl: ['https://mail.fabrikam.com/owa'],
  fqdn: ['mail.fabrikam.com'],
  tlsCertificateName: ['<I>CN=Fabrikam CA<S>CN=mail.fabrikam.com'],
  authMechanism: [['Tls', 'BasicAuth', 'BasicAuthRequireTLS']],
  bindings: [['192.0.2.10:587']],
};

function candidates(leaf: Leaf): readonly unknown[] {
  const { schema } = leaf;
  if (Array.isArray(schema.enum)) return schema.enum as unknown[];
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  const out: unknown[] = [];
  if (types.includes('boolean')) out.push(true, false);
  if (types.includes('null')) out.push(null);
  if (types.includes('integer')) out.push(schema.minimum ?? 1, 12345);
  const samples = STRING_SAMPLES[leaf.ref ?? ''] ?? STRING_SAMPLES[leaf.path[leaf.path.length - 1] ?? ''];
  if (samples) out.push(...samples);
  return out;
}

/** The keys a list item needs beside the one under test: the Exchange object it names, which the organisation below has. */
const ITEM_IDENTITY: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  authenticationPolicies: { name: 'Legacy Protocols' },
  casMailboxPlans: { identity: 'ExchangeOnlineEnterprise' },
  'casMailboxes.exceptions': { identities: ['user000001@contoso.com'] },
  servers: { name: 'EX01' },
  // The certificate Exchange setup installs on EX01 (the simulated organisation below has it).
  'servers.certificates': { thumbprint: defaultCertificate('EX01', 'ex01.contoso.com').thumbprint, services: ['POP'] },
};

/**
 * Keys that take effect only beside another (validate refuses them alone), and what must stand
 * beside them: Set-CASMailbox's options need their protocol's *UseProtocolDefaults false
 * (Set-CASMailbox.md; the groups are the model's).
 */
const COMPANIONS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = Object.fromEntries(
  CAS_MAILBOX_OPTION_GROUPS.flatMap((group) => group.options.map((option) => [option, { [group.useProtocolDefaults]: false }])),
);

const TARGETS: Readonly<Record<Platform, object>> = {
  exchangeOnline: { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' },
  exchangeServer: { platform: 'exchangeServer', organization: 'contoso.com' },
};

/** A document declaring only `leaf` = `value` (and the names its list items need); its JSON pointer. */
function documentWith(platform: Platform, leaf: Leaf, value: unknown): { doc: Record<string, unknown>; pointer: string } {
  const doc: Record<string, unknown> = { apiVersion: 'mailpolicy/v1', kind: 'MailPolicy', metadata: { name: 'every-key' }, target: TARGETS[platform] };
  let node: Record<string, unknown> = doc;
  let pointer = '';
  const walked: string[] = [];
  leaf.path.forEach((segment, i) => {
    const last = i === leaf.path.length - 1;
    if (segment === '[]') {
      const item = { ...ITEM_IDENTITY[walked.join('.')] };
      (node[walked[walked.length - 1] as string] as unknown[]).length = 0;
      (node[walked[walked.length - 1] as string] as unknown[]).push(item);
      pointer = childPointer(pointer, 0);
      node = item;
      return;
    }
    walked.push(segment);
    pointer = childPointer(pointer, segment);
    if (last) {
      Object.assign(node, COMPANIONS[segment]);
      node[segment] = value;
    } else {
      node[segment] = leaf.path[i + 1] === '[]' ? [] : (node[segment] ?? {});
      if (leaf.path[i + 1] !== '[]') node = node[segment] as Record<string, unknown>;
    }
  });
  return { doc, pointer };
}

const dir = tempDir('every-key');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Simulated organisations with Exchange's defaults, plus an authentication policy that is the organisation default. */
const STATES: Readonly<Record<Platform, string>> = {
  exchangeOnline: (() => {
    const state = newOrganisation({ platform: 'exchangeOnline', organization: 'contoso.onmicrosoft.com', mailboxes: 3 });
    state.authenticationPolicies = [{ name: 'Legacy Protocols', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false }];
    state.organizationConfig = { defaultAuthenticationPolicy: 'Legacy Protocols' };
    const file = path.join(dir, 'online.json');
    fs.writeFileSync(file, serialiseState(state));
    return file;
  })(),
  exchangeServer: (() => {
    const file = path.join(dir, 'onprem.json');
    fs.writeFileSync(file, serialiseState(newOrganisation({ platform: 'exchangeServer', organization: 'contoso.com', mailboxes: 3, servers: ['EX01'] })));
    return file;
  })(),
};

interface Outcome {
  readonly valid: boolean;
  readonly planned: boolean;
  readonly driftPointers: readonly string[];
}

async function tryValue(platform: Platform, leaf: Leaf, value: unknown, n: number): Promise<Outcome & { pointer: string }> {
  const { doc, pointer } = documentWith(platform, leaf, value);
  const text = JSON.stringify(doc, null, 2);
  const file = path.join(dir, `doc-${n}.mailpolicy.yaml`);
  if (!loadPolicyText(text, file).ok) return { valid: false, planned: false, driftPointers: [], pointer };
  fs.writeFileSync(file, text);
  const plan = await runCli(['plan', file, '--backend', 'simulator', '--state', STATES[platform], '--format', 'json']);
  const planned = plan.code === 1 && (JSON.parse(plan.stdout) as { summary: { changes: number } }).summary.changes > 0;
  const drift = await runCli(['drift', file, '--backend', 'simulator', '--state', STATES[platform], '--format', 'json']);
  const driftPointers = drift.code === 1 ? (JSON.parse(drift.stdout) as { drift: { pointer: string }[] }).drift.map((d) => d.pointer) : [];
  return { valid: true, planned, driftPointers, pointer };
}

const ALL = leaves(loadSchemaDocument());
const SETTINGS = ALL.filter((leaf) => NOT_SETTINGS[shown(leaf.path)] === undefined);

describe('every declared key is compared (plan and drift)', () => {
  it('the schema has the keys this test knows to leave out, and settings beside them', () => {
    expect(Object.keys(NOT_SETTINGS).filter((key) => !ALL.some((leaf) => shown(leaf.path) === key))).toEqual([]);
    expect(SETTINGS.length).toBeGreaterThanOrEqual(40);
  });

  let n = 0;
  it.each(SETTINGS.map((leaf) => [shown(leaf.path), leaf] as const))('%s: a differing value is planned and drifts at its pointer', async (_name, leaf) => {
    expect(candidates(leaf), 'no sample value for this kind of key: add one to STRING_SAMPLES').not.toEqual([]);
    const results: string[] = [];
    let validSomewhere = false;
    for (const platform of ['exchangeOnline', 'exchangeServer'] as const) {
      let found = false;
      let valid = false;
      for (const value of candidates(leaf)) {
        const outcome = await tryValue(platform, leaf, value, ++n);
        valid ||= outcome.valid;
        results.push(`${platform} ${JSON.stringify(value)}: ${outcome.valid ? `plan ${outcome.planned ? 'changes' : 'no change'}, drift at ${JSON.stringify(outcome.driftPointers)}` : 'not valid here'}`);
        if (outcome.planned && outcome.driftPointers.includes(outcome.pointer)) {
          found = true;
          break;
        }
      }
      validSomewhere ||= valid;
      // On every platform where the key is valid, some value must be planned and reported at its pointer.
      if (valid) expect(found, results.join('\n')).toBe(true);
    }
    expect(validSomewhere, results.join('\n')).toBe(true);
  });
});
