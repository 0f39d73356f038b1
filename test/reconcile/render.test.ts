import { describe, expect, it } from 'vitest';
import { buildRequest } from '../../src/exchange/request';
import type { Change, Plan } from '../../src/reconcile/plan';
import { commandLine, PLAN_FORMATS, renderPlan } from '../../src/reconcile/render';
import { planOrganisation, serverProtocolKey } from '../../src/reconcile/planner';
import { onPrem } from '../support/documents';
import { popServices, popSettings } from './fixtures';

const BACKEND = 'backend: simulator (state: /tmp/org.json)';

const plan = planOrganisation(
  onPrem({ servers: [{ name: 'EX01', pop3: { settings: { externalConnectionSettings: ['mail.woodgrove.com:995:SSL'], protocolLogEnabled: true } } }] }),
  {
    protocolSettings: new Map([[serverProtocolKey('EX01', 'pop3'), popSettings('EX01')]]),
    protocolServices: new Map([[serverProtocolKey('EX01', 'pop3'), popServices(['Automatic', 'Running'])]]),
  },
);

const secretChange: Change = {
  resource: { kind: 'TransportConfig', name: 'transport-config' },
  action: 'set',
  subject: 'x',
  request: buildRequest('Connect-ExchangeOnline', { appId: 'app', certificatePassword: 'hunter2-SECRET' }),
  description: 'connect',
  drift: [],
  bulk: false,
};
const withSecret: Plan = { ...plan, changes: [...plan.changes, secretChange] };

describe('plan rendering', () => {
  it.each(PLAN_FORMATS)('%s: the first line names the backend; secrets are redacted', (format) => {
    const out = renderPlan(withSecret, BACKEND, format);
    expect(out.split('\n')[0]).toContain(BACKEND);
    expect(out).not.toContain('hunter2');
    expect(out).toContain('***');
  });

  it('text groups exact cmdlets per resource, settings before the restart', () => {
    expect(renderPlan(plan, BACKEND, 'text')).toBe(
      [
        BACKEND,
        'Plan for woodgrove-onprem (Exchange Server, woodgrove.local)',
        '2 change(s) in 2 of 2 resource(s).',
        '',
        'PopSettings ex01-pop3-settings',
        "  Set-PopSettings -Server 'EX01' -ExternalConnectionSettings 'mail.woodgrove.com:995:SSL' -ProtocolLogEnabled:$true",
        '    # EX01 POP3 settings: externalConnectionSettings [] → [mail.woodgrove.com:995:SSL], protocolLogEnabled false → true',
        '',
        'ProtocolService ex01-pop3-service',
        "  Invoke-Command -ComputerName 'EX01' -ScriptBlock { Restart-Service -Name 'MSExchangePOP3','MSExchangePOP3BE' }",
        '    # EX01 POP3: restart MSExchangePOP3, MSExchangePOP3BE (settings changed)',
        '',
      ].join('\n'),
    );
  });

  it('json is one document with desired and actual per drifted setting', () => {
    const doc = JSON.parse(renderPlan(plan, BACKEND, 'json')) as { backend: string; summary: unknown; resources: { name: string; changes: { cmdlet: string; drift: unknown[] }[] }[] };
    expect(doc.backend).toBe(BACKEND);
    expect(doc.summary).toEqual({ changes: 2, resources: 2 });
    expect(doc.resources[0]?.changes[0]?.drift).toEqual([
      { key: 'externalConnectionSettings', desired: ['mail.woodgrove.com:995:SSL'], actual: [] },
      { key: 'protocolLogEnabled', desired: true, actual: false },
    ]);
  });

  it('markdown escapes table pipes and shows each drift', () => {
    const out = renderPlan(plan, BACKEND, 'markdown');
    expect(out).toContain('### PopSettings `ex01-pop3-settings`');
    expect(out).toContain('protocolLogEnabled: false → true');
  });

  it('no changes says so', () => {
    const out = renderPlan({ ...plan, changes: [] }, BACKEND, 'text');
    expect(out).toBe(`${BACKEND}\nPlan for woodgrove-onprem (Exchange Server, woodgrove.local)\nNo changes: 2 resource(s) match the document.\n`);
  });

  it('shows typographic quotes doubled, as PowerShell would need them', () => {
    expect(commandLine(buildRequest('Set-CASMailbox', { identity: 'o\u2019brien@contoso.com', smtpClientAuthenticationDisabled: null }))).toBe(
      "Set-CASMailbox -Identity 'o\u2019\u2019brien@contoso.com' -SmtpClientAuthenticationDisabled:$null",
    );
  });

  it('shows a value with control or bidi characters as one double-quoted line that expands nothing', () => {
    expect(commandLine(buildRequest('Set-CASMailbox', { identity: 'a\n::error::b\u202e`$(x)"\u201c#@contoso.com' }))).toBe(
      'Set-CASMailbox -Identity "a`n::error::b`u{202E}```$(x)`"`\u201c`#@contoso.com"',
    );
  });
});
