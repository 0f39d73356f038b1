/**
 * Fault injection and latency for tests and benchmarks. Faults come from the state file
 * (`faults`) and from backend options; each fault counts the calls it matches in this backend
 * instance (a process restart starts counting again).
 */
import type { FaultSpec, LatencyModel } from './state';

export class FaultInjector {
  private readonly seen = new Map<string, number>();

  /** Counts this call against every fault it matches; returns the first that fires. */
  check(cmdlet: string, faults: readonly FaultSpec[]): FaultSpec | undefined {
    let firing: FaultSpec | undefined;
    for (const fault of faults) {
      if (fault.cmdlet !== undefined && fault.cmdlet.toLowerCase() !== cmdlet.toLowerCase()) continue;
      const key = JSON.stringify(fault);
      const n = (this.seen.get(key) ?? 0) + 1;
      this.seen.set(key, n);
      const first = fault.call ?? 1;
      const times = fault.times ?? 1;
      if (!firing && n >= first && n < first + times) firing = fault;
    }
    return firing;
  }
}

/**
 * The warning of a `microDelay` fault. Microsoft's support article "Micro delay applied" warning
 * or delays occur in Exchange Online (https://support.microsoft.com/kb/2881759) shows
 * `WARNING: Micro delay applied. Actual delayed: <X> msecs, Enforced…` (PowerShell adds the
 * `WARNING: `); what follows "Enforced" is unverified.
 */
export const MICRO_DELAY_WARNING = 'Micro delay applied. Actual delayed: 250 msecs, Enforced: True';

/** Faults that concern writes only: a read neither fires them nor counts towards them. */
export const WRITE_ONLY_FAULT_KINDS: readonly string[] = ['ignoreWrite', 'microDelay'];

/** The micro-delay warning of a cmdlet the throttling budget delayed `ms` (the same text as the fault's, with its delay). */
export function microDelayWarning(ms: number): string {
  return `Micro delay applied. Actual delayed: ${Math.round(ms)} msecs, Enforced: True`;
}

/** What the retry-after of a throttled cmdlet is when the state does not say: unverified, see docs/simulator.md. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** How long one cmdlet takes: its own figure, else the per-cmdlet one. */
export function cmdletMs(model: LatencyModel | undefined, cmdlet: string): number {
  if (!model) return 0;
  const own = model.cmdletMs === undefined ? undefined : Object.entries(model.cmdletMs).find(([name]) => name.toLowerCase() === cmdlet.toLowerCase())?.[1];
  return own ?? model.perCmdletMs ?? 0;
}

/** What a read adds for the objects it returns. */
export function readItemsMs(model: LatencyModel | undefined, items: number): number {
  return ((model?.perItemMicros ?? 0) * items) / 1000;
}

export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
