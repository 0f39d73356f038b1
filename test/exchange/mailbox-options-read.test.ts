/**
 * Set-CASMailbox's POP3/IMAP4 options travel only when a document declares them (issue 14 item
 * 4): the mailbox read names the options it wants (`properties` of the host protocol), and the
 * PowerShell host (here the stand-in pwsh, held to the real host by test/pwsh/conformance.test.ts)
 * and the in-process simulator shape only those. At 100,000 mailboxes a read for a document
 * without options carries none of them; one that declares a POP3 option carries the POP3 options only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend } from '../../src/backends/open-backend';
import type { CmdletRequest, ExchangeBackend, JsonValue } from '../../src/exchange/types';
import type { CasMailboxesPolicy } from '../../src/model/types';
import { CAS_MAILBOX_PROTOCOL_KIND } from '../../src/reconcile/kinds/cas-mailbox-protocol';
import { writeOrg } from '../simulator/helpers';
import { openStandIn } from './stand-in';

const OPTION = /UseProtocolDefaults|RetrievalMimeFormat|ForceICal|SuppressReadReceipt|RFC822/;

const open: ExchangeBackend[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});

/** The backend, recording the raw data of every mailbox read it answers. */
function recording(backend: ExchangeBackend, seen: { request: CmdletRequest; data: JsonValue }[]): ExchangeBackend {
  open.push(backend);
  return new Proxy(backend, {
    get(target, name, receiver) {
      if (name === 'invoke') {
        return async (request: CmdletRequest) => {
          const data = await target.invoke(request);
          if (/CasMailbox$/i.test(request.cmdlet)) seen.push({ request, data });
          return data;
        };
      }
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The option names in the objects a read returned, and in the mailboxes as read. */
async function readWith(backend: ExchangeBackend, casMailboxes: CasMailboxesPolicy, platform: 'exchangeServer' | 'exchangeOnline') {
  const seen: { request: CmdletRequest; data: JsonValue }[] = [];
  const target = platform === 'exchangeServer' ? { platform, organization: 'contoso.com' } : { platform, cloud: 'worldwide' as const, organization: 'contoso.onmicrosoft.com' };
  const actual = await CAS_MAILBOX_PROTOCOL_KIND.read(recording(backend, seen), [{ target, casMailboxes } as never]);
  const mailboxes = actual.casMailboxes?.mailboxes ?? [];
  const [read] = seen;
  const objects = Array.isArray(read?.data) ? (read.data as Record<string, JsonValue>[]) : [];
  const names = (o: object): string[] => Object.keys(o).filter((k) => OPTION.test(k));
  return {
    count: mailboxes.length,
    sent: read?.request.properties ?? [],
    carried: [...new Set(objects.flatMap(names))].sort(),
    objectsWithOptions: objects.filter((o) => names(o).length > 0).length,
    model: [...new Set(mailboxes.flatMap((m) => names(m)))].sort(),
  };
}

const WITHOUT: CasMailboxesPolicy = { default: { popEnabled: false }, exceptions: [] };
const WITH_POP: CasMailboxesPolicy = { default: { popEnabled: false, popUseProtocolDefaults: false, popSuppressReadReceipt: true }, exceptions: [] };
const POP_OPTIONS = ['PopEnableExactRFC822Size', 'PopForceICalForCalendarRetrievalOption', 'PopMessagesRetrievalMimeFormat', 'PopSuppressReadReceipt', 'PopUseProtocolDefaults'];
const POP_KEYS = POP_OPTIONS.map((n) => n[0]?.toLowerCase() + n.slice(1));

describe('the mailbox read carries Set-CASMailbox options only when the document declares them', () => {
  const state = writeOrg({ platform: 'exchangeServer', organization: 'contoso.com', mailboxes: 100_000 });

  it.each([
    ['the stand-in pwsh (the host protocol)', () => openStandIn({ state, platform: 'exchangeServer', organization: 'contoso.com' })],
    ['the in-process simulator', () => openBackend({ kind: 'simulator', statePath: state })],
  ])('100,000 mailboxes through %s: none without options declared, the POP3 ones with a POP3 option declared', async (_name, backendOf) => {
    const without = await readWith(backendOf(), WITHOUT, 'exchangeServer');
    expect(without).toEqual({ count: 100_000, sent: [], carried: [], objectsWithOptions: 0, model: [] });
    const withPop = await readWith(backendOf(), WITH_POP, 'exchangeServer');
    expect({ ...withPop, sent: [...withPop.sent].sort() }).toEqual({ count: 100_000, sent: POP_OPTIONS, carried: POP_OPTIONS, objectsWithOptions: 100_000, model: [...POP_KEYS].sort() });
  }, 240_000);

  it('Exchange Online asks Get-EXOCasMailbox for the options it reads (-Properties) and never for *EnableExactRFC822Size', async () => {
    const online = writeOrg({ platform: 'exchangeOnline', mailboxes: 50 });
    const backend = openStandIn({ state: online });
    const seen: { request: CmdletRequest; data: JsonValue }[] = [];
    const target = { platform: 'exchangeOnline' as const, cloud: 'worldwide' as const, organization: 'contoso.onmicrosoft.com' };
    const actual = await CAS_MAILBOX_PROTOCOL_KIND.read(recording(backend, seen), [{ target, casMailboxes: WITH_POP } as never]);
    const asked = POP_OPTIONS.filter((n) => n !== 'PopEnableExactRFC822Size');
    expect([...(seen[0]?.request.properties ?? [])].sort()).toEqual(asked);
    expect(seen[0]?.request.parameters.Properties).toEqual(['SmtpClientAuthenticationDisabled', ...(seen[0]?.request.properties ?? [])]);
    expect(actual.casMailboxes?.mailboxes[0]).toMatchObject({ popUseProtocolDefaults: true, popMessagesRetrievalMimeFormat: 'BestBodyFormat', popSuppressReadReceipt: false });
  });
});
