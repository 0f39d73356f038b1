/**
 * The resources the dynamic providers register: their type tokens and input shapes. Shared by
 * the Pulumi program (declares them), the providers (reconcile them) and the policy pack
 * (matches on the tokens and reads the inputs). Inputs carry the model's own types, so rules
 * written over the model can run on them.
 */
import type {
  AuthenticationPolicyDecl,
  CasMailboxesPolicy,
  CasMailboxPlanDecl,
  Protocol,
  ProtocolSettings,
  ServicePolicy,
  Target,
  TransportConfigPolicy,
} from '../src/model/types';

/** Module part of every token: `pulumi-nodejs:dynamic/mailpolicy:<Kind>`. */
export const RESOURCE_MODULE = 'mailpolicy';

export const RESOURCE_KINDS = [
  'TransportConfig',
  'AuthenticationPolicy',
  'CasMailboxPlan',
  'PopSettings',
  'ImapSettings',
  'ProtocolService',
  'CasMailboxProtocol',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export function typeToken(kind: ResourceKind): string {
  return `pulumi-nodejs:dynamic/${RESOURCE_MODULE}:${kind}`;
}

/** Inputs every resource has. */
export interface CommonInputs {
  /** The organisation the YAML declares; the provider also checks the connected one. */
  readonly target: Target;
  /**
   * What delete does (destroy, or removal from the document): put Exchange's defaults back, or
   * (false or absent) leave the organisation as it is. An input, like `forceDestroy` of Pulumi's
   * AWS buckets, so a change shows in the preview and delete follows the last `up` (issue 17).
   */
  readonly restoreDefaultsOnDelete?: boolean;
}

export interface TransportConfigInputs extends CommonInputs {
  readonly transportConfig: TransportConfigPolicy;
}

export interface AuthenticationPolicyInputs extends CommonInputs {
  readonly policy: AuthenticationPolicyDecl;
}

export interface CasMailboxPlanInputs extends CommonInputs {
  readonly plan: CasMailboxPlanDecl;
}

/** PopSettings (protocol pop3) and ImapSettings (protocol imap4). */
export interface ProtocolSettingsInputs extends CommonInputs {
  readonly server: string;
  readonly settings: ProtocolSettings;
}

export interface ProtocolServiceInputs extends CommonInputs {
  readonly server: string;
  readonly protocol: Protocol;
  readonly service: ServicePolicy;
  /**
   * Output of the matching settings resource that changes exactly when it applied a settings
   * change: a change here makes this resource restart the (running) services.
   */
  readonly settingsChangeId?: string;
}

export interface CasMailboxProtocolInputs extends CommonInputs {
  readonly casMailboxes: CasMailboxesPolicy;
}

export interface ResourceInputsByKind {
  readonly TransportConfig: TransportConfigInputs;
  readonly AuthenticationPolicy: AuthenticationPolicyInputs;
  readonly CasMailboxPlan: CasMailboxPlanInputs;
  readonly PopSettings: ProtocolSettingsInputs;
  readonly ImapSettings: ProtocolSettingsInputs;
  readonly ProtocolService: ProtocolServiceInputs;
  readonly CasMailboxProtocol: CasMailboxProtocolInputs;
}
