/**
 * Each kind's module says which resources a document declares of it (`desired`) and writes its
 * part of an exported document (`exported`); desiredResources and the export iterate the
 * registry. These check that the parts agree with each other: a kind's resources land in the
 * section its documentPart says, and an exported organisation that has something of every kind
 * declares resources of every kind.
 */
import { describe, expect, it } from 'vitest';
import { exportDocument, type OrganisationSnapshot } from '../../src/export/document';
import { summariseMailboxes } from '../../src/export/summarise-mailboxes';
import { CLIENT_FRONTEND_DEFAULTS } from '../../src/exchange/defaults';
import type { MailPolicy } from '../../src/model/types';
import type { ActualReceiveConnectorSettings } from '../../src/reconcile/kinds/receive-connector-read';
import { KINDS, kindModule } from '../../src/reconcile/kinds/registry';
import { RESOURCE_KINDS, type ResourceInputsByKind, type ResourceKind } from '../../src/reconcile/kinds/types';
import { desiredResources, type DesiredResource } from '../../src/reconcile/resources';
import { imapServices, mailbox, popServices, popSettings } from './fixtures';

const ONLINE: OrganisationSnapshot = {
  connection: { platform: 'exchangeOnline', cloud: 'worldwide', organization: 'contoso.onmicrosoft.com' },
  transportConfig: { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true },
  authenticationPolicies: { policies: [{ name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false }], defaultPolicy: null },
  casMailboxPlans: [{ identity: 'ExchangeOnlineEnterprise-6d3c2a1b-0000-4000-8000-000000000001', popEnabled: false, imapEnabled: true }],
  casMailboxes: summariseMailboxes([mailbox('a@contoso.com', { popEnabled: false }), mailbox('b@contoso.com')], true),
};

/** A complete read-back of Client Frontend: Exchange's documented defaults (the catalog's), whatever settings the catalog has. */
const CLIENT_FRONTEND_READ_BACK = CLIENT_FRONTEND_DEFAULTS as ActualReceiveConnectorSettings;

const ON_PREMISES: OrganisationSnapshot = {
  connection: { platform: 'exchangeServer', organization: 'woodgrove.local' },
  servers: [
    {
      name: 'EX01',
      protocols: {
        pop3: { settings: popSettings('EX01'), service: popServices(['Automatic', 'Running']) },
        imap4: { settings: popSettings('EX01'), service: imapServices(['Disabled', 'Stopped']) },
      },
      clientFrontend: { server: 'EX01', name: 'Client Frontend EX01', settings: { ...CLIENT_FRONTEND_READ_BACK, requireTLS: true, authMechanism: ['Tls'], fqdn: null, tlsCertificateName: null, bindings: ['0.0.0.0:587'], advertiseClientSettings: false } },
      certificates: [{ thumbprint: 'A'.repeat(40), services: ['POP', 'IMAP'], subject: 'CN=mail.woodgrove.com', issuer: 'CN=CA', certificateDomains: ['mail.woodgrove.com'], notAfter: '2027-06-01T00:00:00.000Z' }],
    },
  ],
};

const exported = (snapshot: OrganisationSnapshot): MailPolicy => exportDocument(snapshot).policy;

function inputOf(resource: DesiredResource): (key: string) => unknown {
  return (key) => (resource.inputs as unknown as Record<string, unknown>)[key];
}

describe("kind modules' desired resources and export parts", () => {
  it('an organisation exported with something of every kind declares resources of every kind', () => {
    const kinds = new Set([...desiredResources(exported(ONLINE)), ...desiredResources(exported(ON_PREMISES))].map((r) => r.kind));
    expect([...kinds].sort()).toEqual([...RESOURCE_KINDS].sort());
  });

  it("each resource's document part is a section of the document that declared it, placed as the kind says", () => {
    for (const policy of [exported(ONLINE), exported(ON_PREMISES)]) {
      for (const resource of desiredResources(policy)) {
        const module = kindModule(resource.kind);
        const sections = Object.keys(module.documentPart(inputOf(resource)).part);
        expect(sections.length, resource.name).toBe(1);
        const [section] = sections as [keyof MailPolicy];
        expect(policy[section], `${resource.name}: ${section}`).toBeDefined();
        // Server kinds are declared per server (and protocol) and export into the server's entry; the others per document.
        const perServer = section === 'servers';
        expect(['server', 'protocol', 'serverAfterProtocols'].includes(module.desired.place), resource.name).toBe(perServer);
        expect(module.exported.place !== 'document', resource.name).toBe(perServer);
      }
    }
  });

  it('every resource carries the document target and its kind module names it', () => {
    for (const policy of [exported(ONLINE), exported(ON_PREMISES)]) {
      for (const resource of desiredResources(policy)) {
        expect(resource.inputs.target).toEqual(policy.target);
        const identity = kindModule(resource.kind).identity(resource.inputs as ResourceInputsByKind[typeof resource.kind]);
        expect(identity.length, resource.name).toBeGreaterThan(0);
      }
    }
  });

  it("a service restarts for what its server declared before it whose changes apply at that restart (the kinds' mayApplyAtRestart)", () => {
    const resources = desiredResources(exported(ON_PREMISES));
    const certificate = `ex01-certificate-${'a'.repeat(40)}`;
    expect(resources.map((r) => [r.name, 'settingsResource' in r ? r.settingsResource : undefined, 'restartSources' in r ? r.restartSources : undefined])).toEqual([
      [certificate, undefined, undefined],
      ['ex01-pop3-settings', undefined, undefined],
      ['ex01-pop3-service', 'ex01-pop3-settings', [certificate]],
      ['ex01-imap4-settings', undefined, undefined],
      ['ex01-imap4-service', 'ex01-imap4-settings', [certificate]],
      ['ex01-client-frontend', undefined, undefined],
    ]);
    // Exactly the kinds whose changes can apply at a restart say where.
    const applying = (Object.keys(KINDS) as ResourceKind[]).filter((kind) => kindModule(kind).mayApplyAtRestart !== undefined);
    expect(applying).toEqual((Object.keys(KINDS) as ResourceKind[]).filter((kind) => kindModule(kind).appliesAtRestart !== undefined));
  });
});
