/**
 * The PowerShell host's allowlist, generated from the cmdlet catalog and shipped beside the
 * script as powershell/host-config.json: which cmdlets and parameters may run, which
 * parameters become SecureStrings, how each returned property is serialised, and the error
 * patterns the host flags as transient. `npm run generate` writes the file and
 * test/generated.test.ts keeps it equal to this function's output.
 */
import { packagePath } from '../package-root';
import { CATALOG, CMDLET_NAMES, type CmdletSpec, type ValueType } from './catalog';
import { EXO_ERROR_MESSAGE_PATTERN, PERMANENT_PATTERNS, TRANSIENT_PATTERNS } from './errors';

/** How the host turns a returned property into JSON: as is, `.ToString()`, or each entry `.ToString()`. */
export type ReturnForm = 'value' | 'string' | 'list';

export interface HostCmdletConfig {
  readonly effect: CmdletSpec['effect'];
  readonly platforms: readonly string[];
  readonly remoteService: boolean;
  readonly parameters: readonly string[];
  readonly secureString: readonly string[];
  /** Parameters the host turns from `{UserName, Password}` into a PSCredential. */
  readonly credential: readonly string[];
  readonly returns: Readonly<Record<string, ReturnForm>> | null;
  /** Properties a read request may name in `properties`: shaped besides `returns`, and only when named. */
  readonly optionalReturns: Readonly<Record<string, ReturnForm>> | null;
}

export interface HostConfig {
  readonly comment: string;
  readonly cmdlets: Readonly<Record<string, HostCmdletConfig>>;
  readonly transientPatterns: readonly string[];
  readonly permanentPatterns: readonly string[];
  /** `<code>|<exception type>|<text>`: how Exchange Online's Write-ErrorMessage words an error. */
  readonly exoErrorMessagePattern: string;
}

function returnForm(type: ValueType): ReturnForm {
  switch (type) {
    case 'endpointList':
    case 'bindingList':
    case 'stringList':
      return 'list';
    case 'string':
    case 'nullableString':
    case 'secret':
    case 'enum':
    case 'timespan':
    case 'byteQuantity':
    case 'flags':
      // A flags enum comes back as its string form: `IMAP, POP, SMTP`.
      return 'string';
    default:
      return 'value';
  }
}

function returnForms(table: CmdletSpec['returns']): Record<string, ReturnForm> | null {
  return table ? Object.fromEntries(Object.entries(table).map(([n, p]) => [n, returnForm(p.type)])) : null;
}

export function hostConfig(): HostConfig {
  const cmdlets: Record<string, HostCmdletConfig> = {};
  for (const name of CMDLET_NAMES) {
    const spec: CmdletSpec = CATALOG[name];
    cmdlets[name] = {
      effect: spec.effect,
      platforms: [...spec.platforms],
      remoteService: spec.remoteService === true,
      parameters: Object.keys(spec.parameters),
      secureString: Object.entries(spec.parameters)
        .filter(([, p]) => p.secureString === true)
        .map(([n]) => n),
      credential: Object.entries(spec.parameters)
        .filter(([, p]) => p.type === 'credential')
        .map(([n]) => n),
      returns: returnForms(spec.returns),
      optionalReturns: returnForms(spec.optionalReturns),
    };
  }
  return {
    comment: 'Generated from src/exchange/catalog.ts by src/exchange/host-config.ts. Do not edit.',
    cmdlets,
    transientPatterns: TRANSIENT_PATTERNS,
    permanentPatterns: PERMANENT_PATTERNS,
    exoErrorMessagePattern: EXO_ERROR_MESSAGE_PATTERN,
  };
}

export function hostConfigText(): string {
  return `${JSON.stringify(hostConfig(), null, 2)}\n`;
}

/** powershell/ of the package. */
export function powershellDir(): string {
  return packagePath('powershell');
}

export const HOST_SCRIPT_NAME = 'mailpolicy-host.ps1';
export const HOST_CONFIG_NAME = 'host-config.json';
