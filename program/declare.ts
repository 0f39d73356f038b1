/**
 * Declares one Pulumi resource per managed part of a document, in the planner's order, and
 * wires each service resource to its settings resource: the service takes the settings'
 * `settingsChangeId` as input, so it is updated after them, and restarts when they applied
 * a change.
 */
import { all } from '@pulumi/pulumi/output';
import type { CustomResource, CustomResourceOptions } from '@pulumi/pulumi/resource';
import { NO_SETTINGS_CHANGE } from '../providers/handlers';
import { clientEndpoints } from '../src/endpoints';
import type { MailPolicy } from '../src/model/types';
import { kindModule } from '../src/reconcile/kinds/registry';
import { desiredResources, type DesiredResource } from '../src/reconcile/resources';
import { MailPolicyResource, ProtocolSettingsResource } from '../providers/resources';
import { typeToken, type ProtocolSettingsInputs } from '../providers/resource-types';

export interface StackOptions {
  readonly policyFile: string;
  /** Stack config `mailpolicy:restoreDefaultsOnDelete`, given to every resource as an input: what its delete will do. */
  readonly restoreDefaultsOnDelete: boolean;
  /** Options every resource gets (a user program's component passes `parent`). */
  readonly resourceOptions?: CustomResourceOptions;
  /** Put before every resource name, so that two organisations in one program do not collide. */
  readonly namePrefix?: string;
}

export interface StackOutputs {
  readonly organisation: Record<string, string>;
  readonly clientEndpoints: ReturnType<typeof clientEndpoints>;
  readonly managedResources: readonly { readonly kind: string; readonly name: string; readonly type: string }[];
}

/** Several sources' `settingsChangeId`s as one: `none` while none applied a change, else the ids that did, joined. */
function joinChangeIds(ids: readonly string[]): string {
  const changed = ids.filter((id) => id !== NO_SETTINGS_CHANGE);
  return changed.length === 0 ? NO_SETTINGS_CHANGE : changed.join('+');
}

function declare(resource: DesiredResource, settings: ReadonlyMap<string, ProtocolSettingsResource>, opts: CustomResourceOptions, prefix: string): CustomResource {
  const name = `${prefix}${resource.name}`;
  // Settings that apply at a restart: their resource reports `settingsChangeId` for the service resource to follow.
  if (kindModule(resource.kind).appliesAtRestart) return new ProtocolSettingsResource(resource.kind as ProtocolSettingsResource['kind'], name, resource.inputs as ProtocolSettingsInputs, opts);
  // A service resource restarts for its protocol's settings (settingsResource) and for the
  // certificates assigned to that protocol (restartSources), with or without settings: their ids joined.
  if (resource.kind === 'ProtocolService') {
    const sources = [resource.settingsResource, ...(resource.restartSources ?? [])].flatMap((n) => {
      const source = n === undefined ? undefined : settings.get(n);
      return source === undefined ? [] : [source];
    });
    if (sources.length > 0) {
      const settingsChangeId = all(sources.map((s) => s.settingsChangeId)).apply(joinChangeIds);
      return new MailPolicyResource(resource.kind, name, { ...resource.inputs, settingsChangeId }, { ...opts, dependsOn: sources });
    }
  }
  return new MailPolicyResource(resource.kind, name, resource.inputs, opts);
}

export function declareStack(policy: MailPolicy, options: StackOptions): StackOutputs {
  const onDelete = { restoreDefaultsOnDelete: options.restoreDefaultsOnDelete };
  const resources = desiredResources(policy).map((r) => ({ ...r, inputs: { ...r.inputs, ...onDelete } }) as DesiredResource);
  const settings = new Map<string, ProtocolSettingsResource>();
  for (const resource of resources) {
    const declared = declare(resource, settings, options.resourceOptions ?? {}, options.namePrefix ?? '');
    if (declared instanceof ProtocolSettingsResource) settings.set(resource.name, declared);
  }
  const { metadata, target } = policy;
  return {
    organisation: {
      name: metadata.name,
      ...(metadata.description === undefined ? {} : { description: metadata.description }),
      platform: target.platform,
      ...(target.cloud === undefined ? {} : { cloud: target.cloud }),
      organization: target.organization,
      policyFile: options.policyFile,
    },
    clientEndpoints: clientEndpoints(policy),
    managedResources: resources.map((r) => ({ kind: r.kind, name: `${options.namePrefix ?? ''}${r.name}`, type: typeToken(r.kind) })),
  };
}
