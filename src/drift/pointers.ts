/**
 * Where in the document a drifted setting is declared (RFC 6901), so a drift report can point
 * at FILE:LINE:COL. Each change names its resource and Exchange object; this module finds the
 * declaration that produced it. For a mailbox, the planner says which exception naming it (or
 * `default`) decided the setting (SettingDrift.declaredAt).
 */
import type { JsonPointer, MailPolicy } from '../model/types';
import { kindModule } from '../reconcile/kinds/registry';
import type { Change, SettingDrift } from '../reconcile/plan';

/** Each kind's module knows where its settings are declared (its `pointer`). */
export class PointerIndex {
  constructor(private readonly policy: MailPolicy) {}

  /** The pointer of one drifted setting of a change. */
  of(change: Change, drift: SettingDrift | undefined): JsonPointer {
    return kindModule(change.resource.kind).pointer(this.policy, change, drift);
  }
}
