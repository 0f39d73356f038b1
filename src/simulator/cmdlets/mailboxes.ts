/** Simulated per-mailbox cmdlets: Get-EXOCasMailbox, Get-CASMailbox, Set-CASMailbox. */
import { casMailboxOptionsOn, type CasMailboxOption, type CmdletName } from '../../exchange/catalog';
import type { CmdletRequest, JsonValue } from '../../exchange/types';
import { NameIndex } from '../../text/name-index';
import * as err from '../errors';
import { mailboxOption, setMailboxOptions } from '../mailbox-options';
import { derivedDnName, hasDerivedDistinguishedName, hasDerivedGuid, mailboxNames, proxyAddresses, storedIdentityForms, type MailboxNames } from '../mailbox-names';
import { ROW_IDENTITY, ROW_IMAP, ROW_POP, ROW_SMTP, ROW_SMTP_AUTH_DISABLED, type MailboxRow, type SimulatorState } from '../state';
import { noChangeWarning, notFound, ok, requireString, resultSize, same, truncationWarning, type ExecuteResult, type Params, type Simulation } from './common';

/**
 * The mailbox identity index, rebuilt whenever the rows array is replaced: the names rows store;
 * derived GUIDs only once a GUID is asked for; derived distinguished names never (found through
 * the name they derive from). At 100,000 mailboxes the derived names were most of the index.
 * Reads name a few mailboxes (a document's exceptions) and are answered by scanning the rows;
 * the index is built for writes (`prepareMailboxIndex`) or once lookups are many.
 */
const storedIndexes = new WeakMap<MailboxRow[], NameIndex>();
const derivedGuidIndexes = new WeakMap<MailboxRow[], NameIndex>();
const scansDone = new WeakMap<MailboxRow[], number>();

/** Lookups answered by a scan of the rows before the index is built instead. */
const SCANS_BEFORE_INDEX = 16;

function storedIndex(rows: MailboxRow[]): NameIndex {
  let index = storedIndexes.get(rows);
  if (index) return index;
  const built = new NameIndex();
  rows.forEach((row, i) => {
    for (const form of storedIdentityForms(row)) built.add(form, i);
  });
  index = built;
  storedIndexes.set(rows, index);
  return index;
}

/** The rows that store `key` (lowercased) as one of their names. */
function rowsStoring(rows: MailboxRow[], key: string): readonly number[] {
  const scans = scansDone.get(rows) ?? 0;
  if (storedIndexes.has(rows) || scans >= SCANS_BEFORE_INDEX) return storedIndex(rows).get(key);
  scansDone.set(rows, scans + 1);
  const hits: number[] = [];
  rows.forEach((row, i) => {
    if (storedIdentityForms(row).some((form) => form.toLowerCase() === key)) hits.push(i);
  });
  return hits;
}

function derivedGuidIndex(state: SimulatorState): NameIndex {
  const rows = state.mailboxes;
  let index = derivedGuidIndexes.get(rows);
  if (index) return index;
  const built = new NameIndex();
  rows.forEach((row, i) => {
    if (hasDerivedGuid(row)) built.add(namesOf(state, row).guid, i);
  });
  index = built;
  derivedGuidIndexes.set(rows, index);
  return index;
}

const GUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rows `identity` names, by any form -Identity accepts (case-insensitively). */
function rowsNamed(state: SimulatorState, identity: string): readonly number[] {
  const key = identity.toLowerCase();
  const stored = rowsStoring(state.mailboxes, key);
  const { platform, name } = state.organization;
  const dnName = derivedDnName(key, platform, name);
  const guidShaped = GUID_SHAPE.test(key);
  if (dnName === undefined && !guidShaped) return stored;
  const hits = new Set(stored);
  if (guidShaped) for (const i of derivedGuidIndex(state).get(key)) hits.add(i);
  if (dnName !== undefined) {
    for (const i of rowsStoring(state.mailboxes, dnName)) {
      const row = state.mailboxes[i] as MailboxRow;
      if (hasDerivedDistinguishedName(row) && namesOf(state, row).distinguishedName.toLowerCase() === key) hits.add(i);
    }
  }
  return [...hits];
}

/**
 * Builds the identity index now: at 100,000 mailboxes it takes a while, which a write must not
 * spend holding the state's lock while other hosts wait for it.
 */
export function prepareMailboxIndex(state: SimulatorState): void {
  storedIndex(state.mailboxes);
}

function namesOf(state: SimulatorState, row: MailboxRow): MailboxNames {
  return mailboxNames(row, state.organization.platform, state.organization.name);
}

/**
 * A mailbox as -Identity resolves it: identity, name, alias, distinguished name, GUID, any email
 * address or UPN, case-insensitively (Set-CASMailbox reference); ambiguous when several answer.
 */
export function findMailbox(state: SimulatorState, cmdlet: string, identity: string): MailboxRow {
  const hits = rowsNamed(state, identity);
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

function onPremMailboxObject(state: SimulatorState, row: MailboxRow, options: readonly CasMailboxOption[]): Record<string, JsonValue> {
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
    ...onPremOptions(state, row[ROW_IDENTITY], options),
  };
}

function onPremOptions(state: SimulatorState, identity: string, options: readonly CasMailboxOption[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const option of options) out[option] = mailboxOption(state, identity, option);
  return out;
}

/**
 * Get-CASMailbox returns every property of the mailbox, the ten options among them (all exist
 * on Exchange Server), but the host keeps only the optional properties the request names
 * (`properties`, docs/powershell.md): the simulator builds those alone, so a read of 100,000
 * mailboxes that asks for none builds none.
 */
function askedOptions(request: CmdletRequest): readonly CasMailboxOption[] {
  const asked = request.properties ?? [];
  return asked.length === 0 ? [] : casMailboxOptionsOn('exchangeServer').filter((option) => asked.includes(option));
}

function getCasMailbox(state: SimulatorState, params: Params, _cmdlet: CmdletName, request: CmdletRequest): ExecuteResult {
  const cmdlet = 'Get-CASMailbox';
  const options = askedOptions(request);
  if (typeof params.Identity === 'string') return ok(onPremMailboxObject(state, findMailbox(state, cmdlet, params.Identity), options));
  const size = resultSize(cmdlet, params);
  const n = Math.min(state.mailboxes.length, size);
  const out: JsonValue[] = new Array<JsonValue>(n);
  for (let i = 0; i < n; i++) out[i] = onPremMailboxObject(state, state.mailboxes[i] as MailboxRow, options);
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
