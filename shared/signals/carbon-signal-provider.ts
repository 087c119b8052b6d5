/**
 * The one interface every carbon-signal provider implements (Electricity
 * Maps, WattTime, UK Carbon Intensity, static, replay). Values are
 * gCO2e/kWh on one stated basis; a missing value is null, never 0.
 */
import type {
  IntensityBasis,
  IntensitySeries,
  SeriesKind,
} from './intensity-series.js';

/** The value of one interval, as `latest` reports it. */
export interface IntensityReading {
  readonly zone: string;
  /** Start of the half-open interval [startMs, startMs + durationMs). */
  readonly startMs: number;
  readonly durationMs: number;
  /** gCO2e per kWh; null when the source has no value for the interval. */
  readonly gramsPerKilowattHour: number | null;
  readonly basis: IntensityBasis;
  readonly kind: SeriesKind;
  /** The provider that produced it, e.g. `replay:electricitymaps-2022`. */
  readonly source: string;
}

/** How far ahead a forecast should reach. */
export interface ForecastOptions {
  /** Hours from the start of the current interval; default per provider. */
  readonly horizonHours?: number;
}

/** Power by source, in megawatts, for one interval. */
export interface PowerBreakdown {
  readonly zone: string;
  readonly startMs: number;
  readonly durationMs: number;
  /** e.g. `{nuclear: 3900, wind: 1200}`; a null value is unknown. */
  readonly consumptionMegawattsBySource: Readonly<
    Record<string, number | null>
  >;
  readonly source: string;
}

/**
 * A source of grid carbon intensity per zone. Implementations throw
 * `NoSignalForZoneError` for a zone they do not serve and
 * `NoSignalDataError` when the zone is served but not at the time asked.
 */
export interface CarbonSignalProvider {
  /** Label recorded with every plan that used it. */
  readonly name: string;

  /** The interval covering now. */
  latest(zone: string): Promise<IntensityReading>;

  /**
   * Observed points overlapping [fromMs, toMs), never past now.
   *
   * @returns an observed series, possibly with no points
   */
  history(zone: string, fromMs: number, toMs: number): Promise<
    IntensitySeries
  >;

  /**
   * A forecast from the start of the interval covering now.
   *
   * @returns a series with `kind: 'forecast'` and `issuedAtMs`
   */
  forecast(zone: string, options?: ForecastOptions): Promise<
    IntensitySeries
  >;

  /** The power mix covering now, where the provider offers one. */
  powerBreakdown?(zone: string): Promise<PowerBreakdown>;
}
