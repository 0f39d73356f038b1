import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { loadSchemaDocument } from '../../src/model/schema-document';
import { POLICIES, PACK_ARGS } from '../../policies/definitions';
import { RULES, packPolicyName } from '../../src/rules';
import { ROOT, assertPackBuilt, urnOf, type TestResource } from './analyzer-plugin';
import { onlineTarget, resource, serverTarget } from './resources';

class NotApplicable extends Error {}

interface Reported {
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel?: string;
}

function policy<T>(name: string): T {
  const p = POLICIES.find((x) => x.name === name);
  if (!p) throw new Error(`no policy ${name}`);
  return p as T;
}

/** Calls a resource policy the way the policy server does, collecting what it reports. */
async function validateResource(name: string, r: TestResource, config: object = {}): Promise<Reported[] | 'not applicable'> {
  const out: Reported[] = [];
  const args = {
    type: r.type,
    props: r.props,
    urn: urnOf(r),
    name: r.name,
    getConfig: () => config,
    notApplicable: (): never => {
      throw new NotApplicable();
    },
  } as unknown as ResourceValidationArgs;
  const report = (v: unknown, urn?: string) => out.push(typeof v === 'string' ? { message: v, urn } : (v as Reported));
  try {
    const validate = policy<ResourceValidationPolicy>(name).validateResource;
    await (Array.isArray(validate) ? validate[0] : validate!)(args, report);
  } catch (e) {
    if (e instanceof NotApplicable) return 'not applicable';
    throw e;
  }
  return out;
}

async function validateStack(name: string, resources: readonly TestResource[], config: object = {}): Promise<Reported[] | 'not applicable'> {
  const out: Reported[] = [];
  const args = {
    resources: resources.map((r) => ({ ...r, urn: urnOf(r) })),
    getConfig: () => config,
    notApplicable: (): never => {
      throw new NotApplicable();
    },
  } as unknown as StackValidationArgs;
  try {
    await policy<StackValidationPolicy>(name).validateStack(args, (v: unknown, urn?: string) => out.push(typeof v === 'string' ? { message: v, urn } : (v as Reported)));
  } catch (e) {
    if (e instanceof NotApplicable) return 'not applicable';
    throw e;
  }
  return out;
}

describe('policy definitions, called directly', () => {
  it('one policy per rule, resource or stack policy as the rule needs', () => {
    expect(POLICIES.map((p) => p.name)).toEqual(RULES.map(packPolicyName));
    for (const rule of RULES) {
      const p = policy<Record<string, unknown>>(packPolicyName(rule));
      expect('validateStack' in p).toBe(rule.crossResource);
    }
    expect(PACK_ARGS.policies).toBe(POLICIES);
  });

  it('a resource policy reports the finding with its level, URN and property path', async () => {
    const r = resource('TransportConfig', 't', { target: onlineTarget('worldwide'), transportConfig: { smtpClientAuthenticationDisabled: false } });
    expect(await validateResource('mp-exo-003', r)).toEqual([
      { message: expect.stringMatching(/^MP-EXO-003v1: SMTP AUTH client submission is enabled .* \[transportConfig\.smtpClientAuthenticationDisabled\]$/), urn: urnOf(r), enforcementLevel: 'advisory' },
    ]);
    const gov = resource('TransportConfig', 't', { target: onlineTarget('gccHigh'), transportConfig: { smtpClientAuthenticationDisabled: false } });
    const mandatory = (await validateResource('mp-exo-003', gov)) as Reported[];
    expect(mandatory).toHaveLength(1);
    // No level of its own: the policy's configured level (mandatory by default) applies.
    expect(mandatory[0].enforcementLevel).toBeUndefined();
  });

  it('is not applicable to other resources, and fails loudly on a bad asOf', async () => {
    expect(await validateResource('mp-exo-001', { type: 'aws:s3/bucket:Bucket', name: 'b', props: {} })).toBe('not applicable');
    const r = resource('TransportConfig', 't', { target: onlineTarget('gcc'), transportConfig: { allowLegacyTLSClients: true } });
    await expect(validateResource('mp-exo-001', r, { asOf: '2027-13-01' })).rejects.toThrow('config asOf "2027-13-01" is not a calendar date');
  });

  it('tolerates incomplete inputs (missing exceptions, non-string identities)', async () => {
    const r = { type: resource('CasMailboxProtocol', 'c', { target: onlineTarget('dod'), casMailboxes: { exceptions: [] } }).type, name: 'c', props: { target: onlineTarget('dod'), casMailboxes: { exceptions: [{ identities: ['a@x', 7], popEnabled: true }, 'junk'] } } };
    expect(((await validateResource('mp-exo-005', r)) as Reported[]).map((d) => d.message)).toEqual(['MP-EXO-005v1: POP3 is enabled for mailbox a@x by an exception [casMailboxes.exceptions[0].identities[0]]']);
  });

  it('a stack policy merges resources per organisation and server', async () => {
    const service = resource('ProtocolService', 's', { target: serverTarget, server: 'EX01', protocol: 'imap4', service: { state: 'Running', startupType: 'Automatic' } });
    const otherServer = resource('ImapSettings', 'i', { target: serverTarget, server: 'EX02', settings: { x509CertificateName: 'mail.woodgrove.com' } });
    const otherOrg = resource('ImapSettings', 'j', { target: { ...serverTarget, organization: 'other.local' }, server: 'EX01', settings: { x509CertificateName: 'mail.other.com' } });
    expect(await validateStack('mp-srv-004', [service, otherServer, otherOrg])).toEqual([
      expect.objectContaining({ urn: urnOf(service), message: expect.stringContaining('EX01 IMAP4: the service is declared Running') }),
    ]);
  });

  it('a rule runs, and reports its config waivers\' problems, only on resources of the sections it reads', async () => {
    const expired = { asOf: '2027-01-15', waivers: [{ reason: 'scanner replacement', expires: '2027-01-14' }] };
    const target = onlineTarget('worldwide');
    const transport = resource('TransportConfig', 't', { target, transportConfig: { smtpClientAuthenticationDisabled: true } });
    const plan = resource('CasMailboxPlan', 'p', { target, plan: { identity: 'ExchangeOnlineEnterprise', popEnabled: false } });
    const auth = resource('AuthenticationPolicy', 'a', { target, policy: { name: 'Block Basic', allowBasicAuthSmtp: false } });
    for (const other of [transport, plan, auth]) expect(await validateResource('mp-exo-004', other, expired)).toBe('not applicable');
    const mailboxes = resource('CasMailboxProtocol', 'm', { target, casMailboxes: { exceptions: [] } });
    expect(await validateResource('mp-exo-004', mailboxes, expired)).toEqual([
      { message: 'MP-WVR-001v1: waiver for MP-EXO-004 expired on 2027-01-14 (as of 2027-01-15); its findings count again [config mp-exo-004.waivers[0]]', urn: urnOf(mailboxes) },
    ]);
  });

  it('a stack policy reports its config waivers\' problems once, and is not applicable without the sections it reads', async () => {
    const expired = { asOf: '2027-01-15', waivers: [{ reason: 'scanner replacement', expires: '2027-01-14' }] };
    const legacyTls = (org: string) => resource('TransportConfig', org, { target: { ...onlineTarget('worldwide'), organization: org }, transportConfig: { allowLegacyTLSClients: true } });
    expect(await validateStack('mp-exo-007', [legacyTls('a.onmicrosoft.com'), legacyTls('b.onmicrosoft.com')], expired)).toEqual([
      { message: 'MP-WVR-001v1: waiver for MP-EXO-007 expired on 2027-01-14 (as of 2027-01-15); its findings count again [config mp-exo-007.waivers[0]]' },
    ]);
    const service = resource('ProtocolService', 's', { target: serverTarget, server: 'EX01', protocol: 'pop3', service: { state: 'Running', startupType: 'Automatic' } });
    expect(await validateStack('mp-exo-007', [service], expired)).toBe('not applicable');
  });

  it('config waivers are the schema\'s waiver without `rule`: a blank reason is refused like in a document', () => {
    const defs = loadSchemaDocument().$defs as Record<string, { properties: Record<string, Record<string, unknown>>; required: string[] }>;
    const { rule: _rule, ...documentProperties } = defs.waiver.properties;
    for (const rule of RULES) {
      const schema = policy<ResourceValidationPolicy>(packPolicyName(rule)).configSchema!;
      expect(schema.properties.asOf.pattern).toBe(defs.waiver.properties.expires.pattern);
      if (!rule.waivable) {
        expect(schema.properties.waivers).toBeUndefined();
        continue;
      }
      const items = schema.properties.waivers.items as { properties: Record<string, Record<string, unknown>>; required: string[]; additionalProperties: boolean };
      expect(items.required).toEqual(['reason', 'expires']);
      expect(items.additionalProperties).toBe(false);
      expect(Object.keys(items.properties)).toEqual(Object.keys(documentProperties));
      for (const [key, node] of Object.entries(documentProperties)) {
        const { patternErrorMessage: _m, ...expected } = node;
        expect(items.properties[key]).toEqual(expected);
      }
    }
    const validate = new Ajv({ strict: false }).compile(policy<ResourceValidationPolicy>('mp-exo-004').configSchema!.properties.waivers);
    expect(validate([{ reason: 'scanner, CHG-1234', expires: '2027-03-31', scope: 'scanner@contoso.com' }])).toBe(true);
    for (const bad of [{ reason: ' ', expires: '2027-03-31' }, { reason: 'r', expires: '2027-3-31' }, { reason: 'r', expires: '2027-03-31', scope: '\t' }, { rule: 'MP-EXO-004', reason: 'r', expires: '2027-03-31' }]) {
      expect(validate([bad]), JSON.stringify(bad)).toBe(false);
    }
  });

  it('importing the definitions starts no server (the compiled module loads and the process exits)', () => {
    assertPackBuilt();
    const run = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(ROOT, 'dist/policies/definitions.js'))})`], { encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
  });
});
