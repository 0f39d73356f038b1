/** Which documents a rule has something to say about, by the sections it reads (Rule.reads). */
import type { MailPolicy } from '../model/types';
import type { Rule } from './types';

/** true when the document declares one of the sections the rule reads. */
export function readsAnyOf(rule: Pick<Rule, 'reads'>, policy: MailPolicy): boolean {
  return rule.reads.some((section) => policy[section] !== undefined);
}
