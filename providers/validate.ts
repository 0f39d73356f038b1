/**
 * check(): the model's own validation (the schema and the loader's semantic checks), run on a
 * document holding just this resource, and reported as Pulumi check failures on the resource's
 * input properties. Inputs still unknown during a preview are not judged: the engine checks
 * again with known values before it creates or updates.
 */
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { schemaIssues } from '../src/model/schema-problems';
import { schemaErrors } from '../src/model/schema-validator';
import { semanticIssues, type NodeIssue } from '../src/model/semantic-checks';
import { pointerSegments } from '../src/model/json-pointer';
import type { ResourceKind } from './resource-types';
import { containsUnknown } from './unknown';

type Props = Readonly<Record<string, unknown>>;

/** The one-resource document, and where each input property sits in it. */
function documentOf(kind: ResourceKind, news: Props): { doc: Record<string, unknown>; places: [pointer: string, property: string][] } {
  const doc: Record<string, unknown> = { apiVersion: 'mailpolicy/v1', kind: 'MailPolicy', metadata: { name: 'check' }, target: news.target };
  const places: [string, string][] = [['/target', 'target']];
  const server = (protocol: string, key: 'settings' | 'service'): void => {
    doc.servers = [{ name: news.server, [protocol]: { [key]: news[key] } }];
    places.push(['/servers/0/name', 'server'], [`/servers/0/${protocol}/${key}`, key], ['/servers/0', 'server']);
  };
  switch (kind) {
    case 'TransportConfig':
      doc.transportConfig = news.transportConfig;
      places.push(['/transportConfig', 'transportConfig']);
      break;
    case 'AuthenticationPolicy':
      doc.authenticationPolicies = [news.policy];
      places.push(['/authenticationPolicies/0', 'policy']);
      break;
    case 'CasMailboxPlan':
      doc.casMailboxPlans = [news.plan];
      places.push(['/casMailboxPlans/0', 'plan']);
      break;
    case 'PopSettings':
      server('pop3', 'settings');
      break;
    case 'ImapSettings':
      server('imap4', 'settings');
      break;
    case 'ProtocolService':
      server(String(news.protocol), 'service');
      break;
    case 'CasMailboxProtocol':
      doc.casMailboxes = news.casMailboxes;
      places.push(['/casMailboxes', 'casMailboxes']);
      break;
  }
  return { doc, places };
}

/** `/servers/0/pop3/settings/sslBindings/1` → `settings.sslBindings[1]`. */
function propertyOf(pointer: string, places: readonly [string, string][]): string {
  for (const [prefix, property] of places) {
    if (pointer !== prefix && !pointer.startsWith(`${prefix}/`)) continue;
    const rest = pointerSegments(pointer.slice(prefix.length));
    return rest.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : `${path}.${segment}`), property);
  }
  return '';
}

export function validateInputs(kind: ResourceKind, news: Props): dynamic.CheckFailure[] {
  if (containsUnknown(news)) return [];
  const { doc, places } = documentOf(kind, news);
  const issues: NodeIssue[] = [...semanticIssues(doc, () => 0), ...schemaIssues(schemaErrors(doc), doc)];
  const seen = new Set<string>();
  const failures: dynamic.CheckFailure[] = [];
  for (const issue of issues) {
    const failure = { property: propertyOf(issue.pointer, places), reason: issue.message };
    const key = `${failure.property}\n${failure.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push(failure);
  }
  return failures;
}
