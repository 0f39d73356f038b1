/**
 * The resources the dynamic providers register: their type tokens. The kinds and their input
 * shapes are the reconciler's (src/reconcile/kinds/types.ts), re-exported here for the Pulumi
 * program, the providers and the policy pack, which match on the tokens and read the inputs.
 */
import type { ResourceKind } from '../src/reconcile/kinds/types';

export {
  RESOURCE_KINDS,
  type AuthenticationPolicyInputs,
  type CasMailboxPlanInputs,
  type CasMailboxProtocolInputs,
  type CommonInputs,
  type ProtocolServiceInputs,
  type ProtocolSettingsInputs,
  type ResourceInputsByKind,
  type ResourceKind,
  type TransportConfigInputs,
} from '../src/reconcile/kinds/types';

/** Module part of every token: `pulumi-nodejs:dynamic/mailpolicy:<Kind>`. */
export const RESOURCE_MODULE = 'mailpolicy';

export function typeToken(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${kind}`;
}
