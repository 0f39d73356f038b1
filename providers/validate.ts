/**
 * check(): the model's validation, reported as Pulumi check failures. Inputs still unknown
 * during a preview are not judged.
 */
import type * as dynamic from '@pulumi/pulumi/dynamic';
import { CLOUDS, PLATFORMS, type Platform } from '../src/model/types';
import type { ResourceKind } from './resource-types';

/** Which platform each kind exists on. */
export const KIND_PLATFORMS: Readonly<Record<ResourceKind, readonly Platform[]>> = {
  TransportConfig: ['exchangeOnline'],
  AuthenticationPolicy: ['exchangeOnline'],
  CasMailboxPlan: ['exchangeOnline'],
  PopSettings: ['exchangeServer'],
  ImapSettings: ['exchangeServer'],
  ProtocolService: ['exchangeServer'],
  CasMailboxProtocol: ['exchangeOnline', 'exchangeServer'],
};

export function validateInputs(kind: ResourceKind, news: Record<string, unknown>): dynamic.CheckFailure[] {
  const failures: dynamic.CheckFailure[] = [];
  const fail = (property: string, reason: string): void => {
    failures.push({ property, reason });
  };
  const target = news.target as Record<string, unknown> | undefined;
  if (target === undefined || target === null || typeof target !== 'object') {
    fail('target', 'target is required');
    return failures;
  }
  const platform = target.platform as Platform;
  if (!PLATFORMS.includes(platform)) fail('target.platform', `must be one of ${PLATFORMS.join(', ')}`);
  if (typeof target.organization !== 'string' || target.organization === '') fail('target.organization', 'must be a non-empty string');
  if (platform === 'exchangeOnline' && !CLOUDS.includes(target.cloud as (typeof CLOUDS)[number])) fail('target.cloud', `must be one of ${CLOUDS.join(', ')}`);
  if (PLATFORMS.includes(platform) && !KIND_PLATFORMS[kind].includes(platform)) fail('target.platform', `${kind} is not available on ${platform}`);
  return failures;
}
