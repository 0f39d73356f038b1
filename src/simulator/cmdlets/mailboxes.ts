/** Simulated per-mailbox cmdlets: Get-EXOCasMailbox, Get-CASMailbox, Set-CASMailbox. */
import type { CasMailboxOption, CmdletName } from '../../exchange/catalog';
import type { JsonValue } from '../../exchange/types';
import * as err from '../errors';
import { mailboxOption, optionsOn, setMailboxOptions } from '../mailbox-options';
import { mailboxNames, proxyAddresses, type MailboxNames } from '../mailbox-names';
import { ROW_DETAILS, ROW_IDENTITY, ROW_IMAP, ROW_POP, ROW_SMTP, ROW_SMTP_AUTH_DISABLED, ROW_UPN, type MailboxRow, type SimulatorState } from '../state';
import { noChangeWarning, notFound, ok, requireString, resultSize, same, truncationWarning, type ExecuteResult, type Params, type Simulation } from './common';

/**
 * The mailbox identity index, rebuilt whenever the rows array is replaced, in two parts: the
 * names a row holds (identity, UPN, addresses, and any name, alias, GUID or DN it stores), built
 * on the first lookup; and the GUIDs and distinguished names derived for rows that store none,
 * built only when a lookup has one of their shapes. Deriving them (a SHA-1 and a long DN per
 * mailbox) is most of the cost — seconds at 60,000 mailboxes, paid by every stand-in host at
 * its first write — and writes name mailboxes by identity or address.
 */
interface MailboxIndex {
  readonly held: Map<string, number[]>;
  derived?: Map<string, number[]>;
}
const mailboxIndexes = new WeakMap<MailboxRow[], MailboxIndex>();

function put(index: Map<string, number[]>, key: string, i: number): void {
  const k = key.toLowerCase();
  const list = index.get(k);
  if (!list) index.set(k, [i]);
  else if (!list.includes(i)) list.push(i);
}

function mailboxIndex(state: SimulatorState): MailboxIndex {
  const rows = state.mailboxes;
  let index = mailboxIndexes.get(rows);
  if (index) return index;
  const held = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const details = row[ROW_DETAILS];
    put(held, row[ROW_IDENTITY], i);
    put(held, row[ROW_SMTP], i);
    put(held, row[ROW_UPN], i);
    if (!details) return;
    for (const form of [details.name, details.alias, details.guid, details.distinguishedName, ...(details.emailAddresses ?? [])]) if (form !== undefined) put(held, form, i);
  });
  index = { held };
  mailboxIndexes.set(rows, index);
  return index;
}

/** What a derived GUID (derivedGuid: version 5) or distinguished name (`CN=…`) looks like, lower-cased. */
const DERIVED_SHAPE = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}|cn=.*)$/s;

function derivedIndex(state: SimulatorState, index: MailboxIndex): Map<string, number[]> {
  if (index.derived) return index.derived;
  const derived = new Map<string, number[]>();
  state.mailboxes.forEach((row, i) => {
    const details = row[ROW_DETAILS];
    if (details?.guid !== undefined && details.distinguishedName !== undefined) return;
    const names = namesOf(state, row);
    if (details?.guid === undefined) put(derived, names.guid, i);
    if (details?.distinguishedName === undefined) put(derived, names.distinguishedName, i);
  });
  index.derived = derived;
  return derived;
}

/**
 * Builds the identity index now: at 100,000 mailboxes it takes a while, which a write must not
 * spend holding the state's lock while other hosts wait for it.
 */
export function prepareMailboxIndex(state: SimulatorState): void {
  mailboxIndex(state);
}

/** The rows -Identity names: identity, name, alias, GUID, distinguished name, UPN or any email address (mailbox-names.ts), case-insensitively. */
function mailboxesNamed(state: SimulatorState, identity: string): number[] {
  const key = identity.toLowerCase();
  const index = mailboxIndex(state);
  const held = index.held.get(key) ?? [];
  if (!DERIVED_SHAPE.test(key)) return held;
  const derived = derivedIndex(state, index).get(key) ?? [];
  return derived.length === 0 ? held : [...new Set([...held, ...derived])];
}

function namesOf(state: SimulatorState, row: MailboxRow): MailboxNames {
  return mailboxNames(row, state.organization.platform, state.organization.name);
}

/**
 * A mailbox as -Identity resolves it: identity, name, alias, distinguished name, GUID, any email
 * address or UPN, case-insensitively (Set-CASMailbox reference); ambiguous when several answer.
 */
export function findMailbox(state: SimulatorState, cmdlet: string, identity: string): MailboxRow {
  const hits = mailboxesNamed(state, identity);
  if (hits.length === 0) throw notFound(state, cmdlet, identity);
  if (hits.length > 1) throw err.ambiguous(cmdlet, identity);
  return state.mailboxes[hits[0] as number] as MailboxRow;
}

/** The Get-EXOCasMailbox properties the simulator models (of the many the REST cmdlet has). */
const EXO_CAS_PROPERTIES = [
  'Identity',
  'Name',
  'Guid',
  'PrimarySmtpAddress',
  'EmailAddresses',
  'PopEnabled',
  'ImapEnabled',
  'SmtpClientAuthenticationDisabled',
  // Set-CASMailbox's options Exchange Online has (not *EnableExactRFC822Size, Exchange Server only).
  'PopUseProtocolDefaults',
  'PopMessagesRetrievalMimeFormat',
  'PopForceICalForCalendarRetrievalOption',
  'PopSuppressReadReceipt',
  'ImapUseProtocolDefaults',
  'ImapMessagesRetrievalMimeFormat',
  'ImapForceICalForCalendarRetrievalOption',
  'ImapSuppressReadReceipt',
] as const;
type ExoCasProperty = (typeof EXO_CAS_PROPERTIES)[number];
/** The options among them: every property after SmtpClientAuthenticationDisabled. */
const EXO_CAS_OPTIONS = EXO_CAS_PROPERTIES.slice(EXO_CAS_PROPERTIES.indexOf('SmtpClientAuthenticationDisabled') + 1) as readonly (ExoCasProperty & CasMailboxOption)[];

/**
 * Every property set Get-EXOCasMailbox accepts (Get-EXOCasMailbox.md, -PropertySets) and, for
 * each, the modelled properties Microsoft lists in it (exchange/docs-conceptual/cmdlet-property-sets.md,
 * "Get-EXOCasMailbox property sets"): Minimum, the default, has PopEnabled and ImapEnabled (but
 * no DistinguishedName); every set has Identity, Name and Guid; All has everything, SMTP AUTH included.
 */
const EXO_CAS_PROPERTY_SETS: ReadonlyMap<string, readonly ExoCasProperty[]> = new Map<string, readonly ExoCasProperty[]>([
  ['minimum', ['Identity', 'Name', 'Guid', 'PrimarySmtpAddress', 'EmailAddresses', 'PopEnabled', 'ImapEnabled']],
  ['activesync', ['Identity', 'Name', 'Guid']],
  ['ews', ['Identity', 'Name', 'Guid']],
  // Imap lists all four Imap options; Pop lists its options but not PopForceICalForCalendarRetrievalOption (the table as Microsoft writes it).
  ['imap', ['Identity', 'Name', 'Guid', 'ImapEnabled', 'ImapUseProtocolDefaults', 'ImapMessagesRetrievalMimeFormat', 'ImapForceICalForCalendarRetrievalOption', 'ImapSuppressReadReceipt']],
  ['mapi', ['Identity', 'Name', 'Guid']],
  ['pop', ['Identity', 'Name', 'Guid', 'PopEnabled', 'PopUseProtocolDefaults', 'PopMessagesRetrievalMimeFormat', 'PopSuppressReadReceipt']],
  ['protocolsettings', ['Identity', 'Name', 'Guid']],
  ['all', EXO_CAS_PROPERTIES],
]);

/** One mailbox as Get-EXOCasMailbox returns it; plain ifs, as reads of 100,000 mailboxes call it 100,000 times. */
function exoMailboxObject(state: SimulatorState, row: MailboxRow, wanted: ReadonlySet<ExoCasProperty>): Record<string, JsonValue> {
  const names = namesOf(state, row);
  const o: Record<string, JsonValue> = { Identity: row[ROW_IDENTITY], Name: names.name, Guid: names.guid };
  if (wanted.has('PrimarySmtpAddress')) o.PrimarySmtpAddress = row[ROW_SMTP];
  if (wanted.has('EmailAddresses')) o.EmailAddresses = proxyAddresses(names);
  if (wanted.has('PopEnabled')) o.PopEnabled = row[ROW_POP];
  if (wanted.has('ImapEnabled')) o.ImapEnabled = row[ROW_IMAP];
  if (wanted.has('SmtpClientAuthenticationDisabled')) o.SmtpClientAuthenticationDisabled = row[ROW_SMTP_AUTH_DISABLED];
  for (const option of EXO_CAS_OPTIONS) if (wanted.has(option)) o[option] = mailboxOption(state, row[ROW_IDENTITY], option);
  return o;
}

/** The properties a Get-EXOCasMailbox call returns: those of its property sets (default Minimum) and those named by -Properties. */
function exoCasProperties(cmdlet: string, params: Params): ReadonlySet<ExoCasProperty> {
  const wanted = new Set<ExoCasProperty>();
  for (const set of (params.PropertySets as string[] | undefined) ?? ['Minimum']) {
    const properties = EXO_CAS_PROPERTY_SETS.get(set.toLowerCase());
    if (!properties) throw err.invalidValue(cmdlet, 'PropertySets', set, `not a property set of Get-EXOCasMailbox (${['Minimum', 'ActiveSync', 'Ews', 'Imap', 'Mapi', 'Pop', 'ProtocolSettings', 'All'].join(', ')})`);
    for (const p of properties) wanted.add(p);
  }
  for (const asked of (params.Properties as string[] | undefined) ?? []) {
    const known = EXO_CAS_PROPERTIES.find((p) => same(p, asked));
    if (known) wanted.add(known);
  }
  return wanted;
}

function getExoCasMailbox(state: SimulatorState, params: Params): ExecuteResult {
  const cmdlet = 'Get-EXOCasMailbox';
  const wanted = exoCasProperties(cmdlet, params);
  if (typeof params.Identity === 'string') return ok(exoMailboxObject(state, findMailbox(state, cmdlet, params.Identity), wanted));
  const size = resultSize(cmdlet, params);
  const rows = state.mailboxes;
  const n = Math.min(rows.length, size);
  const out: JsonValue[] = new Array<JsonValue>(n);
  for (let i = 0; i < n; i++) out[i] = exoMailboxObject(state, rows[i] as MailboxRow, wanted);
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
    ...onPremOptions(state, row[ROW_IDENTITY]),
  };
}

/** Get-CASMailbox returns every option of the mailbox (all ten exist on Exchange Server). */
function onPremOptions(state: SimulatorState, identity: string): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const option of optionsOn('exchangeServer')) out[option] = mailboxOption(state, identity, option);
  return out;
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
  // First: it refuses an option the platform lacks before anything changes.
  let changed = setMailboxOptions(state, cmdlet, row[ROW_IDENTITY], params);
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
