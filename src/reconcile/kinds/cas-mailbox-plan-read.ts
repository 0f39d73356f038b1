/** The CasMailboxPlan kind's read-back: every plan Get-CASMailboxPlan lists, and its part of the organisation as read. Owned by cas-mailbox-plan.ts. */
import { resultList, readBack } from '../../exchange/read-back';
import { buildRequest } from '../../exchange/request';
import type { ExchangeBackend } from '../../exchange/types';

export interface ActualCasMailboxPlan {
  /** Full plan name as Exchange reports it, with its GUID suffix. */
  readonly identity: string;
  readonly popEnabled: boolean;
  readonly imapEnabled: boolean;
}

/** The kind's part of the organisation as read (src/reconcile/actual.ts). */
export interface CasMailboxPlanPart {
  readonly casMailboxPlans?: readonly ActualCasMailboxPlan[];
}

export async function readCasMailboxPlans(backend: ExchangeBackend): Promise<ActualCasMailboxPlan[]> {
  const raw = await backend.invoke(buildRequest('Get-CASMailboxPlan'));
  return resultList(raw).map((item) => {
    const o = readBack('Get-CASMailboxPlan', item);
    return { identity: o.identity as string, popEnabled: o.popEnabled as boolean, imapEnabled: o.imapEnabled as boolean };
  });
}
