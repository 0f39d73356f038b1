/**
 * `pulumi refresh` shows drift as changed inputs: the stored inputs, with every drifted setting
 * replaced by what Exchange has. Settings that compare equal (a list in another order, a
 * timeout written differently) keep their declared form, so only real drift shows.
 */
import type { JsonValue } from '../src/exchange/types';
import type { CasMailboxException } from '../src/model/types';
import type { Change } from '../src/reconcile/plan';
import { DEFAULT_POLICY_DRIFT_KEY } from '../src/reconcile/sections/authentication-policy';
import { parseServiceDriftKey } from '../src/reconcile/sections/protocol-service';
import type { ResourceInputsByKind, ResourceKind } from './resource-types';

type Section = Record<string, JsonValue | undefined>;

function overlayDrift(section: object, changes: readonly Change[], keyOf: (key: string) => string | undefined = (k) => k): Section {
  const out: Section = { ...(section as Section) };
  for (const change of changes) {
    for (const d of change.drift) {
      const key = keyOf(d.key);
      if (key !== undefined && d.actual !== undefined) out[key] = d.actual;
    }
  }
  return out;
}

/** Drifted mailboxes as extra exceptions, grouped by their actual values (what Exchange has, for `pulumi refresh` to show). */
function mailboxExceptions(changes: readonly Change[]): CasMailboxException[] {
  const groups = new Map<string, { values: Section; identities: string[] }>();
  for (const change of changes) {
    const values: Section = {};
    for (const d of change.drift) values[d.key] = d.actual;
    const signature = JSON.stringify(values);
    let group = groups.get(signature);
    if (!group) {
      group = { values, identities: [] };
      groups.set(signature, group);
    }
    group.identities.push(change.subject);
  }
  return [...groups.values()].map((g) => ({ identities: g.identities, ...g.values }) as CasMailboxException);
}

/** The inputs that describe the organisation as it is, given the changes that would repair it. */
export function refreshedInputs<K extends ResourceKind>(kind: K, inputs: ResourceInputsByKind[K], changes: readonly Change[]): ResourceInputsByKind[K] {
  if (changes.length === 0) return inputs;
  // The casts restate K: TypeScript cannot narrow a generic through a switch.
  const i = inputs as unknown as Record<string, unknown>;
  let next: Record<string, unknown>;
  switch (kind) {
    case 'TransportConfig':
      next = { ...i, transportConfig: overlayDrift(i.transportConfig as object, changes) };
      break;
    case 'AuthenticationPolicy': {
      // The organisation default drifted: the YAML's `default` is the opposite of what Exchange has.
      const policy = i.policy as ResourceInputsByKind['AuthenticationPolicy']['policy'];
      next = { ...i, policy: overlayDrift(policy, changes, (k) => (k === DEFAULT_POLICY_DRIFT_KEY ? undefined : k)) };
      if (changes.some((c) => c.drift.some((d) => d.key === DEFAULT_POLICY_DRIFT_KEY))) (next.policy as Section).default = policy.default !== true;
      break;
    }
    case 'CasMailboxPlan':
      next = { ...i, plan: overlayDrift(i.plan as object, changes) };
      break;
    case 'PopSettings':
    case 'ImapSettings':
      next = { ...i, settings: overlayDrift(i.settings as object, changes) };
      break;
    case 'ProtocolService':
      // Front end and back end drift under their own keys; the resource has one setting for both.
      next = { ...i, service: overlayDrift(i.service as object, changes, (k) => parseServiceDriftKey(k).field) };
      break;
    case 'CasMailboxProtocol': {
      const policy = i.casMailboxes as ResourceInputsByKind['CasMailboxProtocol']['casMailboxes'];
      next = { ...i, casMailboxes: { ...policy, exceptions: [...policy.exceptions, ...mailboxExceptions(changes)] } };
      break;
    }
    default:
      throw new Error(`unknown resource kind ${String(kind)}`);
  }
  return next as unknown as ResourceInputsByKind[K];
}
