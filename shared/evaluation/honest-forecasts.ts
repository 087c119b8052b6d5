/**
 * Forecasts as the product's replay issues them (the honest forecaster:
 * only hours that ended before the issue time), computed once per zone
 * and issue hour and shared by every job and baseline that asks.
 *
 * For analysis only, the first hours after each issue can be given the
 * values later observed ("perfect foresight" that far, the honest
 * forecast beyond): it measures how much of the oracle's saving a
 * better forecaster could reach, never what the product reaches.
 */
import type {
  IntensityPoint,
  IntensitySeries,
} from '../signals/intensity-series.js';
import {forecastHour} from '../signals/replay-forecaster.js';
import {EvaluationInputError} from './evaluation-errors.js';
import type {KnownPast} from '../signals/replay-forecaster.js';
import {HOUR_MS, HourlyValues} from './hourly-values.js';

/** One issued forecast: values and the planner's series shape. */
export interface IssuedForecast {
  readonly values: HourlyValues;
  readonly points: readonly IntensityPoint[];
}

/** Issues and keeps honest forecasts over the observed hours of zones. */
export class HonestForecasts {
  private readonly issued = new Map<string, IssuedForecast>();

  /**
   * @param observed - the observed hours of each zone
   * @param horizonHours - how far each forecast reaches
   * @param perfectForesightHours - analysis: hours after each issue
   *   given their observed values (0: none, the product's forecasts)
   */
  constructor(
    private readonly observed: ReadonlyMap<string, HourlyValues>,
    readonly horizonHours: number,
    readonly perfectForesightHours = 0,
  ) {
    if (!(Number.isInteger(perfectForesightHours) &&
      perfectForesightHours >= 0)) {
      throw new EvaluationInputError('perfectForesightHours',
        `${perfectForesightHours} is unusable`, 'a whole number >= 0');
    }
  }

  /**
   * The forecast of `zone` issued at `issuedAtMs` (on the hour): one
   * value per hour from the issue hour on, never past the zone's
   * recorded hours.
   */
  forecast(zone: string, issuedAtMs: number): IssuedForecast {
    const key = `${zone}@${issuedAtMs}`;
    const cached = this.issued.get(key);
    if (cached) return cached;
    const truth = this.observed.get(zone);
    const endMs = Math.min(issuedAtMs + this.horizonHours * HOUR_MS,
      truth?.endMs ?? issuedAtMs);
    const count = Math.max(0, Math.round((endMs - issuedAtMs) / HOUR_MS));
    const values = new Float64Array(count);
    const points: IntensityPoint[] = [];
    const past = truth === undefined ? undefined : knownPast(truth,
      issuedAtMs);
    for (let index = 0; index < count; index += 1) {
      const startMs = issuedAtMs + index * HOUR_MS;
      const seen = index < this.perfectForesightHours ?
        truth?.valueOfHour(startMs) : undefined;
      const value = seen !== undefined && seen !== null ? seen :
        past === undefined ? null : forecastHour(past, startMs);
      values[index] = value ?? Number.NaN;
      points.push({startMs, durationMs: HOUR_MS, gramsPerKilowattHour: value});
    }
    const forecast = {values: new HourlyValues(issuedAtMs, values), points};
    this.issued.set(key, forecast);
    return forecast;
  }

  /** The planner's series: the forecast cut at `untilMs`. */
  series(zone: string, issuedAtMs: number, untilMs: number): IntensitySeries {
    const {points} = this.forecast(zone, issuedAtMs);
    const count = Math.max(0, Math.ceil((untilMs - issuedAtMs) / HOUR_MS));
    return {zone, basis: 'average-lifecycle', kind: 'forecast',
      source: 'replay:honest', issuedAtMs,
      points: points.slice(0, count)};
  }

  /** Drops forecasts issued before `issuedAtMs` (replays move forward). */
  forgetBefore(issuedAtMs: number): void {
    for (const [key, forecast] of this.issued) {
      if (forecast.values.firstStartMs < issuedAtMs) this.issued.delete(key);
    }
  }
}

// What the forecaster may read at issue time: hours ended by then.
function knownPast(truth: HourlyValues, issuedAtMs: number): KnownPast {
  const valueAt = (startMs: number) =>
    startMs + HOUR_MS <= issuedAtMs ? truth.valueOfHour(startMs) : undefined;
  let lastKnownStartMs: number | undefined;
  let startMs = Math.floor(issuedAtMs / HOUR_MS) * HOUR_MS - HOUR_MS;
  while (startMs >= truth.firstStartMs) {
    const value = valueAt(startMs);
    if (value !== undefined && value !== null) {
      lastKnownStartMs = startMs;
      break;
    }
    startMs -= HOUR_MS;
  }
  return {valueAt, lastKnownStartMs};
}
