/**
 * How many write batches run at once: discovered, not configured (issue 15). Exchange Online's
 * budget is not published for the REST cmdlets and varies by tenant, so the limit starts at one
 * and adapts to what Exchange says, never above the configured maximum:
 *
 * - slow start, until the first throttling error: each calm batch (none met) sent at the current
 *   limit, or at the one before, adds one — two more per round of batches (1, 2, 4, 6, 8…), so
 *   a budget of 8 is reached in four rounds, not eight, and overshot by at most two; a batch
 *   that ran below the limit (lanes still signing in) does not count;
 * - throttling is reported as soon as a running batch meets it (`throttled`), not when the batch
 *   ends: the batches then in flight, less those that met it since the last look, is the level
 *   Exchange allowed — the limit goes to it (never above where it was) and the level that met
 *   throttling becomes the ceiling;
 * - then the limit holds at the level found: no halving "to be safe" (the budget is a tenant
 *   figure, not a congested link — a lower level only leaves budget unused). Throttled again by
 *   a batch sent after the last decrease (the budget shrank, or the estimate was high), it goes
 *   down to the level measured then, the same way;
 * - below one under the ceiling (an estimate that came out low), each calm batch adds one;
 *   at it, `probeAfter` calm batches try the ceiling itself (a probe); a probe met by throttling
 *   goes back and doubles the wait before the next (to PROBE_AFTER_MAX), so a full budget costs
 *   few errors; a probe that stays calm for a whole round (as many calm batches as the level,
 *   none throttled) raises the ceiling by one.
 *
 * Batches sent before a decrease report what they met at the old level: ignored. The errors are
 * retried by the backend (honouring their retry-after) while the other lanes go on.
 */

/** Calm batches at the level found before the first probe above it (eight rounds at a budget of 8: probes are rare, each costs a lane a retry-after). */
export const PROBE_AFTER_START = 64;
export const PROBE_AFTER_MAX = 1024;

export interface BatchTicket {
  /** The number of decreases of the limit when the batch was sent. */
  readonly epoch: number;
  /** The limit when the batch was sent. */
  readonly limit: number;
  /** The batches in flight when it was sent, itself included (below the limit while lanes start). */
  readonly running: number;
}

export class AdaptiveConcurrency {
  private current = 1;
  private epoch = 0;
  /** The lowest level that met throttling since the last probe succeeded (undefined: none met yet). */
  private ceiling: number | undefined;
  private calm = 0;
  private probeAfter = PROBE_AFTER_START;
  /** Probing: the calm batches sent at the probe level so far. */
  private probeCalm: number | undefined;
  /** How often throttling made the limit go down, and the highest it reached (for reports). */
  decreases = 0;
  highest = 1;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`the maximum concurrency must be a whole number ≥ 1, not ${max}`);
  }

  get limit(): number {
    return this.current;
  }

  /** Taken as a batch is sent; `running`: the batches in flight with it (default: the limit). */
  ticket(running = this.current): BatchTicket {
    return { epoch: this.epoch, limit: this.current, running };
  }

  /**
   * Running batches met throttling: `tickets`, those that met it since the last look (each batch
   * reported once); `running`: the batches in flight now, those included.
   */
  throttled(tickets: readonly BatchTicket[], running: number): void {
    const current = tickets.filter((t) => t.epoch === this.epoch);
    if (current.length === 0) return;
    if (this.probeCalm !== undefined) {
      // A probe met the budget: back below the ceiling, and wait longer before the next.
      this.probeCalm = undefined;
      this.current = Math.max(1, Math.min(this.current, (this.ceiling ?? this.current) - 1));
      this.probeAfter = Math.min(PROBE_AFTER_MAX, this.probeAfter * 2);
    } else {
      // What Exchange let through: the batches in flight that did not meet throttling.
      this.ceiling = Math.min(this.ceiling ?? running, running);
      this.current = Math.max(1, Math.min(this.current, running - current.length, this.ceiling - 1));
    }
    this.epoch++;
    this.calm = 0;
    this.decreases++;
  }

  /** A batch ended; `throttled`: whether it met throttling (already reported through `throttled`). */
  done(ticket: BatchTicket, throttled: boolean): void {
    if (throttled || ticket.epoch !== this.epoch) return;
    if (this.probeCalm !== undefined) {
      if (ticket.limit < this.current) return;
      this.probeCalm++;
      // A whole round at the probe level stayed calm: the budget grew.
      if (this.probeCalm >= this.current) {
        this.probeCalm = undefined;
        this.ceiling = this.current + 1;
        this.grow();
      }
      return;
    }
    if (this.current >= this.max) return;
    if (this.ceiling === undefined) {
      // Slow start: a batch that ran well below the limit (sent before it grew, or while
      // lanes were still starting) says nothing about it.
      if (Math.min(ticket.limit, ticket.running) < this.current - 1) return;
      this.grow();
      return;
    }
    if (this.current < this.ceiling - 1) {
      // Recovery towards the level found.
      if (ticket.limit < this.current) return;
      this.grow();
      return;
    }
    this.calm++;
    if (this.calm < this.probeAfter) return;
    // A probe: the ceiling itself.
    this.probeCalm = 0;
    this.grow();
  }

  private grow(): void {
    if (this.current >= this.max) return;
    this.current++;
    this.highest = Math.max(this.highest, this.current);
    this.calm = 0;
  }
}
