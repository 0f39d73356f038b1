/**
 * What every simulated cmdlet shares: the shape of a simulation (state + one catalog request's
 * parameters → what PowerShell would return, or an Exchange-like error) and the small helpers
 * that make results, warnings and errors the way Exchange does.
 */
import type { CmdletName } from '../../exchange/catalog';
import type { CmdletRequest, ExchangeError, JsonValue } from '../../exchange/types';
import * as err from '../errors';
import type { SimulatorState } from '../state';

export interface ExecuteResult {
  readonly data: JsonValue;
  readonly warnings: readonly string[];
  /** The state was modified and must be saved. */
  readonly changed: boolean;
}

export type Params = Readonly<Record<string, JsonValue>>;

export const GUID_SUFFIX = /-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exchange's default ResultSize for Get-*Mailbox cmdlets. */
export const DEFAULT_RESULT_SIZE = 1000;

export function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export function ok(data: JsonValue, changed = false, warnings: readonly string[] = []): ExecuteResult {
  return { data, warnings, changed };
}

export function noChangeWarning(cmdlet: string, identity: string): string {
  return `The command completed successfully but no settings of '${identity}' have been modified.`;
}

export function requireString(cmdlet: string, params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw err.missingParameter(cmdlet, name);
  return value;
}

/** Exchange names the directory server it searched: a domain controller on premises. */
export function notFound(state: SimulatorState, cmdlet: string, identity: string): ExchangeError {
  if (state.organization.platform === 'exchangeOnline') return err.notFound(cmdlet, identity);
  const domain = state.servers?.[0]?.fqdn.split('.').slice(1).join('.') || 'contoso.com';
  return err.notFound(cmdlet, identity, `DC01.${domain}`);
}

export function resultSize(cmdlet: string, params: Params): number {
  const raw = params.ResultSize;
  if (raw === undefined) return DEFAULT_RESULT_SIZE;
  if (typeof raw === 'string' && same(raw, 'Unlimited')) return Number.POSITIVE_INFINITY;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw err.invalidValue(cmdlet, 'ResultSize', raw, 'expected a positive whole number or Unlimited');
  return n;
}

export function truncationWarning(total: number, size: number): string[] {
  return total > size ? ['There are more results available than are currently displayed. To view them, increase the value for the ResultSize parameter.'] : [];
}


/**
 * One cmdlet as the simulator runs it. Validation happens before any change, so a failed call
 * leaves the state as it was. `cmdlet` is the name it was called by (one simulation may serve
 * several cmdlets, e.g. Get-PopSettings and Get-ImapSettings); `request` the whole request, for
 * what travels beside the parameters (a service cmdlet's computerName).
 */
export type Simulation = (state: SimulatorState, params: Params, cmdlet: CmdletName, request: CmdletRequest) => ExecuteResult;
