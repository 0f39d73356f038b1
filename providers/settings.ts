/**
 * The stack configuration the providers and the program read (project namespace `mailpolicy`):
 * which backend, how to reach the organisation, and what delete does. The providers read it
 * in `configure()`; what delete does reaches them as a resource input instead (the program
 * copies it into every resource), because the engine configures a delete with the config stored
 * at the last `up`, where no preview shows it (issue 17). Parsed in one place; the PowerShell
 * credentials reach the providers only through `configure()`, never through resource inputs or
 * captured variables, so they are never stored in state.
 */
import * as path from 'node:path';
import { parseCallTimeoutSeconds } from '../src/exchange/call-timeout';
import { parseMaxConcurrency } from '../src/reconcile/max-concurrency';
import { shortSecretProblem } from '../src/exchange/redact';
import { WSMAN_AUTHENTICATIONS, type WsmanAuthentication } from '../src/exchange/catalog';

export const CONFIG_NAMESPACE = 'mailpolicy';

export const BACKEND_KINDS = ['simulator', 'powershell'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];

/** Every key, without the namespace. Pulumi.yaml declares the same keys with their types. */
export const CONFIG_KEYS = {
  policyFile: 'policyFile',
  backend: 'backend',
  simulatorState: 'simulatorState',
  restoreDefaultsOnDelete: 'restoreDefaultsOnDelete',
  callTimeoutSeconds: 'callTimeoutSeconds',
  maxConcurrency: 'maxConcurrency',
  allowUnmatchedExceptions: 'allowUnmatchedExceptions',
  pwshPath: 'pwshPath',
  appId: 'appId',
  certificateFile: 'certificateFile',
  certificatePassword: 'certificatePassword',
  managedIdentity: 'managedIdentity',
  connectionUri: 'connectionUri',
  authentication: 'authentication',
  remotingUser: 'remotingUser',
  remotingPassword: 'remotingPassword',
} as const;

/** The keys whose value must be a Pulumi secret (`pulumi config set --secret`): the program refuses them in plain text. */
export const SECRET_CONFIG_KEYS: readonly string[] = [CONFIG_KEYS.certificatePassword, CONFIG_KEYS.remotingPassword];

export interface PowerShellSettings {
  /** PowerShell 7 executable; default `pwsh` on PATH. */
  readonly pwshPath?: string;
  readonly appId?: string;
  readonly certificateFile?: string;
  /** Secret: from `pulumi config set --secret`. */
  readonly certificatePassword?: string;
  readonly managedIdentity?: boolean;
  /** Exchange Server: `http://FQDN/PowerShell/`. */
  readonly connectionUri?: string;
  /** Exchange Server: WSMan authentication of New-PSSession and Invoke-Command (default Kerberos). */
  readonly authentication?: WsmanAuthentication;
  /** Exchange Server: the account to connect as (default the current user); a local administrator on each Exchange server. */
  readonly remotingUser?: string;
  /** Secret: the password of remotingUser, from `pulumi config set --secret`. */
  readonly remotingPassword?: string;
}

export type BackendSettings =
  | { readonly backend: 'simulator'; readonly simulatorState: string }
  | ({ readonly backend: 'powershell' } & PowerShellSettings);

export type ProviderSettings = BackendSettings & {
  /** On delete, put Exchange's defaults back instead of leaving the organisation as it is (the program makes it every resource's input). */
  readonly restoreDefaultsOnDelete: boolean;
  /** The longest one cmdlet may take (both backends); unset: the default, 15 minutes. */
  readonly callTimeoutSeconds?: number;
  /** The most connections mailbox changes may use at once; unset: the executor's default. */
  readonly maxConcurrency?: number;
  /** Apply mailbox settings even when an exception identity matches no mailbox (refused by default). */
  readonly allowUnmatchedExceptions: boolean;
};

export class SettingsError extends Error {
  override readonly name = 'SettingsError';
}

/**
 * `get(key)` returns the value of `mailpolicy:<key>` or undefined. Relative paths are resolved
 * from `projectDir` (where Pulumi.yaml is).
 */
export function readProviderSettings(get: (key: string) => string | undefined, projectDir: string): ProviderSettings {
  const callTimeoutSeconds = readCallTimeout(get);
  const maxConcurrency = readMaxConcurrency(get);
  return {
    ...readBackendSettings(get, projectDir),
    restoreDefaultsOnDelete: readBoolean(get, CONFIG_KEYS.restoreDefaultsOnDelete),
    allowUnmatchedExceptions: readBoolean(get, CONFIG_KEYS.allowUnmatchedExceptions),
    ...(callTimeoutSeconds === undefined ? {} : { callTimeoutSeconds }),
    ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
  };
}

/** A whole number from 1 to MAX_CONCURRENCY_LIMIT; unset or empty is the default. */
function readMaxConcurrency(get: (key: string) => string | undefined): number | undefined {
  const value = get(CONFIG_KEYS.maxConcurrency);
  if (value === undefined || value === '') return undefined;
  const parsed = parseMaxConcurrency(value);
  if (!parsed.ok) throw new SettingsError(`${CONFIG_NAMESPACE}:${CONFIG_KEYS.maxConcurrency} ${parsed.problem}`);
  return parsed.value;
}

/** A whole number of seconds (as `pulumi config set` stores a number, or a string of digits); unset or empty is the default. */
function readCallTimeout(get: (key: string) => string | undefined): number | undefined {
  const value = get(CONFIG_KEYS.callTimeoutSeconds);
  if (value === undefined || value === '') return undefined;
  const parsed = parseCallTimeoutSeconds(value);
  if (!parsed.ok) throw new SettingsError(`${CONFIG_NAMESPACE}:${CONFIG_KEYS.callTimeoutSeconds} ${parsed.problem}`);
  return parsed.seconds;
}

/** `true` or `false` (as `pulumi config set` stores a boolean); unset or empty is false. */
function readBoolean(get: (key: string) => string | undefined, key: string): boolean {
  const value = get(key);
  if (value === undefined || value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new SettingsError(`${CONFIG_NAMESPACE}:${key} must be true or false, not ${value}`);
}

function readBackendSettings(get: (key: string) => string | undefined, projectDir: string): BackendSettings {
  const backend = (get(CONFIG_KEYS.backend) ?? 'simulator') as BackendKind;
  if (!BACKEND_KINDS.includes(backend)) {
    throw new SettingsError(`${CONFIG_NAMESPACE}:${CONFIG_KEYS.backend} must be one of ${BACKEND_KINDS.join(', ')}, not ${String(backend)}`);
  }
  const file = (key: string): string | undefined => {
    const value = get(key);
    return value === undefined || value === '' ? undefined : path.resolve(projectDir, value);
  };
  if (backend === 'simulator') {
    const simulatorState = file(CONFIG_KEYS.simulatorState);
    if (simulatorState === undefined) throw new SettingsError(`${CONFIG_NAMESPACE}:${CONFIG_KEYS.simulatorState} is required with the simulator backend`);
    return { backend, simulatorState };
  }
  const text = (key: string): string | undefined => {
    const value = get(key);
    return value === undefined || value === '' ? undefined : value;
  };
  const pwshPath = text(CONFIG_KEYS.pwshPath);
  const appId = text(CONFIG_KEYS.appId);
  const certificateFile = file(CONFIG_KEYS.certificateFile);
  const secret = (key: string): string | undefined => {
    const value = text(key);
    const problem = value === undefined ? undefined : shortSecretProblem(`${CONFIG_NAMESPACE}:${key}`, value);
    if (problem) throw new SettingsError(problem);
    return value;
  };
  const certificatePassword = secret(CONFIG_KEYS.certificatePassword);
  const connectionUri = text(CONFIG_KEYS.connectionUri);
  const authentication = text(CONFIG_KEYS.authentication);
  if (authentication !== undefined && !(WSMAN_AUTHENTICATIONS as readonly string[]).includes(authentication)) {
    throw new SettingsError(`${CONFIG_NAMESPACE}:${CONFIG_KEYS.authentication} must be one of ${WSMAN_AUTHENTICATIONS.join(', ')}, not ${authentication}`);
  }
  const remotingUser = text(CONFIG_KEYS.remotingUser);
  const remotingPassword = secret(CONFIG_KEYS.remotingPassword);
  if ((remotingUser === undefined) !== (remotingPassword === undefined)) {
    throw new SettingsError(`${CONFIG_NAMESPACE}:${CONFIG_KEYS.remotingUser} and ${CONFIG_NAMESPACE}:${CONFIG_KEYS.remotingPassword} go together: set both, or neither to connect as the current user`);
  }
  const managedIdentity = text(CONFIG_KEYS.managedIdentity) === 'true';
  return {
    backend,
    ...(pwshPath === undefined ? {} : { pwshPath }),
    ...(appId === undefined ? {} : { appId }),
    ...(certificateFile === undefined ? {} : { certificateFile }),
    ...(certificatePassword === undefined ? {} : { certificatePassword }),
    ...(managedIdentity ? { managedIdentity } : {}),
    ...(connectionUri === undefined ? {} : { connectionUri }),
    ...(authentication === undefined ? {} : { authentication: authentication as WsmanAuthentication }),
    ...(remotingUser === undefined ? {} : { remotingUser }),
    ...(remotingPassword === undefined ? {} : { remotingPassword }),
  };
}
