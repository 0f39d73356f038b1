/**
 * Connection settings for the PowerShell backend, and the connect request built from them.
 * Secrets (certificate password, access token) travel to the host only inside that request, as
 * JSON on stdin: never in argv, environment or script text.
 */
import type { Cloud, Platform } from '../model/types';
import { exchangeEnvironmentOf } from '../model/clouds';
import { EXO_SESSION_CMDLETS, type WsmanAuthentication } from './catalog';
import { buildRequest } from './request';
import { shortSecretProblem } from './redact';
import type { CmdletRequest } from './types';

export interface PowerShellConnectionSettings {
  readonly platform: Platform;
  /** Exchange Online: selects -ExchangeEnvironmentName (default worldwide). */
  readonly cloud?: Cloud;
  /** Exchange Online: the tenant, e.g. `contoso.onmicrosoft.com`. Exchange Server: the organisation name. */
  readonly organization: string;
  /** App-only authentication: the application (client) id. */
  readonly appId?: string;
  /** App-only authentication: a .pfx file; `-CertificateThumbprint` is Windows-only and not offered. */
  readonly certificateFilePath?: string;
  /** Secret. */
  readonly certificatePassword?: string;
  /** Azure managed identity (system-assigned). */
  readonly managedIdentity?: boolean;
  /** Secret: an OAuth access token for Exchange Online. */
  readonly accessToken?: string;
  /** Exchange Server: `http://<fqdn>/PowerShell/` (remote PowerShell; Windows hosts only). */
  readonly connectionUri?: string;
  /**
   * Exchange Server: WSMan authentication (default Kerberos), for New-PSSession and for the
   * Invoke-Command that runs the service cmdlets on each server.
   */
  readonly authentication?: WsmanAuthentication;
  /**
   * Exchange Server: the account to connect as (default: the current user), e.g.
   * `WOODGROVE\svc-mailpolicy`; with `remotingPassword`. It must be a local administrator on
   * every Exchange server whose services mailpolicy controls (Set-Service needs elevation).
   */
  readonly remotingUser?: string;
  /** Secret: the password of `remotingUser`. */
  readonly remotingPassword?: string;
}

export class ConnectionSettingsError extends Error {
  override readonly name = 'ConnectionSettingsError';
}

/** The secrets of a connection: what the runner redacts everywhere. */
export function connectionSecrets(settings: PowerShellConnectionSettings): string[] {
  return [settings.certificatePassword, settings.accessToken, settings.remotingPassword].filter((s): s is string => typeof s === 'string' && s !== '');
}

export function buildConnectRequest(settings: PowerShellConnectionSettings): CmdletRequest {
  if (!settings.organization) throw new ConnectionSettingsError('organization is required to connect');
  for (const [name, value] of [['accessToken', settings.accessToken], ['certificatePassword', settings.certificatePassword], ['remotingPassword', settings.remotingPassword]] as const) {
    const problem = value === undefined ? undefined : shortSecretProblem(name, value);
    if (problem) throw new ConnectionSettingsError(problem);
  }
  const credentialGiven = settings.remotingUser !== undefined || settings.remotingPassword !== undefined;
  if (settings.platform === 'exchangeServer') {
    if (!settings.connectionUri) throw new ConnectionSettingsError('connectionUri is required for Exchange Server (e.g. http://ex01.contoso.com/PowerShell/)');
    if (credentialGiven && (!settings.remotingUser || settings.remotingPassword === undefined)) {
      throw new ConnectionSettingsError('a remoting credential needs both remotingUser and remotingPassword');
    }
    return buildRequest('New-PSSession', {
      configurationName: 'Microsoft.Exchange',
      connectionUri: settings.connectionUri,
      authentication: settings.authentication ?? 'Kerberos',
      credential: settings.remotingUser === undefined || settings.remotingPassword === undefined ? undefined : { UserName: settings.remotingUser, Password: settings.remotingPassword },
    });
  }
  if (credentialGiven || settings.authentication !== undefined) {
    throw new ConnectionSettingsError('remotingUser, remotingPassword and authentication are for Exchange Server (PowerShell remoting); Exchange Online signs in with appId + certificate, managedIdentity or accessToken');
  }
  const methods = [settings.appId !== undefined || settings.certificateFilePath !== undefined, settings.managedIdentity === true, settings.accessToken !== undefined].filter(Boolean).length;
  if (methods !== 1) {
    throw new ConnectionSettingsError('choose exactly one way to sign in to Exchange Online: appId + certificateFilePath (+ certificatePassword), managedIdentity, or accessToken');
  }
  if ((settings.appId === undefined) !== (settings.certificateFilePath === undefined)) {
    throw new ConnectionSettingsError('app-only authentication needs both appId and certificateFilePath');
  }
  return buildRequest('Connect-ExchangeOnline', {
    appId: settings.appId,
    organization: settings.organization,
    certificateFilePath: settings.certificateFilePath,
    certificatePassword: settings.certificatePassword,
    managedIdentity: settings.managedIdentity === true ? true : undefined,
    accessToken: settings.accessToken,
    exchangeEnvironmentName: exchangeEnvironmentOf(settings.cloud ?? 'worldwide'),
    showBanner: false,
    // Only the cmdlets mailpolicy runs, without format data: faster and smaller, as Microsoft
    // recommends for services (Connect-ExchangeOnline reference, -CommandName, -SkipLoadingFormatData).
    commandName: [...EXO_SESSION_CMDLETS],
    skipLoadingFormatData: true,
  });
}
