/**
 * The per-mailbox POP3/IMAP4 options of Set-CASMailbox (*UseProtocolDefaults,
 * *MessagesRetrievalMimeFormat, *ForceICalForCalendarRetrievalOption, *SuppressReadReceipt,
 * *EnableExactRFC822Size), kept in a sparse map beside the mailbox rows (state.mailboxOptions):
 * only mailboxes with a value other than a new mailbox's are listed, so 100,000 untouched
 * mailboxes cost nothing and the rows keep their shape.
 */
import { CAS_MAILBOX_OPTIONS, casMailboxOptionsOn, type CasMailboxOption } from '../exchange/catalog';
import { MAILBOX_OPTION_DEFAULTS } from '../exchange/defaults';
import type { JsonValue } from '../exchange/types';
import * as err from './errors';
import type { SimulatorState } from './state';

export const MAILBOX_OPTION_NAMES = Object.keys(CAS_MAILBOX_OPTIONS) as CasMailboxOption[];

/** One mailbox's value of an option: its own, else a new mailbox's. */
export function mailboxOption(state: SimulatorState, identity: string, name: CasMailboxOption): boolean | string {
  return state.mailboxOptions?.[identity]?.[name] ?? MAILBOX_OPTION_DEFAULTS[name];
}

/**
 * Applies the options a Set-CASMailbox names; true when one changed. An option the platform
 * lacks is refused as PowerShell refuses an unknown parameter. Unverified: whether Exchange
 * refuses an option while *UseProtocolDefaults is $true (the reference only says it must be
 * $false for the option to apply), so the simulator stores it, as Exchange stores the value.
 */
export function setMailboxOptions(state: SimulatorState, cmdlet: string, identity: string, params: Readonly<Record<string, JsonValue>>): boolean {
  const platform = state.organization.platform;
  const named = MAILBOX_OPTION_NAMES.filter((name) => params[name] !== undefined);
  if (named.length === 0) return false;
  const available = casMailboxOptionsOn(platform);
  for (const name of named) if (!available.includes(name)) throw err.parameterNotFound(cmdlet, name);
  const all = (state.mailboxOptions ??= {});
  const own: Record<string, boolean | string> = { ...all[identity] };
  let changed = false;
  for (const name of named) {
    const value = params[name] as boolean | string;
    if ((own[name] ?? MAILBOX_OPTION_DEFAULTS[name]) === value) continue;
    changed = true;
    if (value === MAILBOX_OPTION_DEFAULTS[name]) delete own[name];
    else own[name] = value;
  }
  if (Object.keys(own).length === 0) delete all[identity];
  else all[identity] = own;
  return changed;
}
