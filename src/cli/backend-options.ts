/**
 * The options every command that talks to an organisation shares: which backend, and how to
 * reach it. Secrets never travel in argv (visible to every process on the machine): the
 * certificate password and access token come from environment variables.
 */
import type { BackendOptions } from '../backends/open-backend';
import { DEFAULT_CALL_TIMEOUT_SECONDS, parseCallTimeoutSeconds } from '../exchange/call-timeout';
import { shortSecretProblem } from '../exchange/redact';
import { WSMAN_AUTHENTICATIONS } from '../exchange/catalog';
import { ACCESS_TOKEN_ENV, CERTIFICATE_PASSWORD_ENV, REMOTING_PASSWORD_ENV } from '../exchange/secret-env';
import { CLOUDS, PLATFORMS, type Cloud, type Platform } from '../model/types';
import type { OptionSpecs, OptionValues } from './args/spec';
import { UsageError } from './exit-codes';

export const BACKEND_KINDS = ['simulator', 'powershell'] as const;

function callTimeoutSeconds(text: string): number {
  const parsed = parseCallTimeoutSeconds(text);
  if (!parsed.ok) throw new UsageError(`--call-timeout ${parsed.problem}`);
  return parsed.seconds;
}

const CHOOSE_BACKEND = {
  backend: { value: 'kind', description: 'where the organisation is: the built-in simulator or Exchange through PowerShell', choices: BACKEND_KINDS, default: 'simulator' },
  state: { value: 'path', description: 'simulator state file (--backend simulator; create one with `mailpolicy sim init`)' },
  callTimeout: {
    value: 'seconds',
    description: `the longest one cmdlet may take, retries included, before the command gives up on it with exit 2 (default ${DEFAULT_CALL_TIMEOUT_SECONDS}: Exchange Online's 15 minutes per cmdlet)`,
    parse: callTimeoutSeconds,
  },
} as const satisfies OptionSpecs;

/** For a command with no document saying which organisation it reads (export). */
const CHOOSE_TARGET = {
  platform: { value: 'platform', description: 'PowerShell: Exchange Online or Exchange Server', choices: PLATFORMS, default: 'exchangeOnline' },
  cloud: { value: 'cloud', description: 'Exchange Online: the cloud to connect to (PowerShell); when given, checked against the organisation\'s own', choices: CLOUDS },
  organization: { value: 'name', description: 'tenant (contoso.onmicrosoft.com) or on-premises organisation to connect to (PowerShell); when given, it must be an accepted domain of the organisation' },
} as const satisfies OptionSpecs;

const SIGN_IN = {
  appId: { value: 'id', description: 'PowerShell, Exchange Online: app-only sign-in, the application (client) id' },
  certificateFile: { value: 'path', description: `PowerShell, Exchange Online: app-only sign-in, a .pfx file (password in $${CERTIFICATE_PASSWORD_ENV})` },
  managedIdentity: { description: 'PowerShell, Exchange Online: sign in as the Azure managed identity' },
  connectionUri: { value: 'uri', description: 'PowerShell, Exchange Server: http://<fqdn>/PowerShell/ (Windows hosts only)' },
  remotingUser: {
    value: 'name',
    description: `PowerShell, Exchange Server: connect (New-PSSession, and Invoke-Command for the services) as this account instead of the current user (password in $${REMOTING_PASSWORD_ENV}); it must be a local administrator on each Exchange server`,
  },
  authentication: { value: 'mechanism', description: 'PowerShell, Exchange Server: WSMan authentication of New-PSSession and Invoke-Command (default Kerberos)', choices: WSMAN_AUTHENTICATIONS },
  // $MAILPOLICY_PWSH is the runner's PWSH_PATH_ENV, not imported: the runner is too heavy to load for --help.
  pwsh: { value: 'path', description: 'PowerShell: the PowerShell 7 executable (default: $MAILPOLICY_PWSH, else pwsh on PATH)' },
} as const satisfies OptionSpecs;

/** The options of a command whose document names the organisation (drift, plan, apply). */
export const DOCUMENT_BACKEND_OPTIONS = { ...CHOOSE_BACKEND, ...SIGN_IN } as const satisfies OptionSpecs;

/** The options of a command that names the organisation on the command line (export). */
export const TARGET_BACKEND_OPTIONS = { ...CHOOSE_BACKEND, ...CHOOSE_TARGET, ...SIGN_IN } as const satisfies OptionSpecs;

/** What the shared options parse to; the target options only when the command has no document. */
export type BackendCliOptions = OptionValues<typeof DOCUMENT_BACKEND_OPTIONS> & Partial<OptionValues<typeof CHOOSE_TARGET>>;

export interface ConnectionTarget {
  readonly platform: Platform;
  readonly cloud?: Cloud;
  readonly organization: string;
}

/** The backend to open; `target` is the document's organisation, when there is a document. */
export function backendOptions(options: BackendCliOptions, target?: ConnectionTarget, env: NodeJS.ProcessEnv = process.env): BackendOptions {
  const callTimeout = options.callTimeout === undefined ? {} : { callTimeoutMs: options.callTimeout * 1000 };
  if (options.backend === 'simulator') {
    if (options.state === undefined || options.state === '') {
      throw new UsageError('--state PATH is required with --backend simulator (create a simulated organisation with `mailpolicy sim init`)');
    }
    return { kind: 'simulator', statePath: options.state, ...callTimeout };
  }
  const platform = target?.platform ?? options.platform ?? 'exchangeOnline';
  const organization = target?.organization ?? options.organization;
  if (organization === undefined || organization === '') throw new UsageError('--organization is required with --backend powershell');
  const cloud = target?.cloud ?? options.cloud;
  const password = secretVariable(env, CERTIFICATE_PASSWORD_ENV);
  const token = secretVariable(env, ACCESS_TOKEN_ENV);
  // Read only with --remoting-user: a password left in the environment changes nothing by itself.
  const remotingPassword = options.remotingUser === undefined ? undefined : secretVariable(env, REMOTING_PASSWORD_ENV);
  if (options.remotingUser !== undefined && remotingPassword === undefined) {
    throw new UsageError(`--remoting-user needs its password in $${REMOTING_PASSWORD_ENV}`);
  }
  return {
    kind: 'powershell',
    platform,
    organization,
    ...(platform === 'exchangeOnline' ? { cloud: cloud ?? 'worldwide' } : {}),
    ...(options.appId === undefined ? {} : { appId: options.appId }),
    ...(options.certificateFile === undefined ? {} : { certificateFilePath: options.certificateFile }),
    ...(password ? { certificatePassword: password } : {}),
    ...(options.managedIdentity === true ? { managedIdentity: true } : {}),
    ...(token ? { accessToken: token } : {}),
    ...(options.connectionUri === undefined ? {} : { connectionUri: options.connectionUri }),
    ...(options.remotingUser === undefined ? {} : { remotingUser: options.remotingUser }),
    ...(remotingPassword ? { remotingPassword } : {}),
    ...(options.authentication === undefined ? {} : { authentication: options.authentication }),
    ...(options.pwsh === undefined ? {} : { pwshPath: options.pwsh }),
    ...callTimeout,
  };
}

/** A secret from the environment; unset or empty is none, one too short to redact is refused. */
function secretVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const problem = shortSecretProblem(`$${name}`, value);
  if (problem) throw new UsageError(problem);
  return value;
}
