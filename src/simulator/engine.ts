/**
 * The simulated cmdlets: each takes the state and one catalog request, and returns what
 * PowerShell would return after the host's normalisation (connection settings and bindings as
 * strings, enums as strings), or throws an Exchange-like error. Validation happens before any
 * change, so a failed call leaves the state as it was.
 *
 * One table keyed by cmdlet name, put together from one table per area (cmdlets/): a catalog
 * cmdlet without a simulation is a compile error here, not a runtime "does not implement".
 */
import { CATALOG, isCmdletName, type CmdletName, type ParameterSpec } from '../exchange/catalog';
import { assertCatalogRequest, CatalogError } from '../exchange/request';
import type { CmdletRequest } from '../exchange/types';
import * as err from './errors';
import type { ExecuteResult, Simulation } from './cmdlets/common';
import { CERTIFICATE_SIMULATIONS } from './cmdlets/certificates';
import { CONNECTION_SIMULATIONS } from './cmdlets/connection';
import { CONNECTOR_SIMULATIONS } from './cmdlets/connectors';
import { MAILBOX_SIMULATIONS } from './cmdlets/mailboxes';
export { prepareMailboxIndex } from './cmdlets/mailboxes';
import { ORGANISATION_SIMULATIONS } from './cmdlets/organisation';
import { SERVER_SIMULATIONS } from './cmdlets/servers';
import { USER_SIMULATIONS } from './cmdlets/users';
import type { SimulatorState } from './state';

export type { ExecuteResult } from './cmdlets/common';

/** Every catalog cmdlet's simulation. */
const SIMULATIONS: Readonly<Record<CmdletName, Simulation>> = {
  ...CONNECTION_SIMULATIONS,
  ...ORGANISATION_SIMULATIONS,
  ...MAILBOX_SIMULATIONS,
  ...SERVER_SIMULATIONS,
  ...CERTIFICATE_SIMULATIONS,
  ...CONNECTOR_SIMULATIONS,
  ...USER_SIMULATIONS,
};

/** Runs one request against the state. Throws ExchangeError as Exchange would. */
export function execute(state: SimulatorState, request: CmdletRequest): ExecuteResult {
  const cmdlet = request.cmdlet;
  if (!isCmdletName(cmdlet)) throw err.commandNotFound(cmdlet);
  try {
    assertCatalogRequest(request);
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    if (e.reason === 'unknown-parameter') throw err.parameterNotFound(cmdlet, e.parameter ?? '');
    if (e.reason === 'bad-value') throw err.invalidValue(cmdlet, e.parameter ?? '', e.value ?? '', `expected ${e.expected ?? 'another value'}.`);
    throw e;
  }
  const spec = CATALOG[cmdlet];
  if (!(spec.platforms as readonly string[]).includes(state.organization.platform)) throw err.commandNotFound(cmdlet);
  // A parameter of the other platform does not exist here (New-AuthenticationPolicy -AllowBasicAuthPop on Exchange Server).
  const parameters: Readonly<Record<string, ParameterSpec>> = spec.parameters;
  for (const name of Object.keys(request.parameters)) {
    if (parameters[name]?.platforms?.includes(state.organization.platform) === false) throw err.parameterNotFound(cmdlet, name);
  }
  return SIMULATIONS[cmdlet](state, request.parameters, cmdlet, request);
}
