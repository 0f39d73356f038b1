/**
 * What "restore Exchange's defaults" means per resource (opt-in `restoreDefaultsOnDelete`):
 * the desired state a resource's managed keys return to when it is deleted. Only keys the
 * resource managed are touched, and only where Exchange's default is known without asking
 * (src/exchange/defaults.ts); the rest are left as they are and named in `left`.
 */
import type {
  AuthenticationPolicyInputs,
  CasMailboxPlanInputs,
  CasMailboxProtocolInputs,
  ProtocolServiceInputs,
  ProtocolSettingsInputs,
  ResourceInputsByKind,
  ResourceKind,
  TransportConfigInputs,
} from '../../providers/resource-types';
import { casMailboxPlanDefaults, MAILBOX_DEFAULTS, protocolSettingDefaults, RESTORABLE_TRANSPORT_CONFIG_DEFAULTS, SERVICE_DEFAULTS } from '../exchange/defaults';
import type { CasMailboxSettings, TransportConfigPolicy } from '../model/types';
import { settingsProtocol } from './resources';

/**
 * Exchange's `$null` reads back as off and cannot be written: restoring writes `$false`.
 * SmtpClientAuthenticationDisabled is absent on purpose: its default depends on the tenant's age,
 * so restoring it could switch SMTP AUTH off for a whole older tenant; it is left as it is.
 */
const TRANSPORT_RESTORED: Pick<TransportConfigPolicy, 'allowLegacyTLSClients'> = {
  allowLegacyTLSClients: RESTORABLE_TRANSPORT_CONFIG_DEFAULTS.allowLegacyTLSClients ?? false,
};

/** The managed keys of `declared`, set to the values of `defaults` where it has one. */
function pickDefaults<T extends object>(declared: T, defaults: Partial<T>): { restored: Partial<T>; left: string[] } {
  const restored: Partial<T> = {};
  const left: string[] = [];
  for (const key of Object.keys(declared) as (keyof T & string)[]) {
    if (declared[key] === undefined) continue;
    if (key in defaults) restored[key] = defaults[key];
    else left.push(key);
  }
  return { restored, left };
}

export type Restoration<K extends ResourceKind> =
  /** Plan these inputs against the organisation. */
  | { readonly kind: 'plan'; readonly inputs: ResourceInputsByKind[K]; readonly left: readonly string[] }
  /** The object itself goes (an authentication policy mailpolicy created). */
  | { readonly kind: 'remove'; readonly name: string };

export function restoration<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K]): Restoration<K> {
  const plan = <I>(next: I, left: readonly string[]): Restoration<K> => ({ kind: 'plan', inputs: next as unknown as ResourceInputsByKind[K], left });
  switch (kind) {
    case 'TransportConfig': {
      const i = inputs as TransportConfigInputs;
      const { restored, left } = pickDefaults(i.transportConfig, TRANSPORT_RESTORED);
      return plan<TransportConfigInputs>({ ...i, transportConfig: restored }, left);
    }
    case 'AuthenticationPolicy':
      return { kind: 'remove', name: (inputs as AuthenticationPolicyInputs).policy.name };
    case 'CasMailboxPlan': {
      const i = inputs as CasMailboxPlanInputs;
      const { restored, left } = pickDefaults({ popEnabled: i.plan.popEnabled, imapEnabled: i.plan.imapEnabled }, casMailboxPlanDefaults(i.plan.identity));
      return plan<CasMailboxPlanInputs>({ ...i, plan: { identity: i.plan.identity, ...restored } }, left);
    }
    case 'PopSettings':
    case 'ImapSettings': {
      const i = inputs as ProtocolSettingsInputs;
      const { restored, left } = pickDefaults(i.settings, protocolSettingDefaults(settingsProtocol(kind)));
      return plan<ProtocolSettingsInputs>({ ...i, settings: restored }, left);
    }
    case 'ProtocolService': {
      const i = inputs as ProtocolServiceInputs;
      const { restored, left } = pickDefaults(i.service, SERVICE_DEFAULTS);
      return plan<ProtocolServiceInputs>({ ...i, service: restored }, left);
    }
    case 'CasMailboxProtocol': {
      const i = inputs as CasMailboxProtocolInputs;
      // Every key the default or an exception managed goes back to Exchange's default, for every mailbox.
      const managed: Record<string, unknown> = { ...i.casMailboxes.default };
      for (const e of i.casMailboxes.exceptions) Object.assign(managed, e);
      delete managed.identities;
      const { restored } = pickDefaults(managed as CasMailboxSettings, MAILBOX_DEFAULTS);
      return plan<CasMailboxProtocolInputs>({ ...i, casMailboxes: { default: restored, exceptions: [] } }, []);
    }
  }
  throw new Error(`unknown resource kind ${String(kind)}`);
}
