/**
 * The replay's honest forecaster. It sees only hours that ended before the
 * issue time and blends three simple signals:
 *
 * - a daily profile: the mean of the same hour of day over the seven
 *   newest known days;
 * - a weekly profile: the same hour of the newest known week (mixed 1:2
 *   with the daily one);
 * - persistence of the latest anomaly: how far the last known hour sat
 *   from its own profile value, fading with lead time (e-folding 12 h).
 *
 * The result is deterministic and has real error, which a planner must
 * live with, as it would with a live provider.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
const PROFILE_DAYS = 7;
const ANOMALY_FADE_HOURS = 12;
const DAILY_WEIGHT = 2 / 3;

/**
 * What the forecaster may read: values of hours that ended by the issue
 * time. `valueAt` answers undefined for any other hour.
 */
export interface KnownPast {
  /** The value of the hour starting at `startMs`, if known. */
  valueAt(startMs: number): number | null | undefined;
  /** Start of the newest hour with a non-null value, or undefined. */
  readonly lastKnownStartMs: number | undefined;
}

/**
 * Forecasts the hour starting at `targetStartMs`.
 *
 * @param past - the hours known at issue time
 * @param targetStartMs - an hour start at or after the interval
 * @returns gCO2e/kWh, or null when nothing is known to forecast from
 */
export function forecastHour(
  past: KnownPast,
  targetStartMs: number,
): number | null {
  const lastStartMs = past.lastKnownStartMs;
  if (lastStartMs === undefined) return null;
  const lastValue = past.valueAt(lastStartMs) ?? null;
  if (lastValue === null) return null;

  const profileAtTarget = profileValue(past, targetStartMs);
  const profileAtLast = profileValue(past, lastStartMs);
  if (profileAtTarget === null || profileAtLast === null) return lastValue;

  const leadHours = (targetStartMs - lastStartMs) / HOUR_MS;
  const fade = Math.exp(-leadHours / ANOMALY_FADE_HOURS);
  const forecast = profileAtTarget + (lastValue - profileAtLast) * fade;
  return Math.max(0, forecast);
}

// Daily mean for this hour of day, blended with the same hour a week ago.
function profileValue(past: KnownPast, startMs: number): number | null {
  const newestDayMs = newestKnownPhase(past, startMs - DAY_MS, DAY_MS);
  const daily = meanOf(
    Array.from({length: PROFILE_DAYS}, (_, day) =>
      past.valueAt(newestDayMs - day * DAY_MS) ?? null),
  );
  const weekMs = newestKnownPhase(past, startMs - WEEK_MS, WEEK_MS);
  const weekly = past.valueAt(weekMs) ?? null;
  if (daily === null) return weekly;
  if (weekly === null) return daily;
  return DAILY_WEIGHT * daily + (1 - DAILY_WEIGHT) * weekly;
}

// `startMs`, moved back by whole steps until it is no newer than the last
// known hour (a target more than a day or a week ahead).
function newestKnownPhase(
  past: KnownPast,
  startMs: number,
  stepMs: number,
): number {
  const lastStartMs = past.lastKnownStartMs ?? -Infinity;
  let candidateMs = startMs;
  while (candidateMs > lastStartMs) candidateMs -= stepMs;
  return candidateMs;
}

function meanOf(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return null;
  return known.reduce((sum, value) => sum + value, 0) / known.length;
}
