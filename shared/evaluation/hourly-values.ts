/**
 * An hourly series held as a typed array with a running total, so the
 * integral over any interval (partial hours included) costs O(1). Used
 * for observed truth and for issued forecasts alike.
 */
import type {IntensitySeries} from '../signals/intensity-series.js';
import {EvaluationInputError} from './evaluation-errors.js';

/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;

/** Hour values from `firstStartMs`; NaN marks a missing hour. */
export class HourlyValues {
  /** prefix[i]: sum of values of hours 0..i-1 (NaN counted as 0). */
  private readonly prefix: Float64Array;
  /** missing[i]: count of missing hours among 0..i-1. */
  private readonly missing: Int32Array;

  constructor(
    readonly firstStartMs: number,
    readonly values: Float64Array,
  ) {
    this.prefix = new Float64Array(values.length + 1);
    this.missing = new Int32Array(values.length + 1);
    for (let index = 0; index < values.length; index += 1) {
      const value = values[index] as number;
      const absent = Number.isNaN(value);
      this.prefix[index + 1] = (this.prefix[index] as number) +
        (absent ? 0 : value);
      this.missing[index + 1] = (this.missing[index] as number) +
        (absent ? 1 : 0);
    }
  }

  /** End of the last hour held. */
  get endMs(): number {
    return this.firstStartMs + this.values.length * HOUR_MS;
  }

  /** The value of the hour starting at `startMs`: null when missing. */
  valueOfHour(startMs: number): number | null | undefined {
    const index = (startMs - this.firstStartMs) / HOUR_MS;
    if (!Number.isInteger(index) || index < 0 ||
      index >= this.values.length) {
      return undefined;
    }
    const value = this.values[index] as number;
    return Number.isNaN(value) ? null : value;
  }

  /**
   * The integral of intensity over [fromMs, toMs) in gCO2e/kWh x hours,
   * or null when any part is missing or outside the series.
   */
  integralHours(fromMs: number, toMs: number): number | null {
    if (toMs < fromMs) return null;
    if (fromMs < this.firstStartMs || toMs > this.endMs) return null;
    const from = (fromMs - this.firstStartMs) / HOUR_MS;
    const to = (toMs - this.firstStartMs) / HOUR_MS;
    const fromHour = Math.floor(from);
    const toHour = Math.min(Math.ceil(to), this.values.length);
    const missing = (this.missing[toHour] as number) -
      (this.missing[fromHour] as number);
    if (missing > 0 && to > from) return null;
    return this.cumulative(to) - this.cumulative(from);
  }

  /** The mean over [fromMs, toMs), or null (see integralHours). */
  meanBetween(fromMs: number, toMs: number): number | null {
    const integral = this.integralHours(fromMs, toMs);
    if (integral === null || !(toMs > fromMs)) return null;
    return integral / ((toMs - fromMs) / HOUR_MS);
  }

  // The running total at a fractional hour position.
  private cumulative(position: number): number {
    const hour = Math.floor(position);
    const base = this.prefix[hour] as number;
    const fraction = position - hour;
    if (fraction === 0) return base;
    const value = this.values[hour] as number;
    return base + fraction * (Number.isNaN(value) ? 0 : value);
  }
}

/**
 * Lays an observed series on the hour grid. Points must be one hour long
 * and start on the hour; hours the series skips are missing.
 *
 * @throws EvaluationInputError for a point that is not one whole hour
 */
export function hourlyValuesOf(series: IntensitySeries): HourlyValues {
  const first = series.points[0];
  if (first === undefined) return new HourlyValues(0, new Float64Array(0));
  const last = series.points[series.points.length - 1]!;
  const count = (last.startMs - first.startMs) / HOUR_MS + 1;
  const values = new Float64Array(count).fill(Number.NaN);
  series.points.forEach((point, position) => {
    const index = (point.startMs - first.startMs) / HOUR_MS;
    if (point.durationMs !== HOUR_MS || !Number.isInteger(index)) {
      throw new EvaluationInputError(
        `traces.${series.zone}.points[${position}]`,
        'is not one hour starting on the hour',
        'hourly exports (Electricity Maps hourly format)');
    }
    values[index] = point.gramsPerKilowattHour ?? Number.NaN;
  });
  return new HourlyValues(first.startMs, values);
}
