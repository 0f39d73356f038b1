/**
 * Mailbox protocol settings as `default` (the most common value of each setting) plus
 * `exceptions` (one per distinct deviation, naming every mailbox that deviates that way).
 *
 * Built for very large organisations in one pass: the summariser keeps only a counter per
 * distinct combination of settings (at most 12) and the identities in each, and accepts
 * mailboxes one at a time, so a reader can stream pages into it.
 */
import type { ActualCasMailbox } from '../exchange/types';
import { CAS_MAILBOX_SETTING_KEYS, type CasMailboxesPolicy, type CasMailboxException, type CasMailboxSettings } from '../model/types';
import { MAILBOX_DEFAULTS } from '../exchange/defaults';
import { mailboxSubject } from '../reconcile/kinds/cas-mailbox-protocol';

type Key = keyof CasMailboxSettings;

type Value = boolean | null;

const VALUE_CODE = (v: Value): string => (v === null ? 'n' : v ? 't' : 'f');

interface Combination {
  readonly values: Readonly<Record<Key, Value>>;
  readonly identities: string[];
}

export class MailboxSummariser {
  private readonly keys: readonly Key[];
  private readonly combinations = new Map<string, Combination>();
  private total = 0;

  /** `withSmtpAuth`: false on Exchange Server, where the per-mailbox SMTP AUTH switch does not exist. */
  constructor(withSmtpAuth: boolean) {
    this.keys = withSmtpAuth ? CAS_MAILBOX_SETTING_KEYS : CAS_MAILBOX_SETTING_KEYS.filter((key) => key !== 'smtpClientAuthenticationDisabled');
  }

  add(mailbox: ActualCasMailbox): void {
    let code = '';
    for (const key of this.keys) code += VALUE_CODE(mailbox[key]);
    let combination = this.combinations.get(code);
    if (combination === undefined) {
      const values = {} as Record<Key, Value>;
      for (const key of this.keys) values[key] = mailbox[key];
      combination = { values, identities: [] };
      this.combinations.set(code, combination);
    }
    // Named as the planner names it in Set-CASMailbox, and matched by it as well as by Identity.
    combination.identities.push(mailboxSubject(mailbox));
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** undefined for an organisation without mailboxes: nothing to declare. */
  result(): CasMailboxesPolicy | undefined {
    if (this.total === 0) return undefined;
    const base: Partial<Record<Key, Value>> = {};
    for (const key of this.keys) base[key] = this.mostCommon(key);

    const exceptions: CasMailboxException[] = [];
    for (const combination of this.combinations.values()) {
      const deviation: Partial<Record<Key, Value>> = {};
      for (const key of this.keys) if (combination.values[key] !== base[key]) deviation[key] = combination.values[key];
      if (Object.keys(deviation).length === 0) continue;
      const identities = [...combination.identities].sort(compareIdentity);
      exceptions.push({ ...(deviation as CasMailboxSettings), identities });
    }
    // Largest group first; ties in a fixed order, so exporting the same organisation twice gives the same file.
    exceptions.sort((a, b) => b.identities.length - a.identities.length || compareIdentity(a.identities[0] ?? '', b.identities[0] ?? ''));
    return { default: base as CasMailboxSettings, exceptions };
  }

  private mostCommon(key: Key): Value {
    const counts = new Map<Value, number>();
    for (const combination of this.combinations.values()) {
      const value = combination.values[key];
      counts.set(value, (counts.get(value) ?? 0) + combination.identities.length);
    }
    // Exchange's own default wins ties, so an even split still exports the familiar value.
    let best: Value = MAILBOX_DEFAULTS[key];
    let bestCount = counts.get(best) ?? 0;
    for (const [value, count] of counts) {
      if (count > bestCount) {
        best = value;
        bestCount = count;
      }
    }
    return best;
  }
}

function compareIdentity(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

export function summariseMailboxes(mailboxes: Iterable<ActualCasMailbox>, withSmtpAuth: boolean): CasMailboxesPolicy | undefined {
  const summariser = new MailboxSummariser(withSmtpAuth);
  for (const mailbox of mailboxes) summariser.add(mailbox);
  return summariser.result();
}
