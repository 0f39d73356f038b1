/**
 * How many write batches run at once: discovered, not configured (issue 15). Exchange Online's
 * budget is not published for the REST cmdlets and varies by tenant, so the limit starts at one
 * and adapts to what Exchange says, never above the configured maximum (AIMD with a memory):
 *
 * - until the first throttling error, one more per calm batch (none met) that ran at the current
 *   limit — about one more per round of batches, so the limit is at most one above the budget
 *   when the first throttling error comes back;
 * - that first error sets the limit, and the level known to be safe, to one below the level that
 *   met it; throttled again at or below the safe level (the budget shrank), the limit halves and
 *   the halved level becomes the safe one (multiplicative decrease);
 * - below the safe level each calm batch adds one (recovery); at it, `probeAfter` calm batches
 *   add one (a probe, additive increase); a probe that stays calm makes its level the safe one;
 * - a probe that meets throttling goes back to the safe level and doubles the wait before the
 *   next probe (to PROBE_AFTER_MAX), so a budget that is really full costs few errors; the errors
 *   are retried by the backend (honouring their retry-after) while the other lanes go on.
 * Batches sent before a decrease report what they met at the old level: ignored.
 */

/** Calm batches at the safe level before the first probe above it. */
export const PROBE_AFTER_START = 8;
export const PROBE_AFTER_MAX = 256;

export interface BatchTicket {
  /** The number of decreases of the limit when the batch was sent. */
  readonly epoch: number;
  /** The limit when the batch was sent. */
  readonly limit: number;
}

export class AdaptiveConcurrency {
  private current = 1;
  private epoch = 0;
  /** The highest level known not to meet throttling (undefined: none met yet). */
  private safe: number | undefined;
  private calm = 0;
  private probeAfter = PROBE_AFTER_START;
  /** How often throttling made the limit go down, and the highest it reached (for reports). */
  decreases = 0;
  highest = 1;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`the maximum concurrency must be a whole number ≥ 1, not ${max}`);
  }

  get limit(): number {
    return this.current;
  }

  /** Taken as a batch is sent. */
  ticket(): BatchTicket {
    return { epoch: this.epoch, limit: this.current };
  }

  /** A batch ended; `throttled`: the throttling errors it met; `running`: batches in flight as it ended, itself included. */
  done(ticket: BatchTicket, throttled: number, running: number): void {
    if (ticket.epoch !== this.epoch) return;
    if (throttled > 0) {
      if (this.safe !== undefined && this.current > this.safe) {
        // A probe met the budget: back to the safe level, and wait longer before the next.
        this.current = this.safe;
        this.probeAfter = Math.min(PROBE_AFTER_MAX, this.probeAfter * 2);
      } else {
        const level = Math.min(this.current, running);
        // The first error: the slow start overshot by one. Later ones: the budget shrank.
        this.current = Math.max(1, this.safe === undefined ? level - 1 : Math.floor(level / 2));
        this.safe = this.current;
      }
      this.change();
      this.decreases++;
      return;
    }
    if (this.current >= this.max) return;
    // Slow start: only a batch that ran at the current limit says the limit is calm.
    if (this.safe === undefined && ticket.limit < this.current) return;
    this.calm++;
    const need = this.safe === undefined || this.current < this.safe ? 1 : this.probeAfter;
    if (this.calm < need) return;
    // A probe level that stayed calm this long is safe.
    if (this.safe !== undefined && this.current >= this.safe) this.safe = this.current;
    this.current++;
    this.highest = Math.max(this.highest, this.current);
    this.calm = 0;
  }

  /** A decrease: what batches sent before it report is about the old level. */
  private change(): void {
    this.epoch++;
    this.calm = 0;
  }
}
