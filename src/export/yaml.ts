/**
 * A MailPolicy document as YAML text: the schema modeline first (editors validate and complete
 * against it), keys in the schema's order, no line folding (identities stay one per line).
 */
import { dump } from 'js-yaml';
import type { MailPolicy } from '../model/types';

export function modeline(schemaRef: string): string {
  return `# yaml-language-server: $schema=${schemaRef}`;
}

export function policyYaml(policy: MailPolicy, schemaRef: string): string {
  return `${modeline(schemaRef)}\n${dump(policy, { lineWidth: -1, noRefs: true })}`;
}
