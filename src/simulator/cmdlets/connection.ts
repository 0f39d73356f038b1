/** Simulated connection cmdlets: connecting, the endpoint connected to, the accepted domains. */
import type { CmdletName } from '../../exchange/catalog';
import { connectionUriOfCloud, exchangeEnvironmentOf } from '../../model/clouds';
import { ExchangeError } from '../../exchange/types';
import * as err from '../errors';
import { acceptedDomains, type SimulatorState } from '../state';
import { ok, resultSize, same, truncationWarning, type ExecuteResult, type Params, type Simulation } from './common';

/** Every accepted domain, the first (the organisation's name unless the state lists others) the default; -ResultSize exists only in the cloud. */
function getAcceptedDomain(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-AcceptedDomain';
  if (state.organization.platform === 'exchangeServer' && 'ResultSize' in params) throw err.parameterNotFound(cmdlet, 'ResultSize');
  const domains = acceptedDomains(state.organization);
  const size = resultSize(cmdlet, params);
  const out = domains.slice(0, size).map((domain, i) => ({ Name: domain, DomainName: domain, DomainType: 'Authoritative', Default: i === 0 }));
  return ok(out, false, truncationWarning(domains.length, size));
}

/** Connecting checks the organisation: an app registered in another tenant cannot sign in here. */
function connect(state: SimulatorState, params: Params, cmdlet: CmdletName): ExecuteResult {
  if (cmdlet === 'Connect-ExchangeOnline') {
    const organization = params.Organization;
    const environment = params.ExchangeEnvironmentName ?? exchangeEnvironmentOf('worldwide');
    const cloud = state.organization.cloud ?? 'worldwide';
    if ((typeof organization === 'string' && !same(organization, state.organization.name)) || environment !== exchangeEnvironmentOf(cloud)) {
      throw new ExchangeError(cmdlet, {
        message: `AADSTS90002: Tenant '${String(organization)}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        type: 'Microsoft.Identity.Client.MsalServiceException',
        fullyQualifiedErrorId: 'Microsoft.Identity.Client.MsalServiceException,Connect-ExchangeOnline',
        category: 'AuthenticationError',
        transient: false,
      });
    }
  }
  return ok(null);
}

export const CONNECTION_SIMULATIONS = {
  'Connect-ExchangeOnline': connect,
  'New-PSSession': connect,
  'Get-ConnectionInformation': (state) =>
    ok([{ ConnectionUri: connectionUriOfCloud(state.organization.cloud ?? 'worldwide'), Organization: state.organization.name, State: 'Connected', TokenStatus: 'Active' }]),
  'Get-AcceptedDomain': getAcceptedDomain,
} satisfies Partial<Record<CmdletName, Simulation>>;
