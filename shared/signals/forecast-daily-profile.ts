/**
 * The plain forecast, used while a zone has too little history to fit
 * the linear model: a daily profile (mean of the same hour over the
 * seven newest known days) mixed 2:1 with the same hour of the newest
 * known week, plus the latest anomaly fading with lead time (e-folding
 * 12 h).
 */
import type {PastView} from './forecast-past-view.js';

const DAY_HOURS = 24;
const WEEK_HOURS = 7 * DAY_HOURS;
const PROFILE_DAYS = 7;
const ANOMALY_FADE_HOURS = 12;
const DAILY_WEIGHT = 2 / 3;

/**
 * The plain forecast of the hour at `target`.
 *
 * @param view - the hours known at issue time
 * @param lastIndex - the newest known hour
 * @param target - the hour forecast, after `lastIndex`
 */
export function dailyProfileForecast(
  view: PastView,
  lastIndex: number,
  target: number,
): number {
  const lastValue = view.at(lastIndex);
  const profileAtTarget = profileValue(view, lastIndex, target);
  const profileAtLast = profileValue(view, lastIndex, lastIndex);
  if (Number.isNaN(profileAtTarget) || Number.isNaN(profileAtLast)) {
    return lastValue;
  }
  const fade = Math.exp(-(target - lastIndex) / ANOMALY_FADE_HOURS);
  return Math.max(0, profileAtTarget + (lastValue - profileAtLast) * fade);
}

// Daily mean for this hour of day, blended with the same hour a week ago;
// NaN when neither is known.
function profileValue(
  view: PastView,
  lastIndex: number,
  index: number,
): number {
  const newestDay = newestPhase(index - DAY_HOURS, DAY_HOURS, lastIndex);
  let sum = 0;
  let count = 0;
  for (let day = 0; day < PROFILE_DAYS; day++) {
    const value = view.at(newestDay - day * DAY_HOURS);
    if (Number.isNaN(value)) continue;
    sum += value;
    count++;
  }
  const weekly = view.at(newestPhase(index - WEEK_HOURS, WEEK_HOURS,
    lastIndex));
  if (count === 0) return weekly;
  const daily = sum / count;
  if (Number.isNaN(weekly)) return daily;
  return DAILY_WEIGHT * daily + (1 - DAILY_WEIGHT) * weekly;
}

// `index` moved back by whole steps until it is no newer than `lastIndex`.
function newestPhase(index: number, step: number, lastIndex: number) {
  return index > lastIndex ?
    index - step * Math.ceil((index - lastIndex) / step) : index;
}
