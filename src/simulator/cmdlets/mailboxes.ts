/** Simulated per-mailbox cmdlets: Get-EXOCasMailbox, Get-CASMailbox, Set-CASMailbox. */
import type { CmdletName } from '../../exchange/catalog';
import type { JsonValue } from '../../exchange/types';
import * as err from '../errors';
import { identityForms, mailboxNames, proxyAddresses, type MailboxNames } from '../mailbox-names';
import { ROW_IDENTITY, ROW_IMAP, ROW_POP, ROW_SMTP, ROW_SMTP_AUTH_DISABLED, type MailboxRow, type SimulatorState } from '../state';
import { noChangeWarning, notFound, ok, requireString, resultSize, truncationWarning, type ExecuteResult, type Params, type Simulation } from './common';

/** The mailbox identity index, rebuilt whenever the rows array is replaced. */
const mailboxIndexes = new WeakMap<MailboxRow[], Map<string, number[]>>();

function mailboxIndex(state: SimulatorState): Map<string, number[]> {
  const rows = state.mailboxes;
  let index = mailboxIndexes.get(rows);
  if (index) return index;
  index = new Map();
  const put = (key: string, i: number): void => {
    const k = key.toLowerCase();
    const list = index?.get(k);
    if (!list) index?.set(k, [i]);
    else if (!list.includes(i)) list.push(i);
  };
  rows.forEach((row, i) => {
    for (const form of identityForms(namesOf(state, row))) put(form, i);
  });
  mailboxIndexes.set(rows, index);
  return index;
}

function namesOf(state: SimulatorState, row: MailboxRow): MailboxNames {
  return mailboxNames(row, state.organization.platform, state.organization.name);
}

/**
 * A mailbox as -Identity resolves it: identity, name, alias, distinguished name, GUID, any email
 * address or UPN, case-insensitively (Set-CASMailbox reference); ambiguous when several answer.
 */
export function findMailbox(state: SimulatorState, cmdlet: string, identity: string): MailboxRow {
  const hits = mailboxIndex(state).get(identity.toLowerCase()) ?? [];
  if (hits.length === 0) throw notFound(state, cmdlet, identity);
  if (hits.length > 1) throw err.ambiguous(cmdlet, identity);
  return state.mailboxes[hits[0] as number] as MailboxRow;
}

/**
 * Get-EXOCasMailbox honours property sets like the REST cmdlet: Minimum (which has Identity,
 * Name, Guid, PrimarySmtpAddress and EmailAddresses, but no DistinguishedName) unless asked for more.
 */
function exoMailboxObject(state: SimulatorState, row: MailboxRow, pop: boolean, imap: boolean, smtp: boolean): Record<string, JsonValue> {
  const names = namesOf(state, row);
  const o: Record<string, JsonValue> = { Identity: row[ROW_IDENTITY], Name: names.name, Guid: names.guid, PrimarySmtpAddress: row[ROW_SMTP], EmailAddresses: proxyAddresses(names) };
  if (pop) o.PopEnabled = row[ROW_POP];
  if (imap) o.ImapEnabled = row[ROW_IMAP];
  if (smtp) o.SmtpClientAuthenticationDisabled = row[ROW_SMTP_AUTH_DISABLED];
  return o;
}

function getExoCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-EXOCasMailbox';
  const sets = ((params.PropertySets as string[] | undefined) ?? ['Minimum']).map((s) => s.toLowerCase());
  const props = ((params.Properties as string[] | undefined) ?? []).map((s) => s.toLowerCase());
  for (const s of sets) if (!['minimum', 'pop', 'imap', 'all'].includes(s)) throw err.invalidValue(cmdlet, 'PropertySets', s, 'not a property set of Get-EXOCasMailbox');
  const all = sets.includes('all');
  const pop = all || sets.includes('pop') || props.includes('popenabled');
  const imap = all || sets.includes('imap') || props.includes('imapenabled');
  const smtp = all || props.includes('smtpclientauthenticationdisabled');
  if (typeof params.Identity === 'string') return ok(exoMailboxObject(state, findMailbox(state, cmdlet, params.Identity), pop, imap, smtp));
  const size = resultSize(cmdlet, params);
  const rows = state.mailboxes;
  const n = Math.min(rows.length, size);
  const out: JsonValue[] = new Array<JsonValue>(n);
  for (let i = 0; i < n; i++) out[i] = exoMailboxObject(state, rows[i] as MailboxRow, pop, imap, smtp);
  return ok(out, false, truncationWarning(rows.length, size));
}

function onPremMailboxObject(state: SimulatorState, row: MailboxRow): Record<string, JsonValue> {
  const names = namesOf(state, row);
  return {
    Identity: row[ROW_IDENTITY],
    Name: names.name,
    Guid: names.guid,
    DistinguishedName: names.distinguishedName,
    PrimarySmtpAddress: row[ROW_SMTP],
    EmailAddresses: proxyAddresses(names),
    PopEnabled: row[ROW_POP],
    ImapEnabled: row[ROW_IMAP],
  };
}

function getCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-CASMailbox';
  if (typeof params.Identity === 'string') return ok(onPremMailboxObject(state, findMailbox(state, cmdlet, params.Identity)));
  const size = resultSize(cmdlet, params);
  const n = Math.min(state.mailboxes.length, size);
  const out: JsonValue[] = new Array<JsonValue>(n);
  for (let i = 0; i < n; i++) out[i] = onPremMailboxObject(state, state.mailboxes[i] as MailboxRow);
  return ok(out, false, truncationWarning(state.mailboxes.length, size));
}

function setCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Set-CASMailbox';
  const identity = requireString(cmdlet, params, 'Identity');
  const online = state.organization.platform === 'exchangeOnline';
  if (!online && 'SmtpClientAuthenticationDisabled' in params) throw err.parameterNotFound(cmdlet, 'SmtpClientAuthenticationDisabled');
  const row = findMailbox(state, cmdlet, identity);
  let changed = false;
  const assign = (column: typeof ROW_POP | typeof ROW_IMAP | typeof ROW_SMTP_AUTH_DISABLED, value: JsonValue | undefined): void => {
    if (value === undefined || row[column] === value) return;
    (row as unknown[])[column] = value;
    changed = true;
  };
  assign(ROW_POP, params.PopEnabled);
  assign(ROW_IMAP, params.ImapEnabled);
  assign(ROW_SMTP_AUTH_DISABLED, params.SmtpClientAuthenticationDisabled);
  return ok(null, changed, changed ? [] : [noChangeWarning(cmdlet, row[ROW_IDENTITY])]);
}

export const MAILBOX_SIMULATIONS = {
  'Get-EXOCasMailbox': getExoCasMailbox,
  'Get-CASMailbox': getCasMailbox,
  'Set-CASMailbox': setCasMailbox,
} satisfies Partial<Record<CmdletName, Simulation>>;
