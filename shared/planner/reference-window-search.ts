/**
 * A direct, slow search for the best contiguous window: every candidate
 * start is averaged point by point. It exists to cross-check
 * planContiguous in tests and as the baseline in the benchmark.
 */
import {candidateStarts} from './candidate-starts.js';
import {MILLISECONDS_PER_HOUR} from './plan-types.js';
import type {PlanCandidate} from './plan-types.js';
import {windowAverage} from './window-average.js';
import {compareWindows} from './window-order.js';

/** The best start found by the reference search. */
export interface ReferenceWindow {
  readonly regionId: string;
  readonly startMs: number;
  readonly averageGramsPerKilowattHour: number;
  readonly score: number;
}

/**
 * O(regions x starts x points per window): carbon only, no transfer,
 * no price. Same starts and tie rule as planContiguous.
 */
export function referenceWindowSearch(
  candidates: readonly PlanCandidate[],
  durationMs: number,
  earliestStartMs: number,
  deadlineMs: number,
  itPowerKilowatts: number,
): ReferenceWindow | null {
  const found: ReferenceWindow[] = [];
  for (const candidate of candidates) {
    const points = candidate.series.points;
    const boundaries: number[] = [];
    for (const point of points) {
      boundaries.push(point.startMs, point.startMs + point.durationMs);
    }
    boundaries.sort((a, b) => a - b);
    const starts = candidateStarts(Float64Array.from(boundaries), durationMs,
      earliestStartMs, deadlineMs - durationMs);
    const energyKilowattHours = itPowerKilowatts * durationMs /
      MILLISECONDS_PER_HOUR * candidate.powerUsageEffectiveness;

    for (const startMs of starts) {
      const window = windowAverage(candidate.series, startMs,
        startMs + durationMs);
      if (!window.eligible) continue;
      found.push({regionId: candidate.regionId, startMs,
        averageGramsPerKilowattHour: window.averageGramsPerKilowattHour,
        score: window.averageGramsPerKilowattHour * energyKilowattHours});
    }
  }
  const homes = new Set(candidates.filter((c) => c.isHome === true)
    .map((c) => c.regionId));
  found.sort((a, b) => compareWindows(a, b, (id) => homes.has(id)));
  return found[0] ?? null;
}
