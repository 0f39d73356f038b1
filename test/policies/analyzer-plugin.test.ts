import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as pb from '@pulumi/pulumi/proto/analyzer_pb';
import { RULES, packPolicyName, strongestEnforcement } from '../../src/rules';
import { AnalyzerPlugin, assertPackBuilt, urnOf, ROOT } from './analyzer-plugin';
import { onlineTarget, resource, serverTarget } from './resources';

let plugin: AnalyzerPlugin;

beforeAll(async () => {
  assertPackBuilt();
  plugin = await AnalyzerPlugin.start();
  await plugin.configureStack({ 'pulumi:project': 'mailpolicy' });
}, 60_000);

afterAll(async () => plugin?.stop());

beforeEach(async () => plugin.configure({}));

const legacyTls = (cloud: Parameters<typeof onlineTarget>[0]) =>
  resource('TransportConfig', 'transport', { target: onlineTarget(cloud), transportConfig: { allowLegacyTLSClients: true } });

describe('the policy pack through the real analyzer plugin (run-policy-pack over gRPC)', () => {
  it('GetAnalyzerInfo lists one policy per rule with its enforcement, type and config schema', async () => {
    const info = await plugin.info();
    expect(info.getName()).toBe('mailpolicy');
    const rootVersion = (require(`${ROOT}/package.json`) as { version: string }).version;
    expect(info.getVersion()).toBe(rootVersion);
    const policies = info.getPoliciesList();
    expect(policies.map((p) => p.getName())).toEqual(RULES.map(packPolicyName));
    for (const rule of RULES) {
      const p = policies.find((x) => x.getName() === packPolicyName(rule))!;
      expect(p.getEnforcementlevel()).toBe(strongestEnforcement(rule) === 'mandatory' ? pb.EnforcementLevel.MANDATORY : pb.EnforcementLevel.ADVISORY);
      expect(p.getPolicyType()).toBe(rule.crossResource ? pb.PolicyType.POLICY_TYPE_STACK : pb.PolicyType.POLICY_TYPE_RESOURCE);
      expect(p.getUrl()).toContain(`docs/rules/${rule.id}.md`);
      const props = Object.keys(p.getConfigschema()!.getProperties()!.toJavaScript());
      expect(props).toContain('asOf');
      expect(props.includes('waivers')).toBe(rule.waivable);
    }
  });

  it('Analyze: legacy TLS in GCC High is a mandatory violation on the resource', async () => {
    const r = legacyTls('gccHigh');
    const ds = await plugin.analyze(r);
    expect(ds).toEqual([
      expect.objectContaining({ policyName: 'mp-exo-001', enforcementLevel: 'mandatory', urn: urnOf(r), message: expect.stringContaining('MP-EXO-001v1: allowLegacyTLSClients is true for a GCC High tenant') }),
    ]);
    expect(ds[0].message).toContain('[transportConfig.allowLegacyTLSClients]');
  });

  it('Analyze: per-cloud enforcement — SMTP AUTH org-wide is advisory worldwide, mandatory in DoD', async () => {
    const smtp = (cloud: Parameters<typeof onlineTarget>[0]) => resource('TransportConfig', 't', { target: onlineTarget(cloud), transportConfig: { smtpClientAuthenticationDisabled: false } });
    expect((await plugin.analyze(smtp('worldwide'))).map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-exo-003:advisory']);
    expect((await plugin.analyze(smtp('dod'))).map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-exo-003:mandatory']);
  });

  it('Analyze: per-mailbox exceptions and on-premises settings resources', async () => {
    const cas = resource('CasMailboxProtocol', 'mailboxes', {
      target: onlineTarget('gcc'),
      casMailboxes: { default: { popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: null }, exceptions: [{ identities: ['scanner@gcc.example'], smtpClientAuthenticationDisabled: false }] },
    });
    const ds = await plugin.analyze(cas);
    expect(ds.map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-exo-004:mandatory']);
    expect(ds[0].message).toContain('[casMailboxes.exceptions[0].identities[0]]');

    const pop = resource('PopSettings', 'ex01-pop', { target: serverTarget, server: 'EX01', settings: { externalConnectionSettings: ['mail.woodgrove.com:110'], loginType: 'PlainTextLogin' } });
    expect((await plugin.analyze(pop)).map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-srv-001:mandatory', 'mp-srv-002:mandatory']);
  });

  it('Analyze: a resource that is not a mailpolicy resource is not applicable', async () => {
    expect(await plugin.analyze({ type: 'aws:s3/bucket:Bucket', name: 'b', props: { bucket: 'x' } })).toEqual([]);
  });

  it('--policy-pack-config: disable, lower, raise, waive and date a policy', async () => {
    await plugin.configure({ 'mp-exo-001': { enforcementLevel: 'disabled' } });
    expect(await plugin.analyze(legacyTls('gccHigh'))).toEqual([]);

    await plugin.configure({ 'mp-exo-001': { enforcementLevel: 'advisory' } });
    expect((await plugin.analyze(legacyTls('gccHigh')))[0].enforcementLevel).toBe('advisory');

    await plugin.configure({ 'mp-exo-002': { enforcementLevel: 'mandatory', asOf: '2027-02-01' } });
    const raised = await plugin.analyze(legacyTls('worldwide'));
    expect(raised.map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-exo-002:mandatory']);
    expect(raised[0].message).toContain('blocked since 2026-12-31');

    await plugin.configure({ 'mp-exo-002': { asOf: '2026-05-01', waivers: [{ reason: 'scanner replacement ordered', expires: '2026-09-30' }] } });
    const waived = await plugin.analyze(legacyTls('worldwide'));
    expect(waived.map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-exo-002:advisory']);
    expect(waived[0].message).toMatch(/^waived: MP-EXO-002v1/);
  });

  it('--policy-pack-config: an expired waiver fails closed, a waiver of a non-waivable rule is rejected', async () => {
    const smtp = resource('TransportConfig', 't', { target: onlineTarget('gccHigh'), transportConfig: { smtpClientAuthenticationDisabled: false } });
    await plugin.configure({ 'mp-exo-003': { asOf: '2027-01-15', waivers: [{ reason: 'old', expires: '2027-01-14' }] } });
    const expired = await plugin.analyze(smtp);
    expect(expired.map((d) => `${d.policyName}:${d.enforcementLevel}`)).toEqual(['mp-exo-003:mandatory', 'mp-exo-003:mandatory']);
    expect(expired[1].message).toContain('MP-WVR-001v1: waiver for MP-EXO-003 expired on 2027-01-14');
    expect(expired[1].message).toContain('[config mp-exo-003.waivers[0]]');

    await plugin.configure({ 'mp-exo-001': { waivers: [{ reason: 'please', expires: '2099-01-01' }] } });
    const rejected = await plugin.analyze(legacyTls('dod'));
    expect(rejected.map((d) => d.message.split(':')[0])).toEqual(['MP-EXO-001v1', 'MP-WVR-002v1']);
  });

  it('mandatoryEverywhere raises the advisory findings of a per-cloud rule', async () => {
    await plugin.configure({ 'mp-exo-003': { mandatoryEverywhere: true } });
    const r = resource('TransportConfig', 't', { target: onlineTarget('worldwide'), transportConfig: { smtpClientAuthenticationDisabled: false } });
    expect((await plugin.analyze(r)).map((d) => d.enforcementLevel)).toEqual(['mandatory']);
  });

  it('AnalyzeStack: cross-resource rules see every mailpolicy resource and report on the right one', async () => {
    const transport = resource('TransportConfig', 'transport', { target: onlineTarget('worldwide'), transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true } });
    const mailboxes = resource('CasMailboxProtocol', 'mailboxes', { target: onlineTarget('worldwide'), casMailboxes: { default: { popEnabled: false, imapEnabled: false }, exceptions: [] } });
    const service = resource('ProtocolService', 'ex01-pop-service', { target: serverTarget, server: 'EX01', protocol: 'pop3', service: { startupType: 'Automatic', state: 'Running' } });
    const settings = resource('PopSettings', 'ex01-pop', { target: serverTarget, server: 'EX01', settings: { loginType: 'SecureLogin' } });
    const other = { type: 'random:index/randomId:RandomId', name: 'r', props: { byteLength: 4 } };

    const ds = await plugin.analyzeStack([transport, mailboxes, service, settings, other]);
    expect(ds.map((d) => [d.policyName, d.enforcementLevel, d.urn])).toEqual([
      ['mp-exo-007', 'advisory', urnOf(transport)],
      ['mp-srv-004', 'advisory', urnOf(service)],
      // The settings offer TLS (Exchange's default SSL bindings) without extendedProtectionPolicy.
      ['mp-srv-007', 'advisory', urnOf(settings)],
    ]);
    expect(ds[1].message).toContain('[service.state]');

    const withCert = resource('PopSettings', 'ex01-pop', { target: serverTarget, server: 'ex01', settings: { x509CertificateName: 'mail.woodgrove.com', extendedProtectionPolicy: 'Require' } });
    expect((await plugin.analyzeStack([service, withCert])).map((d) => d.policyName)).toEqual([]);
  });
});
