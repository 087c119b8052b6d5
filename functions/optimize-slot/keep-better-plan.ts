/**
 * Re-planning while a job waits: a plan made from fresher forecasts
 * replaces the plan being waited on only when, priced on the same fresh
 * forecasts, it saves more than the threshold plus the margin for the
 * forecast's error at the fresh plan's lead (shared/planner/replan.ts,
 * the rule the evaluation measures).
 */
import type {ForecastBundle} from '../../shared/jobs/forecast-bundle.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import {
  DEFAULT_REPLAN_LEAD_ERROR_FRACTION,
  DEFAULT_REPLAN_THRESHOLD_FRACTION,
  shouldReplace,
  type ReplanDecision,
} from '../../shared/planner/replan.js';
import {windowAverage} from '../../shared/planner/window-average.js';


const HOUR_MS = 3_600_000;

/** Grams of `plan` on the bundle's forecasts; null where not covered. */
export function planGramsOn(
  plan: StoredPlan,
  bundle: ForecastBundle,
): number | null {
  let grams = 0;
  for (const segment of plan.segments) {
    const region = bundle.regions.find((r) =>
      r.regionId === segment.regionId);
    if (!region) return null;
    const average = windowAverage(region.series, segment.startMs,
      segment.endMs);
    if (!average.eligible) return null;
    const kilowattHours = plan.itPowerKilowatts *
      region.powerUsageEffectiveness *
      (segment.endMs - segment.startMs) / HOUR_MS;
    grams += kilowattHours * average.averageGramsPerKilowattHour;
  }
  return grams;
}

/** Whether the fresh plan replaces the current one, and why. */
export function chooseBetweenPlans(
  current: StoredPlan,
  fresh: StoredPlan,
  bundle: ForecastBundle,
  deadlineMs: number,
  nowMs: number,
): ReplanDecision {
  const span = (plan: StoredPlan, grams: number | null) => ({
    startMs: plan.segments[0]!.startMs,
    finishMs: plan.segments.at(-1)!.endMs,
    expectedEmissionsGrams: grams,
  });
  return shouldReplace(
    span(current, planGramsOn(current, bundle)),
    span(fresh, planGramsOn(fresh, bundle)),
    DEFAULT_REPLAN_THRESHOLD_FRACTION, deadlineMs, nowMs, 0,
    DEFAULT_REPLAN_LEAD_ERROR_FRACTION);
}
