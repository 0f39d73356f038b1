/**
 * What reading an organisation needs beyond one resource kind: the helpers every kind's
 * read-back uses (`single`, `missing`), and the reads several parts of mailpolicy share — the
 * accepted domains (verify-target), the server list (drift, export, servers not declared) and
 * the mailboxes (CasMailboxProtocol, export; the streaming read of every mailbox and the
 * identity look-ups). Each kind's own read-back (its Actual* type and reader) is in its module
 * folder, src/reconcile/kinds/<kind>-read.ts. Requests are built with the catalog, results
 * normalised with `readBack`. A failed read throws (an ExchangeError from the backend, or a
 * CatalogError for a result of the wrong shape): nothing is ever reported "absent" because a
 * read failed.
 */
import { CATALOG, modelKey, type CasMailboxOption, type CmdletName } from './catalog';
import { buildRequest, withProperties } from './request';
import { readBack, resultList } from './read-back';
import { ExchangeError, type ActualCasMailbox, type ActualExchangeServer, type ExchangeBackend, type JsonValue, type MailboxLookup } from './types';
import { isAmbiguous, isNotFound } from './errors';

/** A read that returned nothing where Exchange always returns an object. */
export function missing(cmdlet: CmdletName, what: string): ExchangeError {
  return new ExchangeError(cmdlet, {
    message: `${cmdlet} returned no ${what}`,
    type: 'MailpolicyReadError',
    fullyQualifiedErrorId: `EmptyResult,${cmdlet}`,
    category: 'ReadError',
    transient: false,
  });
}

/** The one object a singleton read (Get-TransportConfig, Get-PopSettings …) returns. */
export function single(cmdlet: CmdletName, raw: JsonValue): Record<string, JsonValue> {
  const list = resultList(raw);
  if (list.length === 0) throw missing(cmdlet, 'object');
  return readBack(cmdlet, list[0]);
}

/**
 * Every mailbox's protocol settings: Get-EXOCasMailbox (REST, all mailboxes, only the property
 * set needed: Minimum has PopEnabled and ImapEnabled; the Pop and Imap sets add the per-mailbox
 * options, which 100,000 mailboxes should not carry unasked; cmdlet-property-sets.md) on Exchange Online, Get-CASMailbox on Exchange Server. ResultSize is always
 * Unlimited: the default of 1000 would silently drop mailboxes.
 */
export async function readCasMailboxes(backend: ExchangeBackend, options: readonly CasMailboxOption[] = []): Promise<ActualCasMailbox[]> {
  const { platform } = await backend.connection();
  const online = platform === 'exchangeOnline';
  const cmdlet: CmdletName = online ? 'Get-EXOCasMailbox' : 'Get-CASMailbox';
  // Only the options the caller needs (the document declares, or export), each asked of Exchange
  // (-Properties, Online) and named to the host (`properties`), which shapes no other.
  const asked = options.filter((name) => Object.prototype.hasOwnProperty.call(CATALOG[cmdlet].optionalReturns ?? {}, name));
  const request = online
    ? buildRequest('Get-EXOCasMailbox', { resultSize: 'Unlimited', propertySets: ['Minimum'], properties: ['SmtpClientAuthenticationDisabled', ...asked] })
    : buildRequest('Get-CASMailbox', { resultSize: 'Unlimited' });
  const list = resultList(await backend.invoke(withProperties(request, asked)));
  const out: ActualCasMailbox[] = new Array<ActualCasMailbox>(list.length);
  for (let i = 0; i < list.length; i++) out[i] = mailboxOf(cmdlet, list[i], online, asked);
  return out;
}

/**
 * The organisation's accepted domains, as Exchange prints them (`contoso.com`, `*.contoso.com`).
 * Exchange Online lists at most 1000 unless asked for all; Exchange Server has no -ResultSize.
 */
export async function readAcceptedDomains(backend: ExchangeBackend): Promise<string[]> {
  const { platform } = await backend.connection();
  const request = platform === 'exchangeOnline' ? buildRequest('Get-AcceptedDomain', { resultSize: 'Unlimited' }) : buildRequest('Get-AcceptedDomain');
  const domains = resultList(await backend.invoke(request)).map((item) => readBack('Get-AcceptedDomain', item).domainName);
  return domains.filter((d): d is string => typeof d === 'string' && d !== '');
}

/**
 * `SMTP:a@contoso.com`, `smtp:b@contoso.com`, `X500:…` → the SMTP addresses. The primary
 * address is the string `primary` already holds, not a slice of the entry (which would keep the
 * whole entry alive beside it, for each of 100,000 mailboxes).
 */
function smtpAddresses(entries: unknown, primary: string): string[] {
  if (!Array.isArray(entries)) return [];
  const out: string[] = [];
  for (const entry of entries) {
    if (typeof entry !== 'string' || !/^smtp:/i.test(entry)) continue;
    const address = entry.slice(5);
    out.push(address === primary ? primary : address);
  }
  return out;
}

function mailboxOf(cmdlet: CmdletName, raw: JsonValue | undefined, online: boolean, options: readonly CasMailboxOption[] = []): ActualCasMailbox {
  const o = readBack(cmdlet, raw, options);
  const text = (value: JsonValue | undefined): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  const name = text(o.name);
  const guid = text(o.guid);
  const distinguishedName = text(o.distinguishedName);
  const primarySmtpAddress = (o.primarySmtpAddress as string | null) ?? '';
  const emailAddresses = smtpAddresses(o.emailAddresses, primarySmtpAddress);
  return {
    identity: (o.identity as string | null) ?? '',
    primarySmtpAddress,
    ...(name === undefined ? {} : { name }),
    ...(guid === undefined ? {} : { guid }),
    ...(distinguishedName === undefined ? {} : { distinguishedName }),
    ...(emailAddresses.length === 0 ? {} : { emailAddresses }),
    popEnabled: o.popEnabled as boolean,
    imapEnabled: o.imapEnabled as boolean,
    smtpClientAuthenticationDisabled: online ? (o.smtpClientAuthenticationDisabled as boolean | null) : null,
    ...optionsOf(o, options),
  };
}

/** The options read (under their model keys), each as readBack gave it. */
function optionsOf(o: Readonly<Record<string, JsonValue>>, options: readonly CasMailboxOption[]): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const name of options) {
    const key = modelKey(name);
    out[key] = o[key] ?? null;
  }
  return out;
}

/**
 * Asks Exchange which mailbox each identity names, as Set-CASMailbox -Identity would resolve it
 * (alias and user principal name included, which the bulk read does not return): one
 * Get-EXOCasMailbox / Get-CASMailbox -Identity per identity, all in one round trip. Not found
 * and ambiguous are answers; any other failure rejects (a failed read is never "no mailbox").
 */
export async function lookUpMailboxes(backend: ExchangeBackend, identities: readonly string[]): Promise<Map<string, MailboxLookup>> {
  const found = new Map<string, MailboxLookup>();
  if (identities.length === 0) return found;
  const online = (await backend.connection()).platform === 'exchangeOnline';
  const cmdlet: CmdletName = online ? 'Get-EXOCasMailbox' : 'Get-CASMailbox';
  const results = await backend.invokeBatch(identities.map((identity) => buildRequest(cmdlet, { identity })));
  identities.forEach((identity, i) => {
    const result = results[i];
    if (!result) throw missing(cmdlet, `answer for ${identity}`);
    let answer: MailboxLookup;
    if (!result.ok) {
      if (isNotFound(result.error)) answer = { found: null, reason: 'none' };
      else if (isAmbiguous(result.error)) answer = { found: null, reason: 'ambiguous' };
      else throw new ExchangeError(cmdlet, result.error);
    } else {
      // More than one object for one identity is not a mailbox it names (the reference warns that an
      // identity Exchange does not take can return every mailbox).
      const list = resultList(result.data);
      const mailbox = list.length === 1 ? mailboxOf(cmdlet, list[0], online) : undefined;
      answer = mailbox ? { found: mailbox.guid ?? mailbox.identity } : { found: null, reason: list.length === 0 ? 'none' : 'ambiguous' };
    }
    found.set(identity.toLowerCase(), answer);
  });
  return found;
}

/** Every server of an Exchange Server organisation, with its role (only Mailbox servers run POP3/IMAP4: `runsMailProtocols`). */
export async function readServers(backend: ExchangeBackend): Promise<ActualExchangeServer[]> {
  const raw = await backend.invoke(buildRequest('Get-ExchangeServer'));
  return resultList(raw).map((item) => {
    const o = readBack('Get-ExchangeServer', item);
    // A server without a name cannot be read further: an error, not a server to skip.
    if (typeof o.name !== 'string' || o.name === '') throw missing('Get-ExchangeServer', 'server name');
    return { name: o.name, serverRole: (o.serverRole as string | null) ?? null, adminDisplayVersion: (o.adminDisplayVersion as string | null) ?? null };
  });
}
