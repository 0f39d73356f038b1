/**
 * The catalog checked against Microsoft's reference (issue 12, item 1): every parameter exists
 * on its cmdlet, with a compatible type, on the platforms the catalog claims, with enum values
 * the reference accepts. The extract (exchange-reference.json) names the page and commit of
 * every fact.
 */
import { describe, expect, it } from 'vitest';
import { CATALOG, type CmdletSpec, type ParameterSpec } from '../../src/exchange/catalog';
import { compareCatalog, loadReference, platformsOf, type Problem } from './reference';

const key = (p: Pick<Problem, 'cmdlet' | 'parameter' | 'kind'>): string => `${p.cmdlet} -${p.parameter ?? ''} ${p.kind}`;

describe('the catalog against Microsoft\'s reference', () => {
  const reference = loadReference();

  it('every fact of the extract names its page and commit', () => {
    for (const [name, cmdlet] of Object.entries(reference.cmdlets)) {
      expect(cmdlet.source.repo, name).toMatch(/^MicrosoftDocs\/(office-docs-powershell|PowerShell-Docs)$/);
      expect(cmdlet.source.commit, name).toMatch(/^[0-9a-f]{40}$/);
      expect(cmdlet.source.path.endsWith(`/${name}.md`), name).toBe(true);
    }
  });

  it('agrees with the catalog: no exception list', () => {
    // A mismatch fails here with its detail.
    expect(compareCatalog(CATALOG, reference)).toEqual([]);
  });

  it('Get-ExchangeServer: AdminDisplayVersion, the server build drift and export read (issue 12, item 7), is an output Microsoft documents', () => {
    const server = reference.cmdlets['Get-ExchangeServer'];
    expect(CATALOG['Get-ExchangeServer'].returns).toHaveProperty('AdminDisplayVersion');
    expect(server?.outputs).toContain('AdminDisplayVersion');
    expect(server?.outputsSource).toEqual({ repo: 'MicrosoftDocs/OfficeDocs-Exchange', path: 'Exchange/ExchangeServer/new-features/build-numbers-and-release-dates.md', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });

  it('covers every cmdlet of the catalog, and Get-AcceptedDomain (being added to it)', () => {
    for (const name of [...Object.keys(CATALOG), 'Get-AcceptedDomain']) expect(reference.cmdlets[name], name).toBeDefined();
  });

  it('marks as the module\'s own exactly the Exchange Online cmdlets the reference lists under ExchangeOnlineManagement (what -CommandName does not load)', () => {
    for (const [name, spec] of Object.entries(CATALOG) as [string, CmdletSpec][]) {
      if (!spec.platforms.includes('exchangeOnline') || spec.effect === 'connect') continue;
      expect(spec.moduleCmdlet === true, name).toBe(reference.cmdlets[name]?.module === 'ExchangeOnlineManagement');
    }
  });

  it('reads platforms from the Applicable lines as Microsoft writes them', () => {
    expect(platformsOf('Exchange Online, Exchange Online Protection')).toEqual(['exchangeOnline']);
    expect(platformsOf('Exchange Online Protection')).toEqual([]);
    expect(platformsOf('Exchange Server 2019, Exchange Server SE, Exchange Online, Built-in security add-on for on-premises mailboxes')).toEqual(['exchangeOnline', 'exchangeServer']);
    expect(platformsOf('Exchange Server 2010, Exchange Server 2013')).toEqual(['exchangeServer']);
  });

  it('fails when a catalog parameter is renamed, retyped, claimed for the wrong platform or given an enum value Exchange refuses', () => {
    const copy = JSON.parse(JSON.stringify(CATALOG)) as Record<string, { platforms: string[]; parameters: Record<string, ParameterSpec> }>;
    const cas = copy['Set-CASMailbox'] as { parameters: Record<string, ParameterSpec> };
    cas.parameters.PopEnable = cas.parameters.PopEnabled as ParameterSpec;
    delete cas.parameters.PopEnabled;
    (copy['Set-TransportConfig'] as { parameters: Record<string, ParameterSpec> }).parameters.AllowLegacyTLSClients = { type: 'int' };
    (copy['Set-CASMailboxPlan'] as { platforms: string[] }).platforms = ['exchangeOnline', 'exchangeServer'];
    (copy['Set-PopSettings'] as { parameters: Record<string, ParameterSpec> }).parameters.LoginType = { type: 'enum', values: ['SecureLogin', 'Kerberos'] };
    // A parameter claimed on a platform its own Applicable line leaves out (the cmdlet has both).
    cas.parameters.SmtpClientAuthenticationDisabled = { type: 'nullableBoolean', platforms: ['exchangeOnline', 'exchangeServer'] };
    // What the catalog used to say: Set-Service -Name as a list, -ComputerName on the service cmdlets.
    (copy['Set-Service'] as { parameters: Record<string, ParameterSpec> }).parameters.Name = { type: 'stringList' };
    (copy['Restart-Service'] as { parameters: Record<string, ParameterSpec> }).parameters = { Name: { type: 'stringList' }, ComputerName: { type: 'string' } };
    const problems = compareCatalog(copy as unknown as Record<string, CmdletSpec>, reference).map(key);
    // Exactly these: the unmodified catalog passes (previous test), so every problem is a modification's.
    expect([...problems].sort()).toEqual([
      'Restart-Service -ComputerName missing-parameter',
      'Set-CASMailbox -PopEnable missing-parameter',
      'Set-CASMailbox -SmtpClientAuthenticationDisabled platform',
      'Set-CASMailboxPlan - cmdlet-platform',
      'Set-CASMailboxPlan -Identity platform',
      'Set-CASMailboxPlan -ImapEnabled platform',
      'Set-CASMailboxPlan -PopEnabled platform',
      'Set-PopSettings -LoginType enum-value',
      'Set-Service -Name type',
      'Set-TransportConfig -AllowLegacyTLSClients type',
    ]);
  });
});
