/**
 * The field's reference policies, each given the same honest forecast
 * at submission and judged on the same observed data:
 *
 * - the Carbon Aware SDK's window search: the contiguous window of the
 *   job's length with the lowest forecast average, home region only;
 * - Let's Wait Awhile's interruptible policy: the lowest-forecast slots
 *   before the deadline, home region only (slots one checkpoint long,
 *   since a job can only stop after a checkpoint);
 * - the static low-average region: the allowed region with the lowest
 *   yearly Google grid average, run at once.
 */
import type {
  BaselineName,
  EvaluationJob,
  EvaluationRegion,
  ExecutedSegment,
} from './evaluation-types.js';
import {HOUR_MS} from './hourly-values.js';
import {regionOf, type ReplayContext} from './replay-context.js';

/** Each baseline's segments; null where it does not apply to the job. */
export function baselinePlans(
  job: EvaluationJob,
  context: ReplayContext,
): Record<BaselineName, ExecutedSegment[] | null> {
  return {
    carbonAwareSdkWindow: windowSearch(job, context),
    letsWaitAwhileInterruptible: job.kind === 'interruptible' ?
      lowestSlots(job, context) : null,
    staticLowAverageRegion: lowAverageRegion(job, context),
  };
}

/** Hour-aligned starts; the lowest forecast mean wins, earliest on ties. */
export function windowSearch(
  job: EvaluationJob,
  context: ReplayContext,
): ExecutedSegment[] {
  const home = regionOf(context, job.homeRegionId);
  const forecast = context.forecasts.forecast(home.zone, job.submittedAtMs)
    .values;
  let bestStartMs = job.submittedAtMs;
  let bestMean = Infinity;
  for (let startMs = job.submittedAtMs;
    startMs + job.workMs <= job.deadlineMs; startMs += HOUR_MS) {
    const mean = forecast.meanBetween(startMs, startMs + job.workMs);
    if (mean !== null && mean < bestMean) {
      bestMean = mean;
      bestStartMs = startMs;
    }
  }
  return [{regionId: home.id, startMs: bestStartMs,
    endMs: bestStartMs + job.workMs}];
}

/**
 * Picks the slots with the lowest forecast mean that end by the deadline,
 * as many as the work needs, and runs them in time order: adjacent slots
 * join into one segment; each pause costs the checkpoint before it and
 * the restart after it (added to the segment's span).
 */
export function lowestSlots(
  job: EvaluationJob,
  context: ReplayContext,
): ExecutedSegment[] {
  const home = regionOf(context, job.homeRegionId);
  const forecast = context.forecasts.forecast(home.zone, job.submittedAtMs)
    .values;
  const slotMs = job.checkpointEveryMs;
  const needed = Math.ceil(job.workMs / slotMs);
  const slots: {index: number; mean: number}[] = [];
  for (let index = 0; job.submittedAtMs + (index + 1) * slotMs <=
    job.deadlineMs; index += 1) {
    const startMs = job.submittedAtMs + index * slotMs;
    const mean = forecast.meanBetween(startMs, startMs + slotMs);
    slots.push({index, mean: mean ?? Infinity});
  }
  const chosen = [...slots].sort((a, b) => a.mean - b.mean ||
    a.index - b.index).slice(0, needed).map((slot) => slot.index)
    .sort((a, b) => a - b);

  // Runs of adjacent slots become segments; the last carries the rest.
  const runs: {first: number; count: number}[] = [];
  for (const index of chosen) {
    const last = runs.at(-1);
    if (last && last.first + last.count === index) last.count += 1;
    else runs.push({first: index, count: 1});
  }
  let leftMs = job.workMs;
  return runs.map((run, position) => {
    const workMs = Math.min(leftMs, run.count * slotMs);
    leftMs -= workMs;
    const restartMs = position > 0 ? job.restartOverheadMs : 0;
    const checkpointMs = position < runs.length - 1 ?
      job.checkpointOverheadMs : 0;
    const startMs = job.submittedAtMs + run.first * slotMs;
    return {regionId: home.id, startMs,
      endMs: startMs + restartMs + workMs + checkpointMs};
  });
}

/** Lowest yearly average among the allowed regions; home wins ties. */
export function lowAverageRegion(
  job: EvaluationJob,
  context: ReplayContext,
): ExecutedSegment[] {
  const year = new Date(job.submittedAtMs).getUTCFullYear();
  const ranked = job.allowedRegionIds.map((id) => regionOf(context, id))
    .map((region) => ({region, grams: yearlyAverage(region, year)}))
    .filter((entry): entry is {region: EvaluationRegion; grams: number} =>
      entry.grams !== null)
    .sort((a, b) => a.grams - b.grams ||
      Number(b.region.id === job.homeRegionId) -
        Number(a.region.id === job.homeRegionId) ||
      a.region.id.localeCompare(b.region.id));
  const regionId = ranked[0]?.region.id ?? job.homeRegionId;
  return [{regionId, startMs: job.submittedAtMs,
    endMs: job.submittedAtMs + job.workMs}];
}

// The figure for the year, else the nearest earlier one, else the newest.
function yearlyAverage(region: EvaluationRegion, year: number) {
  const years = [...region.yearlyGridGramsPerKilowattHour.keys()]
    .sort((a, b) => a - b);
  const chosen = [...years].reverse().find((known) => known <= year) ??
    years.at(-1);
  return chosen === undefined ? null :
    region.yearlyGridGramsPerKilowattHour.get(chosen) ?? null;
}
