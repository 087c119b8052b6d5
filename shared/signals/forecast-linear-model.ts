/**
 * Per lead-time band, a linear combination of the forecast features with
 * weights fitted by ridge least squares on past issues only: simulated
 * origins over the weeks before the fit's cut-off, each seeing just what
 * was known at that origin, scored on hours that ended before the
 * cut-off. Squared errors are scaled by the zone's level known at the
 * origin (the 28-day median profile), not by the actual value: dividing
 * by the actual pulls the fit towards low hours, a bias that grows with
 * lead time and so makes far hours rank cleaner than near ones. The
 * ridge pulls the weights towards a prior that reproduces the plain
 * profile-and-anomaly forecast, so a band with little data falls back
 * to it smoothly.
 */
import {
  FEATURE_COUNT,
  FEATURE_LOOKBACK_HOURS,
  FEATURE_NAMES,
  type ProfileCache,
  writeFeatures,
} from './forecast-features.js';
import type {PastView} from './forecast-past-view.js';

/** What a fit may be tuned by. */
export interface LinearModelSettings {
  /** Days of simulated origins before the cut-off. */
  readonly fitDays: number;
  /** Hours between simulated origins (coprime with 24 mixes hours). */
  readonly originStepHours: number;
  /** Leads sampled per origin and band. */
  readonly leadsPerBand: number;
  /** Ridge strength, relative to each feature's own scale. */
  readonly ridge: number;
  /** Below this many samples a band keeps the prior weights. */
  readonly minimumSamples: number;
  /**
   * Weigh squared errors by 1 / level^2, the level being the 28-day
   * median profile known at the origin (relative errors, unbiased).
   */
  readonly relativeErrors: boolean;
}

/** The settings chosen on the 2021 traces (see bench/forecast-error.ts). */
export const DEFAULT_MODEL_SETTINGS: LinearModelSettings = {
  fitDays: 56,
  originStepHours: 5,
  leadsPerBand: 2,
  ridge: 0.001,
  minimumSamples: 40,
  relativeErrors: true,
};

/** First lead hour of each band; a band runs to the next one's start. */
export const BAND_FIRST_LEADS = [1, 2, 3, 4, 7, 13, 25, 49, 97] as const;

/** The feature that scales relative errors: known at the origin. */
const LEVEL_FEATURE = FEATURE_NAMES.indexOf('median28Days');

/** Leads past the last band's first lead are fitted up to this one. */
const LONGEST_FITTED_LEAD_HOURS = 192;

// The plain forecast as weights: 2/3 daily profile, 1/3 same hour last
// week, plus the fading anomaly.
const PRIOR_WEIGHTS = Float64Array.from([0, 0, 0, 1 / 3, 2 / 3, 0, 0, 1]);

/** Fitted weights, one row of FEATURE_COUNT per band. */
export interface LinearModel {
  readonly weightsByBand: readonly Float64Array[];
  /** Samples each band was fitted on. */
  readonly samplesByBand: readonly number[];
}

/** Hours before the cut-off a fit reads, features included. */
export function fitLookbackHours(settings: LinearModelSettings): number {
  return settings.fitDays * 24 + FEATURE_LOOKBACK_HOURS + 24;
}

/** The band of a lead time in hours (1 and up). */
export function bandOf(leadHours: number): number {
  let band = 0;
  while (band + 1 < BAND_FIRST_LEADS.length &&
    leadHours >= BAND_FIRST_LEADS[band + 1]!) band++;
  return band;
}

/**
 * Fits the model on what `view` knows. Simulated origins lie in the
 * `fitDays` before the view's now; each sees the view as of that origin,
 * and its targets are hours the view knows.
 *
 * @param view - the hours known at the cut-off (its now)
 * @param profiles - the profile memo shared with views over these hours
 */
export function fitLinearModel(
  view: PastView,
  profiles: ProfileCache,
  settings: LinearModelSettings = DEFAULT_MODEL_SETTINGS,
): LinearModel {
  const bandCount = BAND_FIRST_LEADS.length;
  const size = FEATURE_COUNT;
  const gram = Array.from({length: bandCount},
    () => new Float64Array(size * size));
  const moment = Array.from({length: bandCount},
    () => new Float64Array(size));
  const samples = new Array<number>(bandCount).fill(0);
  const features = new Float64Array(size);

  const cutoff = view.nowIndex;
  const firstOrigin = cutoff - settings.fitDays * 24;
  let originNumber = 0;
  for (let origin = cutoff - 1; origin >= firstOrigin && origin > 0;
    origin -= settings.originStepHours, originNumber++) {
    const lastIndex = newestKnownBefore(view, origin);
    if (lastIndex === null) continue;
    const seen = view.asOf(lastIndex + 1);
    for (let band = 0; band < bandCount; band++) {
      const firstLead = BAND_FIRST_LEADS[band]!;
      const width = (BAND_FIRST_LEADS[band + 1] ??
        LONGEST_FITTED_LEAD_HOURS + 1) - firstLead;
      const draws = Math.min(settings.leadsPerBand, width);
      for (let draw = 0; draw < draws; draw++) {
        const lead = firstLead + (originNumber * 7 +
          Math.floor(draw * width / draws)) % width;
        const target = lastIndex + lead;
        if (target >= cutoff) continue;
        const actual = view.at(target);
        if (Number.isNaN(actual)) continue;
        writeFeatures(seen, lastIndex, target, profiles, features);
        const weight = settings.relativeErrors ?
          1 / Math.max(features[LEVEL_FEATURE] as number, 1) ** 2 : 1;
        accumulate(gram[band]!, moment[band]!, features, actual, weight);
        samples[band]!++;
      }
    }
  }

  const weightsByBand = gram.map((bandGram, band) =>
    samples[band]! < settings.minimumSamples ? PRIOR_WEIGHTS :
      solveRidge(bandGram, moment[band]!, settings.ridge));
  return {weightsByBand, samplesByBand: samples};
}

/** The model's value for one target's features, never below 0. */
export function predict(
  model: LinearModel,
  leadHours: number,
  features: Float64Array,
): number {
  const weights = model.weightsByBand[bandOf(leadHours)]!;
  let value = 0;
  for (let index = 0; index < FEATURE_COUNT; index++) {
    value += (weights[index] as number) * (features[index] as number);
  }
  return Math.max(0, value);
}

/** The prior weights as a model (too little history to fit). */
export function priorModel(): LinearModel {
  return {weightsByBand: BAND_FIRST_LEADS.map(() => PRIOR_WEIGHTS),
    samplesByBand: BAND_FIRST_LEADS.map(() => 0)};
}

// The newest known hour before `origin`, looking back at most six hours.
function newestKnownBefore(view: PastView, origin: number): number | null {
  for (let index = origin - 1; index >= origin - 6 && index >= 0; index--) {
    if (!Number.isNaN(view.at(index))) return index;
  }
  return null;
}

function accumulate(
  gram: Float64Array,
  moment: Float64Array,
  features: Float64Array,
  actual: number,
  weight: number,
): void {
  const size = features.length;
  for (let row = 0; row < size; row++) {
    const value = weight * (features[row] as number);
    moment[row] = (moment[row] as number) + value * actual;
    for (let column = row; column < size; column++) {
      gram[row * size + column] = (gram[row * size + column] as number) +
        value * (features[column] as number);
    }
  }
}

// Minimises |Xw - y|^2 + ridge * sum_j G_jj (w_j - prior_j)^2, where
// G = X'X (upper triangle filled), by Gaussian elimination with partial
// pivoting; falls back to the prior if the system is singular.
function solveRidge(
  upperGram: Float64Array,
  moment: Float64Array,
  ridge: number,
): Float64Array {
  const size = moment.length;
  const matrix = new Float64Array(size * (size + 1));
  const width = size + 1;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const low = Math.min(row, column);
      const high = Math.max(row, column);
      matrix[row * width + column] = upperGram[low * size + high] as number;
    }
    const penalty = ridge * (upperGram[row * size + row] as number);
    matrix[row * width + row] = (matrix[row * width + row] as number) +
      penalty;
    matrix[row * width + size] = (moment[row] as number) +
      penalty * (PRIOR_WEIGHTS[row] as number);
  }

  for (let pivot = 0; pivot < size; pivot++) {
    let best = pivot;
    for (let row = pivot + 1; row < size; row++) {
      if (Math.abs(matrix[row * width + pivot] as number) >
        Math.abs(matrix[best * width + pivot] as number)) best = row;
    }
    const pivotValue = matrix[best * width + pivot] as number;
    if (!(Math.abs(pivotValue) > 1e-12)) return PRIOR_WEIGHTS;
    if (best !== pivot) {
      for (let column = 0; column < width; column++) {
        const kept = matrix[pivot * width + column] as number;
        matrix[pivot * width + column] = matrix[best * width + column]!;
        matrix[best * width + column] = kept;
      }
    }
    for (let row = 0; row < size; row++) {
      if (row === pivot) continue;
      const factor = (matrix[row * width + pivot] as number) / pivotValue;
      if (factor === 0) continue;
      for (let column = pivot; column < width; column++) {
        matrix[row * width + column] = (matrix[row * width + column] as
          number) - factor * (matrix[pivot * width + column] as number);
      }
    }
  }
  const weights = new Float64Array(size);
  for (let row = 0; row < size; row++) {
    weights[row] = (matrix[row * width + size] as number) /
      (matrix[row * width + row] as number);
  }
  return weights.every(Number.isFinite) ? weights : PRIOR_WEIGHTS;
}
