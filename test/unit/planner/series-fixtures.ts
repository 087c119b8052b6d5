// Builders of intensity series for the planner and policy tests.
import type {
  IntensityBasis,
  IntensitySeries,
} from '../../../shared/signals/intensity-series.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** Milliseconds of an ISO 8601 instant (offset required). */
export function at(iso: string): number {
  const instantMs = Date.parse(iso);
  if (Number.isNaN(instantMs)) throw new Error(`bad instant ${iso}`);
  return instantMs;
}

/** Equal-length points from `startMs`, one per value. */
export function regularSeries(
  startMs: number,
  stepMs: number,
  values: readonly (number | null)[],
  options: {zone?: string; basis?: IntensityBasis} = {},
): IntensitySeries {
  return {
    zone: options.zone ?? 'TEST',
    basis: options.basis ?? 'average-lifecycle',
    kind: 'forecast',
    source: 'test',
    points: values.map((value, index) => ({
      startMs: startMs + index * stepMs,
      durationMs: stepMs,
      gramsPerKilowattHour: value,
    })),
  };
}

/** A series from explicit [startMs, durationMs, value] triples. */
export function seriesOf(
  points: readonly [number, number, number | null][],
  basis: IntensityBasis = 'average-lifecycle',
): IntensitySeries {
  return {zone: 'TEST', basis, kind: 'forecast', source: 'test',
    points: points.map(([startMs, durationMs, gramsPerKilowattHour]) =>
      ({startMs, durationMs, gramsPerKilowattHour}))};
}

/** A seeded generator in [0, 1), so random tests repeat exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 4294967296;
  };
}
