/**
 * The only way the honest forecaster reads intensity: a view over the
 * hours that ended by the issue time, held as a typed array. Asking for
 * an hour at or after the view's "now" throws {@link LookAheadError}, so a
 * forecast or a fit that tried to peek at the future fails loudly rather
 * than quietly getting better.
 */
import {SchedulerError} from '../errors.js';

/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** A read at or after the view's "now": a bug in the forecaster. */
export class LookAheadError extends SchedulerError {
  /**
   * @param askedStartMs - the hour start that was asked for
   * @param nowMs - the first hour start the view does not know
   */
  constructor(askedStartMs: number, nowMs: number) {
    super('forecast-look-ahead',
      `the forecaster asked for the hour starting ` +
        `${new Date(askedStartMs).toISOString()}, at or after its view's ` +
        `now ${new Date(nowMs).toISOString()}; only earlier hours may be ` +
        'read');
  }
}

/**
 * Hourly values from `firstStartMs`, readable strictly before `nowIndex`
 * (the position of the first unknown hour). NaN marks a missing hour.
 */
export class PastView {
  /**
   * @param firstStartMs - start of the hour at position 0
   * @param values - one value per hour; positions >= nowIndex are unread
   * @param nowIndex - the first position the view refuses
   */
  constructor(
    readonly firstStartMs: number,
    private readonly values: Float64Array,
    readonly nowIndex: number,
  ) {
    if (nowIndex > values.length) {
      throw new RangeError(`nowIndex ${nowIndex} is past the ` +
        `${values.length} values held`);
    }
  }

  /** Start of the first hour the view refuses. */
  get nowMs(): number {
    return this.startMsOf(this.nowIndex);
  }

  /** The hour start at `index`. */
  startMsOf(index: number): number {
    return this.firstStartMs + index * HOUR_MS;
  }

  /**
   * The value at `index`: NaN when missing or before the first hour.
   *
   * @throws LookAheadError for an index at or after now
   */
  at(index: number): number {
    if (index >= this.nowIndex) {
      throw new LookAheadError(this.startMsOf(index), this.nowMs);
    }
    if (index < 0) return Number.NaN;
    return this.values[index] as number;
  }

  /**
   * The same hours seen from an earlier "now" (a past issue time, for
   * fitting on what was known then).
   *
   * @throws LookAheadError when `nowIndex` is later than this view's
   */
  asOf(nowIndex: number): PastView {
    if (nowIndex > this.nowIndex) {
      throw new LookAheadError(this.startMsOf(nowIndex - 1), this.nowMs);
    }
    return new PastView(this.firstStartMs, this.values, nowIndex);
  }

  /** The position of the hour starting at `startMs` (may be fractional). */
  indexOf(startMs: number): number {
    return (startMs - this.firstStartMs) / HOUR_MS;
  }
}
