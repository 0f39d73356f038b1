/**
 * A backend that counts the mailboxes its bulk mailbox reads return, for progress lines: the CLI's
 * (src/cli/progress.ts) and the Pulumi provider's log.
 */
import type { Progress } from '../report/progress';
import { resultList } from './read-back';
import type { CmdletRequest, ExchangeBackend } from './types';

/** The bulk mailbox reads: their results are what drift's progress counts. */
const isMailboxRead = (request: CmdletRequest): boolean => (request.cmdlet === 'Get-EXOCasMailbox' || request.cmdlet === 'Get-CASMailbox') && request.parameters.Identity === undefined;

/**
 * The backend, counting the mailboxes its bulk reads return into `progress`: as they arrive (the
 * backend's `onItems`: a PowerShell host's count lines, the simulator's latency model), then the
 * whole read. Exchange says nothing of how many there are before it answers, so reads have counts
 * and a rate, never an ETA.
 */
export function countingReads(backend: ExchangeBackend, progress: Pick<Progress, 'update'> | undefined): { backend: ExchangeBackend; read: () => number } {
  let read = 0;
  if (!progress) return { backend, read: () => read };
  const counted: ExchangeBackend = {
    kind: backend.kind,
    describe: () => backend.describe(),
    connection: () => backend.connection(),
    invoke: async (request, options) => {
      if (!isMailboxRead(request)) return backend.invoke(request, options);
      const before = read;
      const onItems = (received: number): void => {
        options?.onItems?.(received);
        progress.update(before + received);
      };
      const result = await backend.invoke(request, { ...options, onItems });
      read = before + resultList(result).length;
      progress.update(read);
      return result;
    },
    invokeBatch: (requests) => backend.invokeBatch(requests),
    stats: () => backend.stats(),
    close: () => backend.close(),
  };
  return { backend: counted, read: () => read };
}
