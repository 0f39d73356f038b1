/**
 * Generates the stand-in Exchange modules of the real-PowerShell tier from Microsoft's reference
 * (test/reference/exchange-reference.json), at test start: every cmdlet's parameters and types
 * are the reference page's, so PowerShell binds what the mailpolicy host sends exactly as it
 * would against Exchange (`$null` only where Microsoft documents it, switches as switches, enum
 * values from the documented sets). The bodies forward to the simulator through
 * test/pwsh/stand-in-runtime.ps1. Nothing here is shipped.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOG, isCmdletName, type ParameterSpec } from '../../src/exchange/catalog';
import { loadReference, shortType, type ReferenceCmdlet, type ReferenceParameter } from '../reference/reference';

export const RUNTIME_PATH = join(__dirname, 'stand-in-runtime.ps1');

/** The module's own cmdlets whose behaviour is the module's, not Exchange's. */
const HANDLERS: Readonly<Record<string, string>> = {
  'Connect-ExchangeOnline': 'Connect-StandInExchange',
  'Disconnect-ExchangeOnline': 'Disconnect-StandInExchange',
  'Get-ConnectionInformation': 'Get-StandInConnectionInformation',
  'New-PSSession': 'New-StandInSession',
  'Import-PSSession': 'Import-StandInSession',
  'Remove-PSSession': 'Remove-StandInSession',
  'Invoke-Command': 'Invoke-StandInRemoteCommand',
};

/** The module the host's test seam (MAILPOLICY_HOST_REMOTING_MODULE) loads for Exchange Server. */
export const EXCHANGE_SERVER_MODULE = 'MailpolicyExchangeServerStandIn';

/** How a cmdlet's errors reach the host: Exchange Online's Write-ErrorMessage, an imported session, Invoke-Command. */
type ErrorStyle = 'Online' | 'Remote' | 'Service';

function quote(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The PowerShell type constraint (and validation) a reference type binds like. */
export function parameterDeclaration(name: string, parameter: ReferenceParameter): string {
  const type = shortType(parameter.type);
  const validate = parameter.values && !['Boolean', 'SwitchParameter'].includes(type) ? `[ValidateSet(${parameter.values.map(quote).join(', ')})] ` : '';
  let constraint: string;
  if (type === 'Boolean') constraint = parameter.acceptsNull ? '[System.Nullable[bool]]' : '[bool]';
  else if (type === 'SwitchParameter') constraint = '[switch]';
  // A [Flags] enum binds a list of its names.
  else if (parameter.flags === true) constraint = '[string[]]';
  else if (type === 'String' || type === 'Guid') constraint = '[string]';
  else if (type === 'String[]' || type === 'Uri[]' || type.endsWith('[]')) constraint = type === 'Object[]' || type.startsWith('PSSession') ? '[object[]]' : '[string[]]';
  else if (type === 'Int32') constraint = '[int]';
  else if (type === 'UInt32') constraint = '[uint32]';
  else if (type === 'SecureString') constraint = '[securestring]';
  else if (type === 'EnhancedTimeSpan') constraint = '[timespan]';
  else if (type === 'DateTime') constraint = '[datetime]';
  else if (type === 'MultiValuedProperty') constraint = '[object[]]';
  else if (type === 'PSCredential') constraint = '[pscredential]';
  else if (type === 'ScriptBlock') constraint = '[scriptblock]';
  else if (validate !== '') constraint = '[string]';
  // Identities, Fqdn, Unlimited, Uri: a string binds; `$null` only where documented.
  else if (type.endsWith('IdParameter') || ['Fqdn', 'Unlimited', 'Uri'].includes(type)) constraint = parameter.acceptsNull ? '[object]' : '[string]';
  // Sessions, session options, certificates: objects the stand-ins pass along.
  else constraint = '[object]';
  return `        ${validate}${constraint} $${name}`;
}

/** The parameters the simulator implements (the catalog's), less secrets and credentials: what the bridge receives. */
function forwarded(cmdlet: string): string[] {
  if (!isCmdletName(cmdlet)) return [];
  const parameters: Readonly<Record<string, ParameterSpec>> = CATALOG[cmdlet].parameters;
  return Object.entries(parameters)
    .filter(([, spec]) => spec.type !== 'secret' && spec.type !== 'credential')
    .map(([name]) => name);
}

export function cmdletFunction(name: string, ref: ReferenceCmdlet, style: ErrorStyle = 'Online'): string {
  const shouldProcess = 'Confirm' in ref.parameters || 'WhatIf' in ref.parameters;
  const binding = shouldProcess ? `[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = '${ref.confirmImpact ?? 'Medium'}')]` : '[CmdletBinding()]';
  const declared = Object.entries(ref.parameters).filter(([parameter]) => !(shouldProcess && (parameter === 'Confirm' || parameter === 'WhatIf')));
  const forward = `@(${forwarded(name).map(quote).join(', ')})`;
  const handler = HANDLERS[name];
  const body = handler
    ? `    ${handler} -Bound $PSBoundParameters -Forward ${forward} -Cmdlet $PSCmdlet`
    : `    Invoke-StandInCmdlet -Name ${quote(name)} -Bound $PSBoundParameters -Forward ${forward} -Cmdlet $PSCmdlet -ShouldProcess $${String(shouldProcess)} -Style ${style}`;
  return [
    `# ${ref.source.repo} ${ref.source.path} @ ${ref.source.commit}`,
    `function ${name} {`,
    `    ${binding}`,
    '    param(',
    declared.map(([parameter, spec]) => parameterDeclaration(parameter, spec)).join(',\n'),
    '    )',
    body,
    '}',
    '',
  ].join('\n');
}

/** The ExchangeOnlineManagement stand-in: the module's cmdlets and every Exchange Online cmdlet the catalog uses. */
export function exchangeOnlineModule(): string {
  const reference = loadReference();
  const names = Object.keys(reference.cmdlets).filter((name) => {
    const ref = reference.cmdlets[name] as ReferenceCmdlet;
    if (ref.module === 'ExchangeOnlineManagement') return true;
    return isCmdletName(name) && CATALOG[name].effect !== 'connect' && (CATALOG[name].platforms as readonly string[]).includes('exchangeOnline');
  });
  return [
    '# Generated by test/pwsh/stand-in-modules.ts from test/reference/exchange-reference.json: do not edit.',
    'Set-StrictMode -Version 3.0',
    `. ${quote(RUNTIME_PATH)}`,
    `$script:StandInModuleCmdlets = @(${names.filter((name) => reference.cmdlets[name]?.module === 'ExchangeOnlineManagement').map(quote).join(', ')})`,
    '',
    ...names.map((name) => cmdletFunction(name, reference.cmdlets[name] as ReferenceCmdlet)),
    `Export-ModuleMember -Function ${names.map(quote).join(', ')}`,
    '',
  ].join('\n');
}

/**
 * Exchange Server through the host's test seam: New-PSSession, Import-PSSession,
 * Remove-PSSession and Invoke-Command (shadowing PowerShell's cmdlets), the Exchange Server
 * cmdlets the catalog uses (usable once Import-PSSession has imported them; errors as
 * RemoteException) and the Windows service cmdlets (run through Invoke-Command).
 */
export function exchangeServerModule(): string {
  const reference = loadReference();
  const remoting = ['New-PSSession', 'Import-PSSession', 'Remove-PSSession', 'Invoke-Command'];
  const onPremises = Object.keys(reference.cmdlets).filter((name) => isCmdletName(name) && CATALOG[name].effect !== 'connect' && (CATALOG[name].platforms as readonly string[]).includes('exchangeServer'));
  const style = (name: string): ErrorStyle => (isCmdletName(name) && (CATALOG[name] as { remoteService?: boolean }).remoteService === true ? 'Service' : 'Remote');
  const names = [...remoting, ...onPremises];
  return [
    '# Generated by test/pwsh/stand-in-modules.ts from test/reference/exchange-reference.json: do not edit.',
    'Set-StrictMode -Version 3.0',
    `. ${quote(RUNTIME_PATH)}`,
    '',
    ...names.map((name) => cmdletFunction(name, reference.cmdlets[name] as ReferenceCmdlet, style(name))),
    `Export-ModuleMember -Function ${names.map(quote).join(', ')}`,
    '',
  ].join('\n');
}

/** Writes the modules under `dir` (a PSModulePath entry) and returns `dir`. */
export function writeStandInModules(dir: string): string {
  const modules: [string, string][] = [
    ['ExchangeOnlineManagement', exchangeOnlineModule()],
    [EXCHANGE_SERVER_MODULE, exchangeServerModule()],
  ];
  for (const [name, text] of modules) {
    mkdirSync(join(dir, name), { recursive: true });
    writeFileSync(join(dir, name, `${name}.psm1`), text);
  }
  return dir;
}
