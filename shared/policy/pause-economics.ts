/**
 * Whether pausing now pays: the emissions of doing the work now against
 * doing the same work after the best resume time the deadline allows.
 */
import type {IntensitySeries} from '../signals/intensity-series.js';
import {windowAverage} from '../planner/window-average.js';
import type {Overhead} from './policy-types.js';

const MILLISECONDS_PER_HOUR = 3_600_000;

/** What the economics step needs. */
export interface PauseEconomicsInput {
  readonly nowMs: number;
  /** Forecast with the live reading laid over the current interval. */
  readonly series: IntensitySeries;
  readonly remainingWorkMs: number;
  readonly unsavedWorkMs: number;
  readonly deadlineMs: number;
  readonly checkpoint: Overhead;
  readonly restart: Overhead;
  readonly itPowerKilowatts: number;
  readonly powerUsageEffectiveness: number;
  /** No resume before now + this (the dwell). */
  readonly minimumPauseMs: number;
}

/** The best pause found, or why none is possible. */
export interface PauseEconomics {
  readonly latestResumeMs: number;
  readonly slackAfterPauseMs: number;
  readonly resumeAtMs: number | null;
  readonly comparedWorkMs: number | null;
  readonly emissionsNowGrams: number | null;
  readonly emissionsLaterGrams: number | null;
  readonly overheadEmissionsGrams: number | null;
  readonly expectedSavingGrams: number | null;
}

/**
 * Tries each resume time from the earliest allowed to the latest that
 * still meets the deadline (forecast boundaries and both ends) and keeps
 * the largest saving, earliest first on ties. Work beyond the forecast
 * is left out of both sides, assumed to cost the same either way.
 */
export function pauseEconomics(input: PauseEconomicsInput): PauseEconomics {
  const workAfterPauseMs = input.remainingWorkMs + input.unsavedWorkMs;
  const latestResumeMs = input.deadlineMs - input.restart.durationMs -
    workAfterPauseMs;
  const earliestResumeMs = input.nowMs +
    Math.max(input.checkpoint.durationMs, input.minimumPauseMs);
  const slackAfterPauseMs = latestResumeMs - earliestResumeMs;
  const empty = {latestResumeMs, slackAfterPauseMs, resumeAtMs: null,
    comparedWorkMs: null, emissionsNowGrams: null, emissionsLaterGrams: null,
    overheadEmissionsGrams: null, expectedSavingGrams: null};
  if (slackAfterPauseMs < 0) return empty;

  const gramsPerIntensityMs = input.itPowerKilowatts *
    input.powerUsageEffectiveness / MILLISECONDS_PER_HOUR;
  const points = input.series.points;
  const last = points[points.length - 1];
  const coverageEndMs = last === undefined ? -Infinity :
    last.startMs + last.durationMs;
  const checkpointGrams = overheadGrams(input, input.checkpoint, input.nowMs);
  let best: PauseEconomics | null = null;

  for (const resumeAtMs of resumeTimes(input.series, earliestResumeMs,
    latestResumeMs, input.restart.durationMs)) {
    const workStartMs = resumeAtMs + input.restart.durationMs;
    const comparedWorkMs = Math.min(input.remainingWorkMs,
      coverageEndMs - workStartMs);
    if (!(comparedWorkMs > 0)) continue;
    const now = windowAverage(input.series, input.nowMs,
      input.nowMs + comparedWorkMs);
    const later = windowAverage(input.series, workStartMs,
      workStartMs + comparedWorkMs);
    const restartGrams = overheadGrams(input, input.restart, resumeAtMs);
    if (!now.eligible || !later.eligible || restartGrams === null ||
      checkpointGrams === null) continue;

    const emissionsNowGrams = now.averageGramsPerKilowattHour *
      comparedWorkMs * gramsPerIntensityMs;
    const emissionsLaterGrams = later.averageGramsPerKilowattHour *
      comparedWorkMs * gramsPerIntensityMs;
    const overheadEmissionsGrams = checkpointGrams + restartGrams;
    const expectedSavingGrams = emissionsNowGrams - emissionsLaterGrams -
      overheadEmissionsGrams;
    if (best !== null && !(expectedSavingGrams >
      (best.expectedSavingGrams as number) + 1e-9 *
        Math.abs(best.expectedSavingGrams as number))) continue;
    best = {latestResumeMs, slackAfterPauseMs, resumeAtMs, comparedWorkMs,
      emissionsNowGrams, emissionsLaterGrams, overheadEmissionsGrams,
      expectedSavingGrams};
  }
  return best ?? empty;
}

// Grams an overhead emits when it starts at `startMs`; null if unknown.
function overheadGrams(
  input: PauseEconomicsInput,
  overhead: Overhead,
  startMs: number,
): number | null {
  if (overhead.durationMs <= 0) return 0;
  const window = windowAverage(input.series, startMs,
    startMs + overhead.durationMs);
  if (!window.eligible) return null;
  const kilowattHours = overhead.energyKilowattHours ??
    input.itPowerKilowatts * overhead.durationMs / MILLISECONDS_PER_HOUR;
  return kilowattHours * input.powerUsageEffectiveness *
    window.averageGramsPerKilowattHour;
}

// Boundaries, and instants whose restart ends on a boundary, in order.
function resumeTimes(
  series: IntensitySeries,
  earliestMs: number,
  latestMs: number,
  restartMs: number,
): number[] {
  const inside = new Set<number>();
  for (const point of series.points) {
    for (const instantMs of [point.startMs, point.startMs - restartMs]) {
      if (instantMs > earliestMs && instantMs < latestMs) {
        inside.add(instantMs);
      }
    }
  }
  const times = [earliestMs, ...[...inside].sort((a, b) => a - b)];
  if (latestMs > earliestMs) times.push(latestMs);
  return times;
}
