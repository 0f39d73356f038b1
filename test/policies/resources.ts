/** Resource inputs as the providers register them (providers/resource-types.ts), for pack tests. */
import type { Cloud, Target } from '../../src/model/types';
import { typeToken, type ResourceInputsByKind, type ResourceKind } from '../../providers/resource-types';
import type { TestResource } from './analyzer-plugin';

export const onlineTarget = (cloud: Cloud): Target => ({ platform: 'exchangeOnline', cloud, organization: `${cloud.toLowerCase()}.onmicrosoft.com` });
export const serverTarget: Target = { platform: 'exchangeServer', organization: 'woodgrove.local' };

/** A registered resource: its inputs plus the `__provider` text every dynamic resource carries. */
export function resource<K extends ResourceKind>(kind: K, name: string, inputs: ResourceInputsByKind[K]): TestResource {
  return { type: typeToken(kind), name, props: { ...inputs, __provider: 'exports.handler = require("mailpolicy/dist/providers/shim")' } };
}
