/**
 * `mailpolicy export --undeclared FILE`: of an exported organisation, only the objects FILE does
 * not mention (drift's "Not declared" section), so they can be reviewed and copied into FILE.
 * One entry per kind that can tell (`undeclared` hooks): the compiler asks for a new one here.
 */
import type { CasMailboxException, MailPolicy } from '../model/types';
import { sameIdentity } from '../reconcile/compare';
import { matchingPlans } from '../reconcile/kinds/cas-mailbox-plan';
import type { ResourceKind } from '../reconcile/kinds/types';
import type { UndeclaredFinding } from '../reconcile/undeclared';

type Sections = Omit<MailPolicy, 'apiVersion' | 'kind' | 'metadata' | 'target'>;
type Keep = (exported: MailPolicy, objects: readonly UndeclaredFinding[]) => Partial<Sections>;

const named = (objects: readonly UndeclaredFinding[], name: string): boolean => objects.some((o) => sameIdentity(o.name, name));

/** What each kind keeps of the exported document; `undefined` for kinds without an `undeclared` hook. */
const KEEP: { readonly [K in ResourceKind]: Keep | undefined } = {
  TransportConfig: undefined,
  // Policies only: a user with a stray assignment is reported by drift, not exported (its policy is one of the exported ones).
  AuthenticationPolicy: (exported, objects) => ({ authenticationPolicies: (exported.authenticationPolicies ?? []).filter((p) => named(objects.filter((o) => o.what === 'AuthenticationPolicy'), p.name)) }),
  // The export names a plan without its GUID suffix: kept when it stands for a plan not declared.
  CasMailboxPlan: (exported, objects) => {
    const plans = objects.map((o) => ({ identity: o.name, popEnabled: false, imapEnabled: false }));
    return { casMailboxPlans: (exported.casMailboxPlans ?? []).filter((p) => matchingPlans(p.identity, plans).length > 0) };
  },
  PopSettings: undefined,
  ImapSettings: undefined,
  ExchangeCertificate: undefined,
  ReceiveConnector: undefined,
  ProtocolService: (exported, objects) => ({ servers: (exported.servers ?? []).filter((s) => named(objects, s.name)) }),
  // Mailbox overrides: one exception per distinct set of values, naming its mailboxes (no default: it is declared).
  CasMailboxProtocol: (_exported, objects) => {
    const groups = new Map<string, CasMailboxException & { identities: string[] }>();
    for (const o of objects) {
      const signature = JSON.stringify(o.settings);
      const group = groups.get(signature) ?? ({ identities: [], ...o.settings } as CasMailboxException & { identities: string[] });
      group.identities.push(o.name);
      groups.set(signature, group);
    }
    return { casMailboxes: { exceptions: [...groups.values()] } };
  },
};

/** The exported document cut to the objects not declared; a section with none is left out. */
export function undeclaredOnly(exported: MailPolicy, undeclared: readonly UndeclaredFinding[]): MailPolicy {
  const out: Record<string, unknown> = { apiVersion: exported.apiVersion, kind: exported.kind, metadata: exported.metadata, target: exported.target };
  const kinds = new Set(undeclared.map((o) => o.kind));
  for (const kind of kinds) {
    const sections = KEEP[kind]?.(exported, undeclared.filter((o) => o.kind === kind)) ?? {};
    for (const [key, value] of Object.entries(sections)) {
      const empty = Array.isArray(value) ? value.length === 0 : (value as { exceptions?: unknown[] } | undefined)?.exceptions?.length === 0;
      if (!empty) out[key] = value;
    }
  }
  return out as unknown as MailPolicy;
}
