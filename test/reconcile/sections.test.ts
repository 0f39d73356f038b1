import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/exchange/types';
import type { ActualAuthenticationPolicies } from '../../src/reconcile/kinds/authentication-policy-read';
import type { ActualProtocolService } from '../../src/reconcile/kinds/protocol-service-read';
import type { ActualTransportConfig } from '../../src/reconcile/kinds/transport-config-read';
import type { AuthenticationPolicyDecl, CasMailboxesPolicy, ProtocolSettings, ServicePolicy, TransportConfigPolicy } from '../../src/model/types';
import { withoutLookups } from '../../src/reconcile/mailbox-identities';
import { ExceptionConflictError, PlanError, type Change, type ResourceRef } from '../../src/reconcile/plan';
import { planAuthenticationPolicy } from '../../src/reconcile/kinds/authentication-policy';
import { planCasMailboxes } from '../../src/reconcile/kinds/cas-mailbox-protocol';
import { planCasMailboxPlan } from '../../src/reconcile/kinds/cas-mailbox-plan';
import { parseServiceDriftKey, planProtocolService, serviceDriftKey } from '../../src/reconcile/kinds/protocol-service';
import { planProtocolSettings } from '../../src/reconcile/kinds/protocol-settings';
import { planTransportConfig } from '../../src/reconcile/kinds/transport-config';
import { imapServices, mailbox, popServices, popSettings } from './fixtures';

const ref: ResourceRef = { kind: 'TransportConfig', name: 'r' };

/** The calls a plan makes, as `[cmdlet, parameters]`, for compact expectations. */
/** Each change as [cmdlet, parameters], and for a service cmdlet the server it runs on (Invoke-Command's -ComputerName). */
function calls(changes: readonly Change[]): ([string, Record<string, JsonValue>] | [string, Record<string, JsonValue>, string])[] {
  return changes.map((c) => (c.request.computerName === undefined ? [c.request.cmdlet, { ...c.request.parameters }] : [c.request.cmdlet, { ...c.request.parameters }, c.request.computerName]));
}

describe('transport config', () => {
  const actual: ActualTransportConfig = { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true };
  it.each<[string, TransportConfigPolicy, ReturnType<typeof calls>]>([
    ['in sync', { allowLegacyTLSClients: false, smtpClientAuthenticationDisabled: true }, []],
    ['nothing declared: nothing managed', {}, []],
    ['one key drifted: only that parameter', { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: true }, [['Set-TransportConfig', { AllowLegacyTLSClients: true }]]],
    [
      'both drifted: one call',
      { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false },
      [['Set-TransportConfig', { AllowLegacyTLSClients: true, SmtpClientAuthenticationDisabled: false }]],
    ],
    ['absent key is not compared', { smtpClientAuthenticationDisabled: false }, [['Set-TransportConfig', { SmtpClientAuthenticationDisabled: false }]]],
  ])('%s', (_name, desired, expected) => {
    expect(calls(planTransportConfig(ref, desired, actual))).toEqual(expected);
  });

  it('carries desired and actual per drifted setting', () => {
    const [change] = planTransportConfig(ref, { allowLegacyTLSClients: true }, actual);
    expect(change?.drift).toEqual([{ key: 'allowLegacyTLSClients', desired: true, actual: false }]);
    expect(change?.description).toBe('transport config: allowLegacyTLSClients false → true');
  });
});

describe('authentication policies', () => {
  const block: AuthenticationPolicyDecl = { name: 'Block Basic Auth', allowBasicAuthPop: false, allowBasicAuthImap: false, allowBasicAuthSmtp: false };
  const existing: ActualAuthenticationPolicies = {
    policies: [{ name: 'block basic auth', allowBasicAuthPop: false, allowBasicAuthImap: true, allowBasicAuthSmtp: false }],
    defaultPolicy: null,
  };
  const none: ActualAuthenticationPolicies = { policies: [], defaultPolicy: null };
  it.each<[string, AuthenticationPolicyDecl, ActualAuthenticationPolicies, ReturnType<typeof calls>]>([
    [
      'missing policy is created with its declared flags',
      block,
      none,
      [['New-AuthenticationPolicy', { Name: 'Block Basic Auth', AllowBasicAuthPop: false, AllowBasicAuthImap: false, AllowBasicAuthSmtp: false }]],
    ],
    ['missing policy, some flags undeclared', { name: 'P', allowBasicAuthSmtp: true }, none, [['New-AuthenticationPolicy', { Name: 'P', AllowBasicAuthSmtp: true }]]],
    ['existing policy (name case-insensitive): only drifted flags', block, existing, [['Set-AuthenticationPolicy', { Identity: 'block basic auth', AllowBasicAuthImap: false }]]],
    ['existing policy in sync', { name: 'Block Basic Auth', allowBasicAuthPop: false }, existing, []],
    [
      'default: created, then made the organisation default',
      { ...block, default: true },
      none,
      [
        ['New-AuthenticationPolicy', { Name: 'Block Basic Auth', AllowBasicAuthPop: false, AllowBasicAuthImap: false, AllowBasicAuthSmtp: false }],
        ['Set-OrganizationConfig', { DefaultAuthenticationPolicy: 'Block Basic Auth' }],
      ],
    ],
    ['default already (case-insensitive)', { name: 'Block Basic Auth', default: true }, { ...existing, defaultPolicy: 'BLOCK BASIC AUTH' }, []],
    [
      'default replaces another default',
      { name: 'Block Basic Auth', default: true },
      { ...existing, defaultPolicy: 'Other' },
      [['Set-OrganizationConfig', { DefaultAuthenticationPolicy: 'block basic auth' }]],
    ],
    ['default absent: the organisation default is not managed', { name: 'Block Basic Auth' }, { ...existing, defaultPolicy: 'Other' }, []],
  ])('%s', (_name, desired, actual, expected) => {
    expect(calls(planAuthenticationPolicy(ref, desired, actual))).toEqual(expected);
  });

  it('a new policy reports every declared flag as drift from nothing', () => {
    const [change] = planAuthenticationPolicy(ref, { name: 'P', allowBasicAuthPop: false }, none);
    expect(change?.action).toBe('create');
    expect(change?.drift).toEqual([{ key: 'allowBasicAuthPop', desired: false, actual: undefined }]);
  });
});

describe('CAS mailbox plans', () => {
  const plans = [
    { identity: 'ExchangeOnlineEnterprise-6d3c3a44-a49a-4a0c-8dbb-1a1c84a81d5f', popEnabled: true, imapEnabled: true },
    { identity: 'ExchangeOnline-0f0c3a44-a49a-4a0c-8dbb-1a1c84a81d5f', popEnabled: false, imapEnabled: true },
  ];
  it.each<[string, { identity: string; popEnabled?: boolean; imapEnabled?: boolean }, ReturnType<typeof calls>]>([
    [
      'matches the plan without its GUID suffix, sends only drift',
      { identity: 'ExchangeOnlineEnterprise', popEnabled: false, imapEnabled: true },
      [['Set-CASMailboxPlan', { Identity: 'ExchangeOnlineEnterprise-6d3c3a44-a49a-4a0c-8dbb-1a1c84a81d5f', PopEnabled: false }]],
    ],
    ['case-insensitive, in sync', { identity: 'exchangeonline', popEnabled: false }, []],
    [
      'the full identity matches too',
      { identity: 'ExchangeOnline-0f0c3a44-a49a-4a0c-8dbb-1a1c84a81d5f', imapEnabled: false },
      [['Set-CASMailboxPlan', { Identity: 'ExchangeOnline-0f0c3a44-a49a-4a0c-8dbb-1a1c84a81d5f', ImapEnabled: false }]],
    ],
    ['a prefix is not a match for another plan', { identity: 'ExchangeOnline', popEnabled: false }, []],
  ])('%s', (_name, desired, expected) => {
    expect(calls(planCasMailboxPlan(ref, desired, plans))).toEqual(expected);
  });

  it('a plan that does not exist is an error naming the plans that do', () => {
    expect(() => planCasMailboxPlan(ref, { identity: 'ExchangeOnlineKiosk', popEnabled: false }, plans)).toThrow(PlanError);
    expect(() => planCasMailboxPlan(ref, { identity: 'ExchangeOnlineKiosk' }, plans)).toThrow(/ExchangeOnlineKiosk does not exist.*ExchangeOnlineEnterprise, ExchangeOnline\)/);
  });
});

describe('POP3/IMAP4 settings', () => {
  const actual = popSettings('EX01', {
    externalConnectionSettings: ['mail.woodgrove.com:995:SSL', 'mail.woodgrove.com:110:TLS'],
    x509CertificateName: 'mail.woodgrove.com',
  });
  it.each<[string, ProtocolSettings, Record<string, JsonValue> | null]>([
    ['nothing declared', {}, null],
    ['lists compare as sets, case-insensitively', { externalConnectionSettings: ['MAIL.woodgrove.com:110:tls', 'mail.woodgrove.com:995:SSL'] }, null],
    ['bindings in another order', { sslBindings: ['0.0.0.0:995', '[::]:995'] }, null],
    ['a list with a missing entry drifts as a whole', { sslBindings: ['0.0.0.0:995'] }, { SSLBindings: ['0.0.0.0:995'] }],
    ['certificate name case-insensitive', { x509CertificateName: 'Mail.Woodgrove.com' }, null],
    ['timeouts compare by length', { authenticatedConnectionTimeout: '0.00:30:00', preAuthenticatedConnectionTimeout: '0:01:00' }, null],
    ['a drifted timeout is sent as Exchange prints it', { authenticatedConnectionTimeout: '1:00:00' }, { AuthenticatedConnectionTimeout: '01:00:00' }],
    [
      'only the drifted parameters, with -Server',
      { loginType: 'SecureLogin', maxConnectionsPerUser: 20, protocolLogEnabled: true, enableGSSAPIAndNTLMAuth: true },
      { MaxConnectionsPerUser: 20, ProtocolLogEnabled: true },
    ],
    ['loginType drift', { loginType: 'PlainTextLogin' }, { LoginType: 'PlainTextLogin' }],
  ])('%s', (_name, desired, expected) => {
    const changes = planProtocolSettings(ref, 'EX01', 'pop3', desired, actual);
    expect(calls(changes)).toEqual(expected === null ? [] : [['Set-PopSettings', { Server: 'EX01', ...expected }]]);
  });

  it('IMAP4 uses Set-ImapSettings', () => {
    expect(calls(planProtocolSettings(ref, 'EX02', 'imap4', { protocolLogEnabled: true }, popSettings('EX02')))).toEqual([
      ['Set-ImapSettings', { Server: 'EX02', ProtocolLogEnabled: true }],
    ]);
  });

  it('a certificate name where Exchange has none drifts from null', () => {
    const [change] = planProtocolSettings(ref, 'EX01', 'pop3', { x509CertificateName: 'mail.woodgrove.com' }, popSettings('EX01'));
    expect(change?.drift).toEqual([{ key: 'x509CertificateName', desired: 'mail.woodgrove.com', actual: null }]);
  });
});

describe('protocol services and the restart rule', () => {
  const FE = 'MSExchangePOP3';
  const BE = 'MSExchangePOP3BE';
  const both = [FE, BE];
  const enabled: ServicePolicy = { startupType: 'Automatic', state: 'Running' };
  const disabled: ServicePolicy = { startupType: 'Disabled', state: 'Stopped' };
  it.each<[string, ServicePolicy, ActualProtocolService, boolean, ReturnType<typeof calls>]>([
    [
      'enable from the Exchange default (Manual, Stopped): Automatic then start, both services',
      enabled,
      popServices(['Manual', 'Stopped']),
      false,
      [
        ['Set-Service', { Name: FE, StartupType: 'Automatic' }, 'EX01'],
        ['Set-Service', { Name: BE, StartupType: 'Automatic' }, 'EX01'],
        ['Start-Service', { Name: both }, 'EX01'],
      ],
    ],
    [
      'disable: stop then Disabled',
      disabled,
      popServices(['Automatic', 'Running']),
      false,
      [
        ['Stop-Service', { Name: both }, 'EX01'],
        ['Set-Service', { Name: FE, StartupType: 'Disabled' }, 'EX01'],
        ['Set-Service', { Name: BE, StartupType: 'Disabled' }, 'EX01'],
      ],
    ],
    ['enabled and in sync, settings unchanged: nothing (no gratuitous restart)', enabled, popServices(['Automatic', 'Running']), false, []],
    ['enabled and in sync, settings changed: restart both', enabled, popServices(['Automatic', 'Running']), true, [['Restart-Service', { Name: both }, 'EX01']]],
    ['disabled and in sync, settings changed: no restart of stopped services', disabled, popServices(['Disabled', 'Stopped']), true, []],
    [
      'being enabled while settings changed: the start applies them, no restart',
      enabled,
      popServices(['Manual', 'Stopped']),
      true,
      [
        ['Set-Service', { Name: FE, StartupType: 'Automatic' }, 'EX01'],
        ['Set-Service', { Name: BE, StartupType: 'Automatic' }, 'EX01'],
        ['Start-Service', { Name: both }, 'EX01'],
      ],
    ],
    [
      'being disabled while settings changed: no restart',
      disabled,
      popServices(['Automatic', 'Running']),
      true,
      [
        ['Stop-Service', { Name: both }, 'EX01'],
        ['Set-Service', { Name: FE, StartupType: 'Disabled' }, 'EX01'],
        ['Set-Service', { Name: BE, StartupType: 'Disabled' }, 'EX01'],
      ],
    ],
    ['service not managed, running, settings changed: restart', {}, popServices(['Manual', 'Running']), true, [['Restart-Service', { Name: both }, 'EX01']]],
    ['service not managed, stopped, settings changed: nothing', {}, popServices(['Manual', 'Stopped']), true, []],
    [
      'only the back end stopped: start it; restart only the running front end',
      enabled,
      popServices(['Automatic', 'Running'], ['Automatic', 'Stopped']),
      true,
      [
        ['Start-Service', { Name: [BE] }, 'EX01'],
        ['Restart-Service', { Name: [FE] }, 'EX01'],
      ],
    ],
    ['startup type only', { startupType: 'Automatic' }, popServices(['Automatic', 'Running'], ['Manual', 'Running']), false, [['Set-Service', { Name: BE, StartupType: 'Automatic' }, 'EX01']]],
    ['state only', { state: 'Stopped' }, popServices(['Manual', 'Running']), false, [['Stop-Service', { Name: both }, 'EX01']]],
  ])('%s', (_name, desired, actual, settingsChanged, expected) => {
    expect(calls(planProtocolService(ref, 'EX01', 'pop3', desired, actual, settingsChanged))).toEqual(expected);
  });

  it('IMAP4 acts on the IMAP4 services, never on POP3 ones', () => {
    const changes = planProtocolService(ref, 'EX02', 'imap4', {}, imapServices(['Automatic', 'Running']), true);
    expect(calls(changes)).toEqual([['Restart-Service', { Name: ['MSExchangeIMAP4', 'MSExchangeIMAP4BE'] }, 'EX02']]);
  });

  it('records state and startup drift per service', () => {
    const changes = planProtocolService(ref, 'EX01', 'pop3', enabled, popServices(['Manual', 'Stopped']), false);
    expect(changes.flatMap((c) => c.drift)).toEqual([
      { key: 'MSExchangePOP3.startupType', desired: 'Automatic', actual: 'Manual' },
      { key: 'MSExchangePOP3BE.startupType', desired: 'Automatic', actual: 'Manual' },
      { key: 'MSExchangePOP3.state', desired: 'Running', actual: 'Stopped' },
      { key: 'MSExchangePOP3BE.state', desired: 'Running', actual: 'Stopped' },
    ]);
  });
});

describe('CAS mailboxes in bulk', () => {
  const org = [
    mailbox('alice@contoso.com'),
    mailbox('bob@contoso.com', { popEnabled: false, imapEnabled: false }),
    mailbox('scanner@contoso.com', { identity: 'Scanner', popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: false }),
    mailbox('carol@contoso.com', { popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: true }),
  ];
  it.each<[string, CasMailboxesPolicy, ReturnType<typeof calls>]>([
    [
      'default only: every deviating mailbox, only its drifted keys',
      { default: { popEnabled: false, imapEnabled: false }, exceptions: [] },
      [
        ['Set-CASMailbox', { Identity: 'alice@contoso.com', PopEnabled: false, ImapEnabled: false }],
      ],
    ],
    [
      'null means inherit: mailboxes with their own value are reset to $null',
      { default: { smtpClientAuthenticationDisabled: null }, exceptions: [] },
      [
        ['Set-CASMailbox', { Identity: 'scanner@contoso.com', SmtpClientAuthenticationDisabled: null }],
        ['Set-CASMailbox', { Identity: 'carol@contoso.com', SmtpClientAuthenticationDisabled: null }],
      ],
    ],
    [
      'exception by identity (case-insensitive) overrides the default',
      {
        default: { popEnabled: false, imapEnabled: false, smtpClientAuthenticationDisabled: null },
        exceptions: [{ identities: ['SCANNER'], popEnabled: true, smtpClientAuthenticationDisabled: false }],
      },
      [
        ['Set-CASMailbox', { Identity: 'alice@contoso.com', PopEnabled: false, ImapEnabled: false }],
        ['Set-CASMailbox', { Identity: 'scanner@contoso.com', PopEnabled: true }],
        ['Set-CASMailbox', { Identity: 'carol@contoso.com', SmtpClientAuthenticationDisabled: null }],
      ],
    ],
    [
      'exceptions that name one mailbox (by identity and by address) and agree merge key by key',
      {
        default: { popEnabled: false, imapEnabled: false },
        exceptions: [
          { identities: ['scanner'], popEnabled: false, imapEnabled: true },
          { identities: ['Scanner@Contoso.com'], popEnabled: false },
        ],
      },
      [
        ['Set-CASMailbox', { Identity: 'alice@contoso.com', PopEnabled: false, ImapEnabled: false }],
        ['Set-CASMailbox', { Identity: 'scanner@contoso.com', ImapEnabled: true }],
      ],
    ],
    ['no default: only exceptions are managed', { exceptions: [{ identities: ['bob@contoso.com'], imapEnabled: true }] }, [['Set-CASMailbox', { Identity: 'bob@contoso.com', ImapEnabled: true }]]],
    ['nothing declared', { exceptions: [] }, []],
  ])('%s', (_name, policy, expected) => {
    const planned = planCasMailboxes(ref, policy, withoutLookups(org));
    expect(calls(planned.changes)).toEqual(expected);
    expect(planned.changes.every((c) => c.bulk)).toBe(true);
  });

  // Behaviour changed on purpose (issue 11, item 5): no longer a note at the end, but a warning apply refuses to run with.
  it('an exception naming no mailbox is reported with where it is declared, not a change', () => {
    const planned = planCasMailboxes(ref, { exceptions: [{ identities: ['ghost@contoso.com', 'alice@contoso.com'], popEnabled: true }] }, withoutLookups(org));
    expect(planned.changes).toEqual([]);
    expect(planned.unmatched).toEqual([{ identity: 'ghost@contoso.com', pointer: '/casMailboxes/exceptions/0/identities/0', reason: 'none', names: 'mailbox' }]);
  });

  // Behaviour changed on purpose (issue 11, item 5): "later exceptions win" hid a contradiction; now it is an error naming both.
  it('two exceptions that name one mailbox with different values: an error naming both, no plan', () => {
    const policy = { exceptions: [{ identities: ['scanner'], popEnabled: true }, { identities: ['Scanner@Contoso.com'], popEnabled: false, imapEnabled: true }] };
    expect(() => planCasMailboxes(ref, policy, withoutLookups(org))).toThrow(ExceptionConflictError);
    expect(() => planCasMailboxes(ref, policy, withoutLookups(org))).toThrow(
      'casMailboxes.exceptions[1].identities[0] "Scanner@Contoso.com" and casMailboxes.exceptions[0].identities[0] "scanner" name the same mailbox scanner@contoso.com with different popEnabled (false here, true there): exceptions that resolve to one mailbox must agree',
    );
  });

  it('records desired and actual per drifted key', () => {
    const planned = planCasMailboxes(ref, { default: { smtpClientAuthenticationDisabled: null, popEnabled: true }, exceptions: [] }, withoutLookups([org[3]!]));
    expect(planned.changes[0]?.drift).toEqual([
      { key: 'popEnabled', desired: true, actual: false, declaredAt: '/casMailboxes/default/popEnabled' },
      { key: 'smtpClientAuthenticationDisabled', desired: null, actual: true, declaredAt: '/casMailboxes/default/smtpClientAuthenticationDisabled' },
    ]);
  });
});

describe('service drift keys', () => {
  it('name the service and the field, and read back as both', () => {
    expect(serviceDriftKey('MSExchangePOP3BE', 'state')).toBe('MSExchangePOP3BE.state');
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]+$/), fc.constantFrom('state' as const, 'startupType' as const), (service, field) => {
        expect(parseServiceDriftKey(serviceDriftKey(service, field))).toEqual({ service, field });
      }),
    );
  });

  it("are the keys the planner's service changes carry", () => {
    const changes = planProtocolService(ref, 'EX01', 'pop3', { state: 'Stopped', startupType: 'Disabled' }, popServices(['Automatic', 'Running']), false);
    expect(changes.flatMap((c) => c.drift.map((d) => parseServiceDriftKey(d.key)))).toEqual([
      { service: 'MSExchangePOP3', field: 'state' },
      { service: 'MSExchangePOP3BE', field: 'state' },
      { service: 'MSExchangePOP3', field: 'startupType' },
      { service: 'MSExchangePOP3BE', field: 'startupType' },
    ]);
  });
});
