/** Whether `list` holds `value`, letters compared without case: Exchange's names (services, mechanisms) are case-insensitive. */
export function includesIgnoringCase(list: readonly string[], value: string): boolean {
  const folded = value.toLowerCase();
  return list.some((v) => v.toLowerCase() === folded);
}
