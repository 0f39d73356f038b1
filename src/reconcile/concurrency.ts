/**
 * How many write batches run at once: discovered, not configured (issue 15). Exchange Online's
 * budget is not published for the REST cmdlets and varies by tenant, so the limit starts at one
 * and adapts to what Exchange says, never above the configured maximum (AIMD with a memory):
 *
 * - until the first throttling error, each calm batch (none met) adds one (a slow start);
 * - a batch throttled at a level not yet known to be safe halves the limit (multiplicative
 *   decrease), and the halved level becomes the one known to be safe;
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
    return { epoch: this.epoch };
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
        this.current = Math.max(1, Math.floor(Math.min(this.current, running) / 2));
        this.safe = this.current;
      }
      this.change();
      this.decreases++;
      return;
    }
    if (this.current >= this.max) return;
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
