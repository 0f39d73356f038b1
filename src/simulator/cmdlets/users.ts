/**
 * Simulated Get-User / Set-User: the users behind the mailboxes (the simulator models a user for
 * every mailbox, named as the mailbox is), with the authentication policy assigned to each and,
 * in Exchange Online, the time their STS refresh tokens are valid from. Both live in sparse maps
 * of the state keyed by the mailbox's identity, never in the mailbox rows.
 * Reference: Set-User.md (-Identity: name, UPN, DN, GUID; -AuthenticationPolicy: a policy's
 * name, DN or GUID, `$null` removes the assignment; -StsRefreshTokensValidFrom: Exchange Online
 * only), Get-User.md. Get-User's AuthenticationPolicy holds the policy's DN (docs/exchange-facts.md).
 */
import type { CmdletName } from '../../exchange/catalog';
import type { JsonValue } from '../../exchange/types';
import * as err from '../errors';
import { mailboxNames } from '../mailbox-names';
import { ROW_IDENTITY, type MailboxRow, type SimulatorState } from '../state';
import { noChangeWarning, ok, requireString, resultSize, truncationWarning, type ExecuteResult, type Params, type Simulation } from './common';
import { findMailbox } from './mailboxes';
import { findPolicy, policyDistinguishedName } from './organisation';

function userObject(state: SimulatorState, row: MailboxRow): Record<string, JsonValue> {
  const names = mailboxNames(row, state.organization.platform, state.organization.name);
  const policy = state.userAuthenticationPolicies?.[row[ROW_IDENTITY]];
  return {
    Identity: names.identity,
    Name: names.name,
    Guid: names.guid,
    DistinguishedName: names.distinguishedName,
    UserPrincipalName: names.userPrincipalName,
    AuthenticationPolicy: policy === undefined ? null : policyDistinguishedName(state, policy),
  };
}

function getUser(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-User';
  if (typeof params.Identity === 'string') return ok(userObject(state, findMailbox(state, cmdlet, params.Identity)));
  const size = resultSize(cmdlet, params);
  const rows = state.mailboxes.slice(0, size);
  return ok(
    rows.map((row) => userObject(state, row)),
    false,
    truncationWarning(state.mailboxes.length, size),
  );
}

function setUser(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-User';
  const row = findMailbox(state, cmdlet, requireString(cmdlet, params, 'Identity'));
  const user = row[ROW_IDENTITY];
  // Everything is validated before anything changes: a failed call leaves the state as it was.
  const wanted = params.AuthenticationPolicy;
  const policy = typeof wanted === 'string' ? findPolicy(state, cmdlet, wanted) : undefined;
  const validFrom = params.StsRefreshTokensValidFrom;
  if (validFrom !== undefined && (typeof validFrom !== 'string' || Number.isNaN(Date.parse(validFrom)))) {
    throw err.invalidValue(cmdlet, 'StsRefreshTokensValidFrom', validFrom, 'expected a date-time.');
  }
  let changed = false;
  if (wanted !== undefined) {
    const assigned = (state.userAuthenticationPolicies ??= {});
    const before = assigned[user];
    if (policy === undefined && before !== undefined) {
      delete assigned[user];
      changed = true;
    } else if (policy !== undefined && before !== policy.name) {
      assigned[user] = policy.name;
      changed = true;
    }
  }
  if (typeof validFrom === 'string') {
    const tokens = (state.userStsRefreshTokensValidFrom ??= {});
    const text = new Date(validFrom).toISOString();
    if (tokens[user] !== text) {
      tokens[user] = text;
      changed = true;
    }
  }
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, user)]);
}

export const USER_SIMULATIONS = {
  'Get-User': getUser,
  'Set-User': setUser,
} satisfies Partial<Record<CmdletName, Simulation>>;
