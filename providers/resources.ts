/**
 * The resource classes the Pulumi program declares. Each registers the dynamic-provider type
 * `pulumi-nodejs:dynamic/mailpolicy:<Kind>` with the hand-written shim as `__provider` (see
 * shim.ts) — what `pulumi.dynamic.Resource` does, minus closure serialisation.
 */
// Deep imports on purpose: `@pulumi/pulumi`'s index loads closure serialisation (~0.8 s, with
// @npmcli/arborist), which these resources never use and every preview would pay for.
import type { Input, Output } from '@pulumi/pulumi/output';
import { CustomResource, type CustomResourceOptions } from '@pulumi/pulumi/resource';
import { providerShimText } from './shim';
import { kindModule } from '../src/reconcile/kinds/registry';
import { typeToken, type ResourceInputsByKind, type ResourceKind } from './resource-types';

/** Inputs as the program passes them: any value may be an Output of another resource. */
export type ResourceArgs<K extends ResourceKind> = { readonly [P in keyof ResourceInputsByKind[K]]: Input<ResourceInputsByKind[K][P]> };

export class MailPolicyResource<K extends ResourceKind> extends CustomResource {
  constructor(
    readonly kind: K,
    name: string,
    args: ResourceArgs<K>,
    opts?: CustomResourceOptions,
  ) {
    const props: Record<string, unknown> = { ...args, __provider: providerShimText(kind) };
    // Property names that only the provider sets (outputs): registered as unknown until it does.
    for (const key of kindModule(kind).outputOnly ?? []) props[key] = undefined;
    super(typeToken(kind), name, props, opts);
  }
}

/** PopSettings / ImapSettings: `settingsChangeId` changes exactly when the provider applied a change. */
export class ProtocolSettingsResource extends MailPolicyResource<'PopSettings' | 'ImapSettings'> {
  declare readonly settingsChangeId: Output<string>;
}
