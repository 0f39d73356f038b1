import { describe, expect, it } from 'vitest';
import { documentFromResource, documentsFromStack } from '../../policies/resource-documents';
import { urnOf } from './analyzer-plugin';
import { onlineTarget, resource, serverTarget } from './resources';

describe('resource documents', () => {
  it('property paths follow the resource inputs', () => {
    const r = resource('PopSettings', 'p', { target: serverTarget, server: 'EX01', settings: { externalConnectionSettings: ['a:110'] } });
    const doc = documentFromResource({ ...r, urn: urnOf(r) })!;
    expect(doc.origin('/servers/0/pop3/settings/externalConnectionSettings/0')?.property).toBe('settings.externalConnectionSettings[0]');
    expect(doc.origin('/servers/0/pop3/settings')?.property).toBe('settings');
    expect(doc.origin('/transportConfig')).toBeUndefined();
  });

  it('one resource becomes a partial document; never reads inputs the model does not have', () => {
    const r = resource('ProtocolService', 'svc', { target: serverTarget, server: 'EX01', protocol: 'pop3', service: { state: 'Running' } });
    // The engine's proxy throws on unknown values: a getter stands in for settingsChangeId during preview.
    Object.defineProperty(r.props, 'settingsChangeId', { get: () => { throw new Error('unknown during preview'); }, enumerable: true });
    const doc = documentFromResource({ ...r, urn: urnOf(r) })!;
    expect(doc.policy.servers).toEqual([{ name: 'EX01', pop3: { service: { state: 'Running' } } }]);
    expect(doc.origin('/servers/0/pop3/service/state')).toEqual({ urn: urnOf(r), property: 'service.state' });
  });

  it('resources without a mailpolicy type or target give no document', () => {
    expect(documentFromResource({ type: 'aws:s3/bucket:Bucket', urn: 'u', props: {} })).toBeUndefined();
    const r = resource('TransportConfig', 't', { target: onlineTarget('worldwide'), transportConfig: {} });
    expect(documentFromResource({ ...r, urn: 'u', props: { ...r.props, target: { platform: 'mainframe' } } })).toBeUndefined();
  });

  it('a stack becomes one document per organisation with origins for every part', () => {
    const a = resource('AuthenticationPolicy', 'a', { target: onlineTarget('worldwide'), policy: { name: 'A', allowBasicAuthSmtp: true } });
    const b = resource('AuthenticationPolicy', 'b', { target: onlineTarget('worldwide'), policy: { name: 'B', allowBasicAuthPop: true } });
    const c1 = resource('CasMailboxProtocol', 'c1', { target: onlineTarget('worldwide'), casMailboxes: { default: { popEnabled: false }, exceptions: [{ identities: ['x@c'], popEnabled: true }] } });
    const c2 = resource('CasMailboxProtocol', 'c2', { target: onlineTarget('worldwide'), casMailboxes: { exceptions: [{ identities: ['y@c'], imapEnabled: true }] } });
    const pop = resource('PopSettings', 'p', { target: serverTarget, server: 'EX01', settings: { loginType: 'SecureLogin' } });
    const svc = resource('ProtocolService', 's', { target: serverTarget, server: 'ex01', protocol: 'pop3', service: { state: 'Running' } });
    const docs = documentsFromStack([a, b, c1, c2, pop, svc].map((r) => ({ ...r, urn: urnOf(r) })));
    expect(docs).toHaveLength(2);
    const [online, server] = docs;
    expect(online.policy.authenticationPolicies?.map((p) => p.name)).toEqual(['A', 'B']);
    expect(online.origin('/authenticationPolicies/1/allowBasicAuthPop')).toEqual({ urn: urnOf(b), property: 'policy.allowBasicAuthPop' });
    expect(online.policy.casMailboxes?.exceptions.map((e) => e.identities[0])).toEqual(['x@c', 'y@c']);
    expect(online.origin('/casMailboxes/exceptions/1/identities/0')).toEqual({ urn: urnOf(c2), property: 'casMailboxes.exceptions[0].identities[0]' });
    expect(online.origin('/casMailboxes/default/popEnabled')).toEqual({ urn: urnOf(c1), property: 'casMailboxes.default.popEnabled' });
    expect(server.policy.servers).toEqual([{ name: 'EX01', pop3: { settings: { loginType: 'SecureLogin' }, service: { state: 'Running' } } }]);
    expect(server.origin('/servers/0/pop3/service/state')?.urn).toBe(urnOf(svc));
    expect(server.origin('/servers/0/pop3/settings/loginType')?.urn).toBe(urnOf(pop));
  });

  it('certificates join their server in the stack document, beside its protocols, each at its own origin', () => {
    const pop = resource('PopSettings', 'p', { target: serverTarget, server: 'EX01', settings: { externalConnectionSettings: ['mail.contoso.com:995:SSL'] } });
    const first = resource('ExchangeCertificate', 'c1', { target: serverTarget, server: 'ex01', certificate: { thumbprint: 'A'.repeat(40), services: ['POP'], certificateDomains: ['old.contoso.com'] } });
    const second = resource('ExchangeCertificate', 'c2', { target: serverTarget, server: 'EX02', certificate: { thumbprint: 'B'.repeat(40), services: ['IMAP'] } });
    const [server] = documentsFromStack([pop, first, second].map((r) => ({ ...r, urn: urnOf(r) })));
    expect(server?.policy.servers).toEqual([
      { name: 'EX01', pop3: { settings: { externalConnectionSettings: ['mail.contoso.com:995:SSL'] } }, certificates: [{ thumbprint: 'A'.repeat(40), services: ['POP'], certificateDomains: ['old.contoso.com'] }] },
      { name: 'EX02', certificates: [{ thumbprint: 'B'.repeat(40), services: ['IMAP'] }] },
    ]);
    expect(server?.origin('/servers/0/certificates/0/certificateDomains/0')).toEqual({ urn: urnOf(first), property: 'certificate.certificateDomains[0]' });
    expect(server?.origin('/servers/1/certificates/0/services')).toEqual({ urn: urnOf(second), property: 'certificate.services' });
  });

  it('a server\'s Client Frontend connector joins the same server as its protocols, and a finding leads back to it', () => {
    const pop = resource('PopSettings', 'p', { target: serverTarget, server: 'EX01', settings: { loginType: 'SecureLogin' } });
    const connector = resource('ReceiveConnector', 'c', { target: serverTarget, server: 'ex01', smtpClientSubmission: { authMechanism: ['Tls', 'BasicAuth'], requireTLS: true } });
    const [server] = documentsFromStack([pop, connector].map((r) => ({ ...r, urn: urnOf(r) })));
    expect(server?.policy.servers).toEqual([{ name: 'EX01', pop3: { settings: { loginType: 'SecureLogin' } }, smtpClientSubmission: { authMechanism: ['Tls', 'BasicAuth'], requireTLS: true } }]);
    expect(server?.origin('/servers/0/smtpClientSubmission/authMechanism')).toEqual({ urn: urnOf(connector), property: 'smtpClientSubmission.authMechanism' });
  });
});
