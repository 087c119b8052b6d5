import type {IntensitySeries} from '../signals/intensity-series.js';

/** Thresholds derived for `pauseThreshold: "auto"`. */
export interface AutoThresholds {
  readonly pauseAboveGramsPerKilowattHour: number;
  readonly resumeBelowGramsPerKilowattHour: number;
  /** The forecast hours that would hold the remaining work. */
  readonly cleanestShare: number;
}

/**
 * Thresholds for a job that needs `remainingWorkMs` of the time left to
 * its deadline: run in the cleanest hours that hold the work, so the
 * resume threshold is the forecast's value at that share of the hours
 * (sorted clean to dirty), and pausing needs a reading `marginFraction`
 * above it. Null when the forecast has no value before the deadline.
 */
export function autoThresholds(
  forecast: IntensitySeries,
  nowMs: number,
  deadlineMs: number,
  remainingWorkMs: number,
  marginFraction = 0.1,
): AutoThresholds | null {
  const values: {gramsPerKilowattHour: number; weightMs: number}[] = [];
  for (const point of forecast.points) {
    if (point.gramsPerKilowattHour === null) continue;
    const startMs = Math.max(point.startMs, nowMs);
    const endMs = Math.min(point.startMs + point.durationMs, deadlineMs);
    if (endMs <= startMs) continue;
    values.push({
      gramsPerKilowattHour: point.gramsPerKilowattHour,
      weightMs: endMs - startMs,
    });
  }
  if (values.length === 0) return null;
  values.sort((a, b) => a.gramsPerKilowattHour - b.gramsPerKilowattHour);
  const totalMs = values.reduce((sum, value) => sum + value.weightMs, 0);
  const neededMs = Math.min(remainingWorkMs, totalMs);
  let coveredMs = 0;
  let threshold = values.at(-1)!.gramsPerKilowattHour;
  for (const value of values) {
    coveredMs += value.weightMs;
    if (coveredMs >= neededMs) {
      threshold = value.gramsPerKilowattHour;
      break;
    }
  }
  return {
    resumeBelowGramsPerKilowattHour: threshold,
    pauseAboveGramsPerKilowattHour: threshold * (1 + marginFraction),
    cleanestShare: neededMs / totalMs,
  };
}
