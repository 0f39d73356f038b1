/**
 * The six report formats over one report built from real rule results. Locations come from a
 * fixed pointer → line table here; test/cli/check.test.ts runs the same through the loader.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedPolicy, MailPolicy } from '../../src/model/types';
import { checkPolicy } from '../../src/rules';
import type { CheckReport } from '../../src/cli/report/check-report';
import { locateResult } from '../../src/report/findings';
import { renderCheckReport } from '../../src/cli/report/formats';
import { escapeData, escapeProperty } from '../../src/cli/report/github';
import { online } from '../rules/documents';
import { sarifSchemaErrors } from './sarif-schema';

const policy: MailPolicy = online('gccHigh', {
  transportConfig: { allowLegacyTLSClients: true, smtpClientAuthenticationDisabled: false },
  casMailboxes: { default: { popEnabled: true }, exceptions: [{ identities: ['scanner@contoso.com'], smtpClientAuthenticationDisabled: false }] },
  waivers: [{ rule: 'MP-EXO-004', reason: 'scanner, replacement ordered | CHG-1', expires: '2027-03-31', scope: 'scanner@contoso.com' }],
});

/** Lines of the imagined file, by pointer prefix. */
const LINES: Record<string, number> = {
  '/transportConfig/allowLegacyTLSClients': 7,
  '/transportConfig/smtpClientAuthenticationDisabled': 8,
  '/casMailboxes/default/popEnabled': 10,
  '/casMailboxes/exceptions/0/identities/0': 12,
  '/waivers/0': 15,
};

const loaded: LoadedPolicy = {
  file: 'stacks/fabrikam, "gov".yaml',
  policy,
  locate: (pointer) => ({ file: 'stacks/fabrikam, "gov".yaml', line: LINES[pointer] ?? 1, column: 3 }),
};

const report: CheckReport = {
  tool: { name: 'mailpolicy', version: '0.1.0' },
  asOf: '2027-01-15',
  files: [
    locateResult(loaded, checkPolicy(policy, { asOf: '2027-01-15' })),
    { file: 'stacks/broken.yaml', valid: false, problems: [{ file: 'stacks/broken.yaml', line: 3, column: 5, message: 'unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)' }] },
  ],
};

describe('check report formats', () => {
  it('text: FILE:LINE:COL, level, versioned rule, message; waivers; summary', async () => {
    expect(await renderCheckReport('text', report)).toBe(
      [
        'stacks/fabrikam, "gov".yaml:7:3: mandatory MP-EXO-001v1: allowLegacyTLSClients is true for a GCC High tenant: GCC High has no legacy-TLS endpoints and TLS 1.0/1.1 is permanently off there',
        'stacks/fabrikam, "gov".yaml:8:3: mandatory MP-EXO-003v1: SMTP AUTH client submission is enabled for the organisation, for mailboxes without their own setting: the protocol, with OAuth and with Basic authentication where allowed (smtpClientAuthenticationDisabled: false; CISA MS.EXO.5.1v1: SMTP AUTH SHALL be disabled); Basic authentication for SMTP AUTH is off by default for existing tenants since the end of December 2026 (admins can turn it back on; tenants created since have it unavailable by default; Microsoft announces the final removal date in the second half of 2027, MC786329)',
        '    controls: implements CIS M365 6.5.4, ScubaGear MS.EXO.5.1v1, Maester CISA.MS.EXO.5.1',
        'stacks/fabrikam, "gov".yaml:10:3: advisory MP-MBX-001v1: POP3 is enabled for every mailbox by the casMailboxes default (popEnabled: true)',
        'stacks/fabrikam, "gov".yaml:12:3: waived MP-EXO-004v1: SMTP AUTH is enabled for mailbox scanner@contoso.com by an exception, unless security defaults or a Conditional Access policy blocking legacy authentication overrides it',
        '    controls: relates to CIS M365 6.5.4, ScubaGear MS.EXO.5.1v1, Maester CISA.MS.EXO.5.1',
        'stacks/fabrikam, "gov".yaml: waivers:',
        '  stacks/fabrikam, "gov".yaml:15:3: MP-EXO-004 scope scanner@contoso.com, expires 2027-03-31: applied to 1 finding (reason: scanner, replacement ordered | CHG-1)',
        '2 files checked as of 2027-01-15: 1 invalid document, 2 mandatory violations, 1 advisory, 1 waived',
        '',
      ].join('\n'),
    );
  });

  it('json: every finding with bare and versioned rule IDs, outcome and position; the waivers; invalid files', async () => {
    const json = JSON.parse(await renderCheckReport('json', report));
    expect(json.summary).toEqual({ files: 2, invalid: 1, violation: 2, advisory: 1, waived: 1 });
    expect(json.files[0].findings[3]).toEqual({
      ruleId: 'MP-EXO-004',
      ruleVersion: 1,
      rule: 'MP-EXO-004v1',
      title: 'SMTP AUTH enabled for individual mailboxes',
      severity: 'medium',
      enforcement: 'mandatory',
      outcome: 'waived',
      message: 'SMTP AUTH is enabled for mailbox scanner@contoso.com by an exception, unless security defaults or a Conditional Access policy blocking legacy authentication overrides it',
      pointer: '/casMailboxes/exceptions/0/identities/0',
      scope: 'scanner@contoso.com',
      line: 12,
      column: 3,
      waiver: 0,
      controls: [
        expect.objectContaining({ framework: 'cis', id: '6.5.4', relationship: 'relatesTo', verified: false }),
        expect.objectContaining({ framework: 'scubagear', id: 'MS.EXO.5.1v1', relationship: 'relatesTo', verified: true }),
        expect.objectContaining({ framework: 'maester', id: 'CISA.MS.EXO.5.1', relationship: 'relatesTo', verified: true }),
      ],
    });
    expect(json.files[0].waivers).toEqual([
      { index: 0, rule: 'MP-EXO-004', reason: 'scanner, replacement ordered | CHG-1', expires: '2027-03-31', scope: 'scanner@contoso.com', status: 'applied', applied: 1, line: 15, column: 3 },
    ]);
    expect(json.files[1]).toEqual({ file: 'stacks/broken.yaml', valid: false, problems: [{ line: 3, column: 5, message: expect.stringContaining('did you mean') }] });
  });

  it('sarif: validates against the SARIF 2.1.0 schema, with rule metadata, levels and a suppression for the waived finding', async () => {
    const sarif = JSON.parse(await renderCheckReport('sarif', report));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    const rule = run.tool.driver.rules.find((r: { id: string }) => r.id === 'MP-EXO-001');
    expect(rule).toMatchObject({ name: 'LegacyTLSOptedInForAUSGovernmentCloudTenant', helpUri: expect.stringMatching(/docs\/rules\/MP-EXO-001\.md$/), properties: { severity: 'high', enforcement: 'mandatory', waivable: false, version: 1 } });
    expect(rule.shortDescription.text).toBe('MP-EXO-001v1: Legacy TLS opted in for a US government cloud tenant');
    expect(rule.fullDescription.text.length).toBeGreaterThan(50);
    expect(run.results.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toEqual(['MP-EXO-001:error', 'MP-EXO-003:error', 'MP-MBX-001:warning', 'MP-EXO-004:note']);
    expect(run.results[0].locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'stacks/fabrikam%2C%20%22gov%22.yaml' }, region: { startLine: 7, startColumn: 3 } });
    expect(run.results[3].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'scanner, replacement ordered | CHG-1 (waiver expires 2027-03-31)' }]);
    expect(run.results.slice(0, 3).every((r: object) => !('suppressions' in r))).toBe(true);
    expect(run.properties.waivers).toEqual([expect.objectContaining({ rule: 'MP-EXO-004', status: 'applied', applied: 1, line: 15 })]);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0]).toMatchObject({ level: 'error', locations: [{ physicalLocation: { region: { startLine: 3, startColumn: 5 } } }] });
  });

  it('the schema check itself rejects broken SARIF', async () => {
    const sarif = JSON.parse(await renderCheckReport('sarif', report));
    sarif.runs[0].results[0].level = 'fatal';
    delete sarif.version;
    expect(sarifSchemaErrors(sarif).length).toBeGreaterThanOrEqual(2);
  });

  it('github: ::error / ::warning / ::notice annotations with escaped properties', async () => {
    const lines = (await renderCheckReport('github', report)).trimEnd().split('\n');
    expect(lines[0]).toBe(
      '::error file=stacks/fabrikam%2C "gov".yaml,line=7,col=3,title=MP-EXO-001v1 Legacy TLS opted in for a US government cloud tenant::allowLegacyTLSClients is true for a GCC High tenant: GCC High has no legacy-TLS endpoints and TLS 1.0/1.1 is permanently off there',
    );
    expect(lines[2]).toMatch(/^::warning file=.*,line=10,col=3,title=MP-MBX-001v1 /);
    expect(lines[3]).toMatch(/^::notice file=.*,line=12,col=3,title=MP-EXO-004v1 .*::waived: SMTP AUTH is enabled for mailbox scanner@contoso.com/);
    expect(lines[4]).toMatch(/^::notice file=.*,line=15,col=3,title=waiver MP-EXO-004%3A applied::/);
    expect(lines[5]).toBe('::error file=stacks/broken.yaml,line=3,col=5,title=mailpolicy%3A invalid document::unknown key "allowLegacyTlsClient" (did you mean "allowLegacyTLSClients"?)');
    expect(escapeData('50%\nnext')).toBe('50%25%0Anext');
    expect(escapeProperty('a:b,c')).toBe('a%3Ab%2Cc');
  });

  it('markdown: status, a findings table linking each rule page, the waivers and the invalid documents', async () => {
    const md = await renderCheckReport('markdown', report);
    expect(md).toContain('**❌ could not check every document**: 2 files checked as of 2027-01-15');
    expect(md).toContain('| ❌ | stacks/fabrikam, "gov".yaml:7:3 | [MP-EXO-001v1](https://github.com/mailpolicy/mailpolicy/blob/main/docs/rules/MP-EXO-001.md) | mandatory |');
    expect(md).toContain('| stacks/fabrikam, "gov".yaml:15:3 | MP-EXO-004 | scanner@contoso.com | 2027-03-31 | applied | 1 | scanner, replacement ordered \\| CHG-1 |');
    expect(md).toContain('### Invalid documents');
  });

  it('junit: a testsuite per file, a testcase per rule, failures for mandatory violations', async () => {
    const xml = await renderCheckReport('junit', report);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="mailpolicy check" tests="21" failures="2" errors="1">/);
    expect(xml).toContain(
      // 20 testcases: one more since MP-SRV-006 (issue 12, item 7), one more since MP-SRV-007 (issue 14).
      '<testsuite name="stacks/fabrikam, &quot;gov&quot;.yaml" tests="20" failures="2" errors="0">\n    <properties>\n' +
        '      <property name="waiver" value="MP-EXO-004 scope scanner@contoso.com, expires 2027-03-31: applied, 1 finding(s); reason: scanner, replacement ordered | CHG-1"/>\n    </properties>\n',
    );
    expect(xml).toContain('<failure message="1 mandatory violation(s)" type="mandatory">stacks/fabrikam, &quot;gov&quot;.yaml:7:3: allowLegacyTLSClients is true');
    expect(xml).toMatch(/name="MP-EXO-004v1 SMTP AUTH enabled for individual mailboxes">\n {6}<system-out>[^<]*waived: SMTP AUTH is enabled/);
    expect(xml).toContain('<testcase classname="stacks/broken.yaml" name="valid document">');
    expect(xml).toContain('<testcase classname="stacks/fabrikam, &quot;gov&quot;.yaml" name="MP-SRV-005v1 POP3/IMAP4 services Running but not started automatically"></testcase>');
  });
});
