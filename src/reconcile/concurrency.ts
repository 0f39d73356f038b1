/**
 * How many write batches run at once: discovered, not configured (issue 15). Exchange Online's
 * budget is not published for the REST cmdlets and varies by tenant, so the limit starts at one
 * and adapts to what Exchange says, never above the configured maximum:
 *
 * - a calm batch (no throttling error) adds one, after one calm batch while below the level
 *   that last met throttling, after `probeAfter` calm batches above it (a probe);
 * - a batch throttled at the current level steps down to just below the level that met it
 *   (one lane less than were running); throttled again before any calm batch, it halves —
 *   additive increase, multiplicative decrease;
 * - each probe that meets throttling doubles the wait before the next (to PROBE_AFTER_MAX), so a
 *   budget that is really full costs few throttling errors; the errors a probe meets are retried
 *   (honouring their retry-after) while the other lanes go on.
 * Batches that started before a decrease report throttling they met at the old level: ignored.
 */

/** Calm batches before the first probe above the level that met throttling. */
export const PROBE_AFTER_START = 8;
export const PROBE_AFTER_MAX = 256;

export interface BatchTicket {
  /** The decrease count when the batch was sent. */
  readonly epoch: number;
}

export class AdaptiveConcurrency {
  private current = 1;
  private epoch = 0;
  /** The highest level that has not met throttling since it last did (undefined: none met yet). */
  private ceiling: number | undefined;
  private calm = 0;
  private calmSinceDecrease = true;
  private probeAfter = PROBE_AFTER_START;
  /** How often the limit went down, and the highest it reached (for reports). */
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
    if (throttled > 0) {
      if (ticket.epoch !== this.epoch) return;
      const probing = this.ceiling !== undefined && this.current > this.ceiling;
      const next = this.calmSinceDecrease ? Math.min(this.current, running) - 1 : Math.floor(this.current / 2);
      this.current = Math.max(1, next);
      this.ceiling = this.current;
      if (probing) this.probeAfter = Math.min(PROBE_AFTER_MAX, this.probeAfter * 2);
      this.epoch++;
      this.decreases++;
      this.calm = 0;
      this.calmSinceDecrease = false;
      return;
    }
    this.calmSinceDecrease = true;
    if (this.current >= this.max) return;
    this.calm++;
    const need = this.ceiling === undefined || this.current < this.ceiling ? 1 : this.probeAfter;
    if (this.calm >= need) {
      this.current++;
      this.highest = Math.max(this.highest, this.current);
      this.calm = 0;
    }
  }
}
