/**
 * check(): the model's own validation (the loader's schema and semantic checks, `documentIssues`)
 * run on a document holding just this resource, and reported as Pulumi check failures on the
 * resource's input properties. Inputs still unknown during a preview are not judged: the engine
 * checks again with known values before it creates or updates.
 */
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { closestMatch } from '../src/model/did-you-mean';
import { displayPath } from '../src/model/json-pointer';
import { documentIssues } from '../src/model/load';
import { PROTOCOLS, type JsonPointer, type Target } from '../src/model/types';
import { documentOf, originOf, propertyPath, resourcePart, type Origin } from './resource-document';
import type { ResourceKind } from './resource-types';
import { containsUnknown } from './unknown';

type Props = Readonly<Record<string, unknown>>;

const TARGET: Origin = { prefix: '/target', property: '/target' };

/**
 * The model's messages name a node by its path in the document (`servers[0].pop3.settings.loginType: …`);
 * a resource's failure names it by its input property path (`settings.loginType: …`).
 */
function inPropertyTerms(message: string, origins: readonly Origin[]): string {
  let out = message;
  for (const origin of [...origins].sort((a, b) => b.prefix.length - a.prefix.length)) {
    const documentPath = displayPath(origin.prefix).replace(/[.[\]]/g, '\\$&');
    // A path inside a message ends at `:`, `,`, `)` or a space; a covering origin also at `.` or `[`.
    const end = origin.exact ? '(?=[:,) ]|$)' : '(?=[.[:,) ]|$)';
    out = out.replace(new RegExp(`(^|[ (])${documentPath}${end}`, 'g'), (_match, before: string) => `${before}${displayPath(origin.property)}`);
  }
  return out;
}

/** ProtocolService's protocol becomes a key of the document: a bad one is judged here, on its own property. */
function protocolFailure(protocol: unknown): dynamic.CheckFailure | undefined {
  if ((PROTOCOLS as readonly unknown[]).includes(protocol)) return undefined;
  const hint = typeof protocol === 'string' ? closestMatch(protocol, PROTOCOLS) : undefined;
  return { property: 'protocol', reason: `protocol: must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}${hint === undefined ? '' : ` (did you mean "${hint}"?)`}` };
}

export function validateInputs(kind: ResourceKind, news: Props): dynamic.CheckFailure[] {
  if (containsUnknown(news)) return [];
  const failures: dynamic.CheckFailure[] = [];
  const badProtocol = kind === 'ProtocolService' ? protocolFailure(news.protocol) : undefined;
  if (badProtocol) failures.push(badProtocol);
  if (news.restoreDefaultsOnDelete !== undefined && typeof news.restoreDefaultsOnDelete !== 'boolean') {
    failures.push({ property: 'restoreDefaultsOnDelete', reason: `restoreDefaultsOnDelete: must be true or false, got ${JSON.stringify(news.restoreDefaultsOnDelete)}` });
  }
  // With a bad protocol the service is still judged, under pop3: both protocols' services take the same settings.
  const { part, origins } = resourcePart(kind, (key) => (key === 'protocol' && badProtocol ? 'pop3' : news[key]));
  // The document is built from raw inputs on purpose: the schema judges what they hold.
  const doc = documentOf('check', news.target as Target, part);
  const all = [TARGET, ...origins];
  const origin = originOf(all);
  const property = (pointer: JsonPointer): string => {
    const o = origin(pointer);
    return o ? propertyPath(o, pointer) : '';
  };
  const seen = new Set<string>();
  for (const issue of documentIssues(doc)) {
    const failure = { property: property(issue.pointer), reason: inPropertyTerms(issue.message, all) };
    const key = `${failure.property}\n${failure.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    failures.push(failure);
  }
  return failures;
}
