/**
 * Which of Set-CASMailbox's POP3/IMAP4 options take effect: each applies only while its
 * protocol's *UseProtocolDefaults is false (Set-CASMailbox.md, -PopUseProtocolDefaults: "You
 * need to set this parameter to $false when you use any of following parameters"). Plan, drift's
 * "not declared" and export compare only options that take effect; validate refuses an option
 * declared where they would not (semantic-checks.ts).
 */
import { CAS_MAILBOX_OPTION_GROUPS, type CasMailboxOptions } from './types';

type OptionKey = keyof CasMailboxOptions;
type Group = (typeof CAS_MAILBOX_OPTION_GROUPS)[number];

/** The group of a key (*UseProtocolDefaults or one of its options); undefined for any other key. */
export function optionGroupOf(key: string): Group | undefined {
  return CAS_MAILBOX_OPTION_GROUPS.find((g) => g.useProtocolDefaults === key || (g.options as readonly string[]).includes(key));
}

/** True for an option (not a *UseProtocolDefaults) whose protocol's *UseProtocolDefaults in `settings` is not false. */
export function isInactiveOption(settings: Readonly<Partial<Record<OptionKey, unknown>>>, key: string): boolean {
  const group = optionGroupOf(key);
  return group !== undefined && group.useProtocolDefaults !== key && settings[group.useProtocolDefaults] !== false;
}

/** `settings` without the options that do nothing in it; the same object when none is left out. */
export function withoutInactiveOptions<T extends Readonly<Partial<Record<OptionKey, unknown>>>>(settings: T): T {
  let out: Record<string, unknown> | undefined;
  for (const group of CAS_MAILBOX_OPTION_GROUPS) {
    if (settings[group.useProtocolDefaults] === false) continue;
    for (const option of group.options) {
      if (settings[option] === undefined) continue;
      out ??= { ...settings };
      delete out[option];
    }
  }
  return (out ?? settings) as T;
}

/** Every key of the option groups that `keys` touch: what a read must carry to compare them. */
export function optionGroupKeys(keys: Iterable<string>): OptionKey[] {
  const groups = new Set<Group>();
  for (const key of keys) {
    const group = optionGroupOf(key);
    if (group) groups.add(group);
  }
  return [...groups].flatMap((g) => [g.useProtocolDefaults, ...g.options]);
}
