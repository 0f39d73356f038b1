/**
 * Microsoft's reference for the catalog's cmdlets (test/reference/exchange-reference.json) and
 * the comparison of the catalog against it. Used by the fast tier (catalog-reference.test.ts)
 * and by the real-PowerShell tier, whose stand-in Exchange modules are generated from the same
 * extract (test/pwsh/stand-in-modules.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CmdletSpec, ParameterSpec } from '../../src/exchange/catalog';
import type { Platform } from '../../src/model/types';

export interface ReferenceParameter {
  /** As the page prints it: `Boolean`, `System.String[]`, `MailboxIdParameter`, `SwitchParameter`… */
  readonly type: string;
  /** The parameter's "Applicable:" line; absent: wherever its cmdlet applies. */
  readonly applicable?: string;
  /** Accepted values the page lists (enums; `$true`/`$false`/`$null` for Booleans). */
  readonly values?: readonly string[];
  /** The page documents `$null` as a value. */
  readonly acceptsNull?: boolean;
  /** The page says several values may be given, separated by commas (a [Flags] enum). */
  readonly flags?: boolean;
}

export interface ReferenceCmdlet {
  readonly source: { readonly repo: string; readonly path: string; readonly commit: string };
  /** ExchangeOnlineManagement for the module's own cmdlets; PowerShell's modules for the rest. */
  readonly module?: string;
  /** The page's front-matter line; null for PowerShell's own cmdlets (no Exchange platform). */
  readonly applicable: string | null;
  readonly runsOn?: string;
  readonly confirmImpact?: 'High' | 'Medium' | 'Low';
  readonly parameters: Readonly<Record<string, ReferenceParameter>>;
  /** The page's other parameters, by name only. */
  readonly syntaxOnly?: readonly string[];
  /** Properties a read returns, where Microsoft documents them. */
  readonly outputs?: readonly string[];
  /** The page `outputs` come from when it is not the cmdlet's own. */
  readonly outputsSource?: { readonly repo: string; readonly path: string; readonly commit: string };
}

export interface Reference {
  readonly cmdlets: Readonly<Record<string, ReferenceCmdlet>>;
}

export const REFERENCE_PATH = join(__dirname, 'exchange-reference.json');

export function loadReference(): Reference {
  return JSON.parse(readFileSync(REFERENCE_PATH, 'utf8')) as Reference;
}

const ALL_PLATFORMS: readonly Platform[] = ['exchangeOnline', 'exchangeServer'];

/**
 * The mailpolicy platforms an "Applicable:" line names: `Exchange Online` (not Exchange Online
 * Protection, not the on-premises security add-on) and any `Exchange Server <version>`. A null
 * line (PowerShell's own cmdlets) restricts nothing.
 */
export function platformsOf(applicable: string | null | undefined): readonly Platform[] {
  if (applicable === null || applicable === undefined) return ALL_PLATFORMS;
  const items = applicable.split(',').map((s) => s.trim());
  const out: Platform[] = [];
  if (items.includes('Exchange Online')) out.push('exchangeOnline');
  if (items.some((i) => i.startsWith('Exchange Server'))) out.push('exchangeServer');
  return out;
}

/** The platforms a parameter applies to: its own line, else its cmdlet's. */
export function parameterPlatforms(cmdlet: ReferenceCmdlet, parameter: ReferenceParameter): readonly Platform[] {
  return platformsOf(parameter.applicable ?? cmdlet.applicable);
}

/** `System.Management.Automation.SwitchParameter` → `SwitchParameter`, `System.String[]` → `String[]`. */
export function shortType(type: string): string {
  return type.replace(/^System\.Management\.Automation\./, '').replace(/^System\./, '').replace(/^Microsoft\.PowerShell\.Commands\./, '');
}

/** Exchange and PowerShell types a string value binds to (identity parameters take names). */
function takesString(type: string): boolean {
  return ['String', 'SmtpX509Identifier', 'Fqdn', 'Unlimited', 'Uri', 'Uri[]', 'Guid'].includes(type) || type.endsWith('IdParameter');
}

/** Whether a value of the catalog's type binds to the reference's parameter as Exchange documents it. */
export function compatible(spec: ParameterSpec, parameter: ReferenceParameter): boolean {
  const type = shortType(parameter.type);
  switch (spec.type) {
    case 'boolean':
      // A switch takes -Name:$true / -Name:$false by splatting, as a Boolean does.
      return type === 'Boolean' || type === 'SwitchParameter';
    case 'nullableBoolean':
      return type === 'Boolean' && parameter.acceptsNull === true;
    case 'switch':
      return type === 'SwitchParameter';
    case 'string':
      return takesString(type);
    case 'nullableString':
      // $null clears it, which the reference must document (e.g. Set-OrganizationConfig -DefaultAuthenticationPolicy).
      return takesString(type) && parameter.acceptsNull === true;
    case 'secret':
      return spec.secureString === true ? type === 'SecureString' : type === 'String';
    case 'credential':
      return type === 'PSCredential';
    case 'int':
      return type === 'Int32' || type === 'UInt32';
    case 'stringList':
      return type === 'MultiValuedProperty' || type.endsWith('[]');
    case 'endpointList':
    case 'bindingList':
      return type === 'MultiValuedProperty';
    case 'timespan':
      return type === 'EnhancedTimeSpan' || type === 'TimeSpan';
    case 'byteQuantity':
      return type === 'Unlimited' || type === 'ByteQuantifiedSize';
    case 'dateTime':
      return type === 'DateTime';
    case 'enum':
      return parameter.values !== undefined && !['Boolean', 'SwitchParameter'].includes(type);
    case 'flags':
      return parameter.values !== undefined && parameter.flags === true;
  }
}

export type ProblemKind = 'missing-cmdlet' | 'cmdlet-platform' | 'missing-parameter' | 'type' | 'platform' | 'enum-value';

export interface Problem {
  readonly cmdlet: string;
  readonly parameter?: string;
  readonly kind: ProblemKind;
  readonly detail: string;
}

/** Every way the catalog disagrees with the reference. */
export function compareCatalog(catalog: Readonly<Record<string, CmdletSpec>>, reference: Reference): Problem[] {
  const problems: Problem[] = [];
  for (const [cmdlet, spec] of Object.entries(catalog)) {
    const ref = reference.cmdlets[cmdlet];
    if (!ref) {
      problems.push({ cmdlet, kind: 'missing-cmdlet', detail: 'not in the reference extract' });
      continue;
    }
    const cmdletPlatforms = platformsOf(ref.applicable);
    const wrongCmdlet = spec.platforms.filter((p) => !cmdletPlatforms.includes(p));
    if (wrongCmdlet.length > 0) problems.push({ cmdlet, kind: 'cmdlet-platform', detail: `claimed on ${wrongCmdlet.join(', ')}; the page: ${String(ref.applicable)}` });
    const parameters: Readonly<Record<string, ParameterSpec>> = spec.parameters;
    for (const [name, p] of Object.entries(parameters)) {
      const refParameter = ref.parameters[name];
      if (!refParameter) {
        const hint = ref.syntaxOnly?.includes(name) ? ' (listed in the syntax only: record it)' : '';
        problems.push({ cmdlet, parameter: name, kind: 'missing-parameter', detail: `no such parameter on ${ref.source.path}${hint}` });
        continue;
      }
      if (!compatible(p, refParameter)) problems.push({ cmdlet, parameter: name, kind: 'type', detail: `catalog ${p.type}, reference ${refParameter.type}${refParameter.acceptsNull ? ' ($null allowed)' : ''}` });
      const wrong = (p.platforms ?? spec.platforms).filter((platform) => !parameterPlatforms(ref, refParameter).includes(platform));
      if (wrong.length > 0) problems.push({ cmdlet, parameter: name, kind: 'platform', detail: `claimed on ${wrong.join(', ')}; Applicable: ${refParameter.applicable ?? String(ref.applicable)}` });
      if (p.type === 'enum' || p.type === 'flags') {
        const accepted = (refParameter.values ?? []).map((v) => v.toLowerCase());
        const refused = (p.values ?? []).filter((v) => !accepted.includes(v.toLowerCase()));
        if (refused.length > 0) problems.push({ cmdlet, parameter: name, kind: 'enum-value', detail: `${refused.join(', ')} not among ${(refParameter.values ?? []).join(', ')}` });
      }
    }
  }
  return problems;
}
