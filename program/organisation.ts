/**
 * mailpolicy in a user's own Pulumi program: `new MailPolicyOrganisation(name, { policyFile })`
 * (or `{ policy }`, the document in memory) declares the same resources the built-in program
 * declares for a stack, as children of one component. A ComponentResource rather than a
 * function because the organisation is then one thing in the user's program: other resources
 * can `dependsOn` it (or it on them: the Entra application mailpolicy signs in with), `pulumi
 * stack` shows its resources grouped under it, its outputs are typed Outputs, and `parent`,
 * `protect` or `retainOnDelete` given to it reach every resource it declares.
 *
 * How the providers reach the organisation stays in stack config (`mailpolicy:backend`,
 * `mailpolicy:appId`, the secret certificate password …): the providers read it in
 * `configure()`, which is where credentials belong; they never travel as resource inputs.
 */
import * as path from 'node:path';
import { dump } from 'js-yaml';
import { RunError } from '@pulumi/pulumi/errors';
import { output, type Output } from '@pulumi/pulumi/output';
import { ComponentResource, type ComponentResourceOptions } from '@pulumi/pulumi/resource';
import { loadPolicyFile, loadPolicyText } from '../src/model';
import type { CasMailboxException, CasMailboxSettings, MailPolicy } from '../src/model/types';
import { projectDir } from '../providers/project-dir';
import { declareStack, type StackOutputs } from './declare';
import { policyOrFail, readStackSettings } from './main';

/** The component's Pulumi type token. */
export const ORGANISATION_TYPE = 'mailpolicy:index:Organisation';

/** A MailPolicy document as written in YAML (docs/schema.md), as a TypeScript value. */
export type MailPolicyDocument = Omit<MailPolicy, 'casMailboxes'> & {
  readonly casMailboxes?: { readonly default?: CasMailboxSettings; readonly exceptions?: readonly CasMailboxException[] };
};

export interface MailPolicyOrganisationArgs {
  /** The document's YAML file, relative to the project directory (where Pulumi.yaml is). Exactly one of policyFile and policy. */
  readonly policyFile?: string;
  /** The document itself, validated exactly like a file (problems are reported against its YAML form). */
  readonly policy?: MailPolicyDocument;
  /**
   * On destroy, or when a part leaves the document, put Exchange's defaults back instead of
   * leaving the organisation as it is. Default: stack config `mailpolicy:restoreDefaultsOnDelete`.
   */
  readonly restoreDefaultsOnDelete?: boolean;
}

/** What `policy` problems are reported against. */
function inMemoryName(name: string): string {
  return `<policy of MailPolicyOrganisation ${name}>`;
}

function loadArgs(name: string, args: MailPolicyOrganisationArgs, root: string): { policy: MailPolicy; source: string } {
  if ((args.policyFile === undefined) === (args.policy === undefined)) {
    throw new RunError(`MailPolicyOrganisation ${name}: give exactly one of policyFile and policy`);
  }
  if (args.policyFile !== undefined) {
    return { policy: policyOrFail(loadPolicyFile(path.resolve(root, args.policyFile)), args.policyFile, root), source: args.policyFile };
  }
  const source = inMemoryName(name);
  // Through the loader, so an in-memory document gets every check a file gets (schema, cross-field rules, normalisation).
  return { policy: policyOrFail(loadPolicyText(dump(args.policy, { noRefs: true }), source), source, root), source };
}

export class MailPolicyOrganisation extends ComponentResource {
  /** Name, platform, cloud and tenant of the organisation, and where its document came from. */
  readonly organisation: Output<StackOutputs['organisation']>;
  /** The client endpoints (host, port, encryption) the document implies. */
  readonly clientEndpoints: Output<StackOutputs['clientEndpoints']>;
  /** Every resource declared: kind, Pulumi name and type. */
  readonly managedResources: Output<StackOutputs['managedResources']>;

  constructor(name: string, args: MailPolicyOrganisationArgs, opts?: ComponentResourceOptions) {
    super(ORGANISATION_TYPE, name, {}, opts);
    const root = projectDir();
    const settings = readStackSettings(undefined, root);
    const { policy, source } = loadArgs(name, args, root);
    const declared = declareStack(policy, {
      policyFile: source,
      restoreDefaultsOnDelete: args.restoreDefaultsOnDelete ?? settings.restoreDefaultsOnDelete,
      resourceOptions: { parent: this },
      namePrefix: `${name}-`,
    });
    this.organisation = output(declared.organisation);
    this.clientEndpoints = output(declared.clientEndpoints);
    this.managedResources = output(declared.managedResources);
    this.registerOutputs({ organisation: declared.organisation, clientEndpoints: declared.clientEndpoints, managedResources: declared.managedResources });
  }
}
