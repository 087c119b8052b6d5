/**
 * The replay's honest forecaster. It sees only hours that ended before
 * the issue time, read through a {@link PastView} that throws on any
 * later hour.
 *
 * Per zone and lead-time band it forecasts a linear combination of
 * features known at issue time (see forecast-features.ts): the last
 * value, the same hour on the newest known day and week, 7- and 28-day
 * median profiles, a weekday/weekend profile and the fading anomaly. The
 * weights are fitted by ridge least squares (see forecast-linear-model.ts)
 * on the eight weeks before the start of the issue's UTC day, so a zone
 * is refitted at most once a day; fits are kept by the exact hours they
 * read. With under two weeks of history it falls back to the plain
 * daily-profile forecast (forecast-daily-profile.ts).
 */
import {dailyProfileForecast} from './forecast-daily-profile.js';
import {
  FEATURE_COUNT,
  ProfileCache,
  writeFeatures,
} from './forecast-features.js';
import {
  DEFAULT_MODEL_SETTINGS,
  fitLinearModel,
  fitLookbackHours,
  type LinearModel,
  type LinearModelSettings,
  predict,
} from './forecast-linear-model.js';
import {HOUR_MS, PastView} from './forecast-past-view.js';

const DAY_MS = 24 * HOUR_MS;
/** Known hours needed before the issue's day to fit rather than fall back. */
const MINIMUM_FIT_HISTORY_HOURS = 14 * 24;
const KEPT_FITS = 512;

/**
 * What the forecaster may be given: values of hours that ended by the
 * issue time. `valueAt` answers undefined for any other hour.
 */
export interface KnownPast {
  /** The value of the hour starting at `startMs`, if known. */
  valueAt(startMs: number): number | null | undefined;
  /** Start of the newest hour with a non-null value, or undefined. */
  readonly lastKnownStartMs: number | undefined;
}

/** Forecasts one hour from what is known at issue time. */
export type HourForecaster = (
  past: KnownPast,
  targetStartMs: number,
) => number | null;

// What one issue computes once and every target hour reuses.
interface IssueState {
  readonly view: PastView;
  readonly lastIndex: number;
  readonly profiles: ProfileCache;
  /** Null: too little history, the plain forecast is used. */
  readonly model: LinearModel | null;
}

// A fit and the exact hours it read.
interface KeptFit {
  readonly hours: Float64Array;
  readonly model: LinearModel;
}

/**
 * A forecaster with its own fit memo.
 *
 * @param settings - the fit's settings (tuning and tests)
 */
export function createHonestForecaster(
  settings: LinearModelSettings = DEFAULT_MODEL_SETTINGS,
): HourForecaster {
  const issues = new WeakMap<KnownPast, IssueState | null>();
  const fits = new Map<string, KeptFit>();
  const features = new Float64Array(FEATURE_COUNT);

  // Weights for the hours before `dayIndex`, fitted once per content.
  const modelFor = (view: PastView, profiles: ProfileCache,
    dayIndex: number): LinearModel | null => {
    const hours = view.asOf(dayIndex);
    const known = knownHours(view, dayIndex);
    if (known.count < MINIMUM_FIT_HISTORY_HOURS) return null;
    const key = `${view.startMsOf(dayIndex)}:${known.hash}`;
    const kept = fits.get(key);
    if (kept && sameHours(kept.hours, view, dayIndex)) return kept.model;
    const model = fitLinearModel(hours, profiles, settings);
    if (fits.size >= KEPT_FITS) fits.delete(fits.keys().next().value!);
    fits.set(key, {hours: copyHours(view, dayIndex), model});
    return model;
  };

  const stateOf = (past: KnownPast): IssueState | null => {
    if (issues.has(past)) return issues.get(past)!;
    const lastStartMs = past.lastKnownStartMs;
    let state: IssueState | null = null;
    if (lastStartMs !== undefined) {
      const dayStartMs = Math.floor((lastStartMs + HOUR_MS) / DAY_MS) *
        DAY_MS;
      const firstStartMs = dayStartMs - fitLookbackHours(settings) * HOUR_MS;
      const view = loadView(past, firstStartMs, lastStartMs);
      const profiles = new ProfileCache(view.nowIndex);
      const dayIndex = view.indexOf(dayStartMs);
      state = {view, lastIndex: view.nowIndex - 1, profiles,
        model: modelFor(view, profiles, dayIndex)};
    }
    issues.set(past, state);
    return state;
  };

  return (past, targetStartMs) => {
    const state = stateOf(past);
    if (state === null) return null;
    const {view, lastIndex, profiles, model} = state;
    const target = view.indexOf(targetStartMs);
    if (!Number.isInteger(target)) return null;
    if (target <= lastIndex) {
      const known = view.at(target);
      return Number.isNaN(known) ? null : known;
    }
    if (model === null) {
      return dailyProfileForecast(view, lastIndex, target);
    }
    writeFeatures(view, lastIndex, target, profiles, features);
    return predict(model, target - lastIndex, features);
  };
}

const defaultForecaster = createHonestForecaster();

/**
 * Forecasts the hour starting at `targetStartMs`. Calls with the same
 * `past` object share its loaded hours and fit.
 *
 * @param past - the hours known at issue time
 * @param targetStartMs - an hour start at or after the issue's interval
 * @returns gCO2e/kWh, or null when nothing is known to forecast from
 */
export function forecastHour(
  past: KnownPast,
  targetStartMs: number,
): number | null {
  return defaultForecaster(past, targetStartMs);
}

// The known hours from `firstStartMs` to the newest known one, as a view
// whose now is just after it.
function loadView(
  past: KnownPast,
  firstStartMs: number,
  lastStartMs: number,
): PastView {
  const count = Math.round((lastStartMs - firstStartMs) / HOUR_MS) + 1;
  const values = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    const value = past.valueAt(firstStartMs + index * HOUR_MS);
    values[index] = value === null || value === undefined ? Number.NaN :
      value;
  }
  return new PastView(firstStartMs, values, count);
}

// How many hours before `end` are known, and a hash of all of them.
function knownHours(view: PastView, end: number) {
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  let first = 0x811c9dc5;
  let second = 0x01000193;
  let count = 0;
  for (let index = 0; index < end; index++) {
    const value = view.at(index);
    if (!Number.isNaN(value)) count++;
    bits[0] = Number.isNaN(value) ? -1 : value;
    first = Math.imul(first ^ (words[0] as number), 0x01000193);
    second = Math.imul(second ^ (words[1] as number) ^ index, 0x5bd1e995);
  }
  return {count, hash: `${(first >>> 0).toString(16)}` +
    `${(second >>> 0).toString(16)}`};
}

function copyHours(view: PastView, end: number): Float64Array {
  const hours = new Float64Array(end);
  for (let index = 0; index < end; index++) hours[index] = view.at(index);
  return hours;
}

function sameHours(hours: Float64Array, view: PastView, end: number) {
  if (hours.length !== end) return false;
  for (let index = 0; index < end; index++) {
    const value = view.at(index);
    const kept = hours[index] as number;
    if (value !== kept && !(Number.isNaN(value) && Number.isNaN(kept))) {
      return false;
    }
  }
  return true;
}
