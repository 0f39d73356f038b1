/**
 * Mailbox protocol settings as `default` (the most common value of each setting) plus
 * `exceptions` (one per distinct deviation, naming every mailbox that deviates that way).
 * Set-CASMailbox's POP3/IMAP4 options are written only for a protocol where some mailbox's
 * options take effect with a value other than a new mailbox's; an option its *UseProtocolDefaults
 * makes inactive counts as Exchange's default (model/mailbox-options.ts), so every exported
 * option sits where *UseProtocolDefaults is false, as validate requires.
 *
 * Built for very large organisations in one pass: the summariser keeps only a counter per
 * distinct combination of settings (at most 12) and the identities in each, and accepts
 * mailboxes one at a time, so a reader can stream pages into it.
 */
import type { ActualCasMailbox } from '../exchange/types';
import { CAS_MAILBOX_SETTING_KEYS, type CasMailboxesPolicy, type CasMailboxException, type CasMailboxSettings } from '../model/types';
import { isInactiveOption, optionGroupOf } from '../model/mailbox-options';
import { MAILBOX_DEFAULTS } from '../exchange/defaults';
import { mailboxSubject } from '../reconcile/kinds/cas-mailbox-protocol';

type Key = keyof CasMailboxSettings;

type Value = boolean | string | null;

const VALUE_CODE = (v: Value): string => (v === null ? 'n|' : v === true ? 't|' : v === false ? 'f|' : `s${v.length}:${v}|`);

/** Exchange Server only (Set-CASMailbox.md, "available only in on-premises Exchange"). */
const ON_PREMISES_ONLY: readonly Key[] = ['popEnableExactRFC822Size', 'imapEnableExactRFC822Size'];

interface Combination {
  readonly values: Readonly<Record<Key, Value>>;
  readonly identities: string[];
}

export class MailboxSummariser {
  private readonly keys: readonly Key[];
  private readonly combinations = new Map<string, Combination>();
  private total = 0;

  /**
   * `withSmtpAuth`: false on Exchange Server, where the per-mailbox SMTP AUTH switch does not
   * exist (and true on Exchange Online, which has no *EnableExactRFC822Size). The options are
   * summarised only from mailboxes that carry them (read with them: export reads them all).
   */
  constructor(withSmtpAuth: boolean) {
    this.keys = CAS_MAILBOX_SETTING_KEYS.filter((key) => (withSmtpAuth ? !ON_PREMISES_ONLY.includes(key) : key !== 'smtpClientAuthenticationDisabled'));
  }

  /** A mailbox's value of a key: an option not read, or made inactive by its *UseProtocolDefaults, counts as a new mailbox's. */
  private static valueOf(mailbox: ActualCasMailbox, key: Key): Value {
    const value = mailbox[key];
    if (value === undefined || isInactiveOption(mailbox, key)) return MAILBOX_DEFAULTS[key];
    return value;
  }

  add(mailbox: ActualCasMailbox): void {
    let code = '';
    for (const key of this.keys) code += VALUE_CODE(MailboxSummariser.valueOf(mailbox, key));
    let combination = this.combinations.get(code);
    if (combination === undefined) {
      const values = {} as Record<Key, Value>;
      for (const key of this.keys) values[key] = MailboxSummariser.valueOf(mailbox, key);
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
    const keys = this.keys.filter((key) => optionGroupOf(key) === undefined || this.groupInUse(key));
    for (const key of keys) base[key] = this.mostCommon(key);
    // The default declares a protocol's options only where they take effect (its *UseProtocolDefaults false).
    for (const key of keys) if (isInactiveOption(base, key)) delete base[key];

    const exceptions: CasMailboxException[] = [];
    for (const combination of this.combinations.values()) {
      const deviation: Partial<Record<Key, Value>> = {};
      for (const key of keys) {
        // An option that does nothing for these mailboxes (their *UseProtocolDefaults is not false) is not declared.
        if (isInactiveOption(combination.values, key)) continue;
        const usual = key in base ? base[key] : MAILBOX_DEFAULTS[key];
        if (combination.values[key] !== usual) deviation[key] = combination.values[key];
      }
      if (Object.keys(deviation).length === 0) continue;
      const identities = [...combination.identities].sort(compareIdentity);
      exceptions.push({ ...(deviation as CasMailboxSettings), identities });
    }
    // Largest group first; ties in a fixed order, so exporting the same organisation twice gives the same file.
    exceptions.sort((a, b) => b.identities.length - a.identities.length || compareIdentity(a.identities[0] ?? '', b.identities[0] ?? ''));
    return { default: base as CasMailboxSettings, exceptions };
  }

  /** Whether some mailbox has a value other than a new mailbox's in the key's option group. */
  private groupInUse(key: Key): boolean {
    const group = optionGroupOf(key);
    if (!group) return true;
    const groupKeys: readonly Key[] = [group.useProtocolDefaults, ...group.options].filter((k) => this.keys.includes(k));
    for (const combination of this.combinations.values()) if (groupKeys.some((k) => combination.values[k] !== MAILBOX_DEFAULTS[k])) return true;
    return false;
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
