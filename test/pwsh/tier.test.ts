/**
 * The tier itself: it finds PowerShell or fails saying where to get it (never skips), and the
 * stand-in modules it generates bind as Microsoft's reference documents, as real PowerShell
 * reports them.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { findPwsh, PwshNotFoundError } from '../../bench/find-pwsh';
import { exchangeOnlineModule } from './stand-in-modules';
import { pwshEnv } from './harness';
import { writeOrg } from '../simulator/helpers';

const ROOT = resolve(__dirname, '../..');

describe('finding PowerShell', () => {
  it('without MAILPOLICY_PWSH or pwsh on PATH the tier fails, saying where to get PowerShell', () => {
    const empty = mkdtempSync(join(tmpdir(), 'mailpolicy-no-pwsh-'));
    expect(() => findPwsh({ PATH: empty })).toThrow(PwshNotFoundError);
    expect(() => findPwsh({ PATH: empty })).toThrow(/needs PowerShell 7\.4 or later and found none .*installing-powershell.*\.\.\/shared\/tools\/pwsh\/pwsh/);
    expect(() => findPwsh({ PATH: empty, MAILPOLICY_PWSH: join(empty, 'pwsh') })).toThrow(/MAILPOLICY_PWSH is '.*', which is not an executable file/);
  });

  it('uses $MAILPOLICY_PWSH first, else pwsh on PATH', () => {
    const pwsh = inject('pwsh');
    expect(findPwsh({ PATH: '', MAILPOLICY_PWSH: pwsh })).toBe(pwsh);
    expect(findPwsh({ PATH: resolve(pwsh, '..') })).toBe(join(resolve(pwsh, '..'), 'pwsh'));
  });

  it('the global setup refuses to run the tier without PowerShell (vitest exits non-zero, nothing skipped)', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.pwsh.config.ts', 'test/pwsh/tier.test.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PATH: mkdtempSync(join(tmpdir(), 'mailpolicy-no-pwsh-')), MAILPOLICY_PWSH: '' },
    });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('The real-PowerShell tier needs PowerShell 7.4 or later and found none');
  });
});

describe('the stand-in modules, as PowerShell sees them', () => {
  const describeParameters = [
    '$ErrorActionPreference = "Stop"',
    'Import-Module ExchangeOnlineManagement',
    '$out = [ordered]@{}',
    'foreach ($c in "Set-CASMailbox","New-AuthenticationPolicy","Connect-ExchangeOnline","Get-EXOCasMailbox","Set-OrganizationConfig","Remove-AuthenticationPolicy") {',
    '  $cmd = Get-Command $c',
    '  foreach ($p in $cmd.Parameters.Values) {',
    '    $set = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object { $_.ValidValues })',
    '    $out["$c -$($p.Name)"] = "$($p.ParameterType.FullName)$(if ($set.Count) { " [" + ($set -join ",") + "]" })"',
    '  }',
    '  $out["$c ConfirmImpact"] = [string] $cmd.ScriptBlock.Attributes.Where({ $_ -is [System.Management.Automation.CmdletBindingAttribute] }).ConfirmImpact',
    '}',
    '$out | ConvertTo-Json -Compress',
  ].join('\n');

  it('declare Microsoft\'s parameter types: $null where documented, switches as switches, documented enum sets', () => {
    const state = writeOrg({ platform: 'exchangeOnline' });
    const out = execFileSync(inject('pwsh'), ['-NoLogo', '-NoProfile', '-NonInteractive', '-Command', describeParameters], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ...pwshEnv(state) },
    });
    const types = JSON.parse(out) as Record<string, string>;
    expect(types).toMatchObject({
      'Set-CASMailbox -SmtpClientAuthenticationDisabled': 'System.Nullable`1[[System.Boolean, System.Private.CoreLib, Version=10.0.0.0, Culture=neutral, PublicKeyToken=7cec85d7bea7798e]]',
      'Set-CASMailbox -PopEnabled': 'System.Boolean',
      'Set-CASMailbox -Confirm': 'System.Management.Automation.SwitchParameter',
      'New-AuthenticationPolicy -AllowBasicAuthPop': 'System.Management.Automation.SwitchParameter',
      'Connect-ExchangeOnline -ShowBanner': 'System.Management.Automation.SwitchParameter',
      'Connect-ExchangeOnline -CertificatePassword': 'System.Security.SecureString',
      'Connect-ExchangeOnline -ExchangeEnvironmentName': 'System.String [O365Default,O365GermanyCloud,O365China,O365USGovGCCHigh,O365USGovDoD]',
      'Get-EXOCasMailbox -PropertySets': 'System.String[] [Minimum,ActiveSync,Ews,Imap,Mapi,Pop,ProtocolSettings,All]',
      'Set-OrganizationConfig -DefaultAuthenticationPolicy': 'System.Object',
      'Remove-AuthenticationPolicy ConfirmImpact': 'High',
    });
    // Set-CASMailbox has no parameter the reference does not list (e.g. nothing named ComputerName).
    expect(Object.keys(types).some((k) => k.endsWith('-ComputerName'))).toBe(false);
  });

  it('are generated from the reference: each function names its page and commit', () => {
    const module = exchangeOnlineModule();
    expect(module).toContain('# MicrosoftDocs/office-docs-powershell exchange/exchange-ps/ExchangePowerShell/Set-CASMailbox.md @ 197cedf0ae9ff13c93b74db1436aec0b6041531d');
    const generated = join(inject('standInModules'), 'ExchangeOnlineManagement', 'ExchangeOnlineManagement.psm1');
    expect(readFileSync(generated, 'utf8')).toBe(module);
  });
});
