/**
 * The features of one forecast target, all known at issue time: the last
 * observed value, the same hour on the newest known day and week, robust
 * daily profiles (medians of the same hour over 7 and 28 days), a
 * weekday/weekend profile, and the latest anomaly fading with lead time.
 *
 * Every value is read through a {@link PastView}, so a feature can only
 * use hours before the view's now. Profiles are anchored at an hour that
 * is already known and read only that hour and older ones, so they are
 * kept per anchor and shared by every view over the same hours.
 */
import type {PastView} from './forecast-past-view.js';

/** How many features a target has, the constant term included. */
export const FEATURE_COUNT = 8;

/** Names, in order, for reports and tests. */
export const FEATURE_NAMES = [
  'constant', 'lastValue', 'sameHourNewestDay', 'sameHourNewestWeek',
  'median7Days', 'median28Days', 'dayTypeMean28Days', 'fadingAnomaly',
] as const;

/** Hours of history, before the last known hour, that features read. */
export const FEATURE_LOOKBACK_HOURS = 30 * 24;

/** e-folding lead time of the anomaly, in hours. */
export const ANOMALY_FADE_HOURS = 12;

const DAY_HOURS = 24;
const WEEK_HOURS = 7 * DAY_HOURS;
const SHORT_PROFILE_DAYS = 7;
const LONG_PROFILE_DAYS = 28;
const DAY_MS = 86_400_000;

/**
 * Profiles of one run of hours, memoised by anchor position. Valid for
 * every view over the same values, whatever its now, because a profile
 * at an anchor reads only the anchor and older hours.
 */
export class ProfileCache {
  private readonly short: Float64Array;
  private readonly long: Float64Array;
  private readonly weekday: Float64Array;
  private readonly weekend: Float64Array;
  private readonly scratch = new Float64Array(LONG_PROFILE_DAYS);

  /** @param length - how many hour positions the views hold */
  constructor(length: number) {
    this.short = new Float64Array(length).fill(Number.NaN);
    this.long = new Float64Array(length).fill(Number.NaN);
    this.weekday = new Float64Array(length).fill(Number.NaN);
    this.weekend = new Float64Array(length).fill(Number.NaN);
  }

  /** Median of the same hour over the 7 days ending at `anchor`. */
  median7(view: PastView, anchor: number): number {
    return this.memo(this.short, view, anchor, () =>
      this.median(view, anchor, SHORT_PROFILE_DAYS));
  }

  /** Median of the same hour over the 28 days ending at `anchor`. */
  median28(view: PastView, anchor: number): number {
    return this.memo(this.long, view, anchor, () =>
      this.median(view, anchor, LONG_PROFILE_DAYS));
  }

  /**
   * Mean of the same hour over the 28 days ending at `anchor`, counting
   * only days of the target's type (weekend or weekday, in UTC).
   */
  dayTypeMean(view: PastView, anchor: number, weekend: boolean): number {
    return this.memo(weekend ? this.weekend : this.weekday, view, anchor,
      () => {
        let sum = 0;
        let count = 0;
        for (let day = 0; day < LONG_PROFILE_DAYS; day++) {
          const index = anchor - day * DAY_HOURS;
          if (isWeekend(view.startMsOf(index)) !== weekend) continue;
          const value = view.at(index);
          if (Number.isNaN(value)) continue;
          sum += value;
          count++;
        }
        return count === 0 ? Number.NaN : sum / count;
      });
  }

  // Reads through the view first, so a future anchor throws even when
  // another view has already filled the slot.
  private memo(
    slots: Float64Array,
    view: PastView,
    anchor: number,
    compute: () => number,
  ): number {
    view.at(anchor);
    if (anchor < 0 || anchor >= slots.length) return compute();
    const kept = slots[anchor] as number;
    if (!Number.isNaN(kept)) return kept;
    const value = compute();
    // A profile with no known value stays NaN and is recomputed: rare.
    slots[anchor] = value;
    return value;
  }

  private median(view: PastView, anchor: number, days: number): number {
    let count = 0;
    for (let day = 0; day < days; day++) {
      const value = view.at(anchor - day * DAY_HOURS);
      if (!Number.isNaN(value)) this.scratch[count++] = value;
    }
    if (count === 0) return Number.NaN;
    const known = this.scratch.subarray(0, count).sort();
    const middle = count >> 1;
    return count % 2 === 1 ? known[middle] as number :
      ((known[middle - 1] as number) + (known[middle] as number)) / 2;
  }
}

/**
 * Writes the features of the hour at `target` into `into`.
 *
 * @param view - what is known; `lastIndex` is its newest known hour
 * @param lastIndex - position of the newest known (non-missing) hour
 * @param target - position of the hour forecast, after `lastIndex`
 * @param profiles - the memo shared by views over the same hours
 * @param into - FEATURE_COUNT slots, overwritten
 */
export function writeFeatures(
  view: PastView,
  lastIndex: number,
  target: number,
  profiles: ProfileCache,
  into: Float64Array,
): void {
  const lastValue = view.at(lastIndex);
  const leadHours = target - lastIndex;
  const dayAnchor = target - DAY_HOURS * Math.ceil(leadHours / DAY_HOURS);
  const weekAnchor = target - WEEK_HOURS * Math.ceil(leadHours / WEEK_HOURS);

  const median7 = orElse(profiles.median7(view, dayAnchor), lastValue);
  const median28 = orElse(profiles.median28(view, dayAnchor), median7);
  const sameHourDay = orElse(view.at(dayAnchor), median7);
  const sameHourWeek = orElse(view.at(weekAnchor), sameHourDay);
  const weekend = isWeekend(view.startMsOf(target));
  const dayType = orElse(
    profiles.dayTypeMean(view, dayAnchor, weekend), median28);
  const lastBaseline = orElse(
    profiles.median7(view, lastIndex - DAY_HOURS), lastValue);
  const anomaly = (lastValue - lastBaseline) *
    Math.exp(-leadHours / ANOMALY_FADE_HOURS);

  into[0] = 1;
  into[1] = lastValue;
  into[2] = sameHourDay;
  into[3] = sameHourWeek;
  into[4] = median7;
  into[5] = median28;
  into[6] = dayType;
  into[7] = anomaly;
}

/** Saturday or Sunday in UTC. */
function isWeekend(startMs: number): boolean {
  // 1970-01-01 was a Thursday (weekday 4, Sunday being 0).
  const weekday = (Math.floor(startMs / DAY_MS) + 4) % 7;
  return weekday === 0 || weekday === 6;
}

function orElse(value: number, fallback: number): number {
  return Number.isNaN(value) ? fallback : value;
}
