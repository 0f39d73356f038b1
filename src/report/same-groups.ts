/**
 * Grouping identical lines of a report for people: 100,000 mailboxes with the same change read
 * as one line, "× 100,000 mailboxes", with the first few names and how many more. `--detail`
 * (and the JSON and SARIF formats) list every one.
 */

/** Names shown for a group before "… and N more". */
export const GROUP_NAMES_SHOWN = 5;

export interface SameGroup<T> {
  /** The first member: what the group's line shows. */
  readonly first: T;
  readonly members: readonly T[];
}

/**
 * `items` in groups of equal `key`, each group where its first member stood; an item whose key
 * is undefined is a group of its own.
 */
export function sameGroups<T>(items: readonly T[], key: (item: T) => string | undefined): SameGroup<T>[] {
  const groups: { first: T; members: T[] }[] = [];
  const byKey = new Map<string, { first: T; members: T[] }>();
  for (const item of items) {
    const k = key(item);
    const existing = k === undefined ? undefined : byKey.get(k);
    if (existing) {
      existing.members.push(item);
      continue;
    }
    const group = { first: item, members: [item] };
    groups.push(group);
    if (k !== undefined) byKey.set(k, group);
  }
  return groups;
}

/** `59,998` */
export const count = (n: number): string => n.toLocaleString('en');

/** `a, b, c, d, e` (the first few names) and, when there are more, `… and 59,993 more (--detail lists every one)`. */
export function namesShown(names: readonly string[]): { shown: string; more?: string } {
  const shown = names.slice(0, GROUP_NAMES_SHOWN).join(', ');
  const hidden = names.length - GROUP_NAMES_SHOWN;
  return hidden > 0 ? { shown, more: `… and ${count(hidden)} more (--detail lists every one)` } : { shown };
}
