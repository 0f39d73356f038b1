/**
 * Positions (in a list of objects) by name, letters compared without case, as Exchange compares
 * identities. Built over every mailbox of an organisation, so kept small: a name held by one
 * object (nearly all) maps to a number, only a shared one to a list; a name already in lower
 * case is kept as the caller's string, not copied.
 */
export class NameIndex {
  private readonly positions = new Map<string, number | number[]>();

  /** Records that the object at `position` answers to `name` (once, however often added). */
  add(name: string, position: number): void {
    const key = name.toLowerCase();
    const known = this.positions.get(key);
    if (known === undefined) this.positions.set(key, position);
    else if (typeof known === 'number') {
      if (known !== position) this.positions.set(key, [known, position]);
    } else if (!known.includes(position)) known.push(position);
  }

  /** The positions of the objects that answer to `name`, in the order they were added. */
  get(name: string): readonly number[] {
    const known = this.positions.get(name.toLowerCase());
    return known === undefined ? [] : typeof known === 'number' ? [known] : known;
  }
}
