/**
 * Google's own yearly figures per Cloud region as a carbon signal: the
 * "low average" way of choosing a region, always available, with no
 * hourly shape.
 *
 * Google's grid figure is the location-based yearly average of the local
 * grid, lifecycle emissions included (its 2019 and 2020 files call the
 * column "Lifecycle grid carbon intensity"), so the basis is
 * `average-lifecycle`: comparable in basis with Electricity Maps'
 * lifecycle values, but a yearly mean, not the hour's value. A series is
 * flat within a year; a region/year without a value is missing (null or
 * `NoSignalDataError`), never 0.
 *
 * Keys are region ids (`europe-west3`) or Electricity Maps zones (`DE`); a
 * zone stands for its regions when their figures agree.
 */
import {loadRegionCatalog} from '../catalog/region-catalog.js';
import type {RegionCatalog} from '../catalog/region-catalog.js';
import type {Region} from '../catalog/region.js';
import {SchedulerError} from '../errors.js';
import type {Clock} from '../time/clock.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
  IntensityReading,
} from './carbon-signal-provider.js';
import {yearlyFigureAt} from './google-yearly-figure.js';
import type {IntensityPoint, IntensitySeries} from './intensity-series.js';
import {
  ForecastHorizonError,
  NoSignalDataError,
  NoSignalForZoneError,
} from './signal-errors.js';

const HOUR_MS = 3_600_000;

/** The static provider's label, recorded with every value it gives. */
export const STATIC_PROVIDER_NAME = 'static:google-region-carbon-info';

/** The forecast horizon when a caller gives none. */
export const STATIC_DEFAULT_HORIZON_HOURS = 72;

/** Regions of one zone publish different figures for the same year. */
export class AmbiguousZoneFigureError extends SchedulerError {
  constructor(zone: string, year: number, described: string) {
    super('ambiguous-zone-figure',
      `zone "${zone}": its regions publish different ${year} figures ` +
        `(${described}); ask by region id instead`);
  }
}

/** A latest value, with the yearly figure behind it. */
export interface StaticReading extends IntensityReading {
  /** The regions whose figure this is. */
  readonly regionIds: readonly string[];
  /** The year whose published figure is used. */
  readonly figureYear: number;
  /** Google's CFE share that year, 0..1; null if not published. */
  readonly carbonFreeEnergyFraction: number | null;
  /** Why this year, e.g. `2026 not yet published; ...`. */
  readonly note: string;
}

/** Options of {@link StaticProvider}. */
export interface StaticProviderOptions {
  readonly clock: Clock;
  /** Defaults to the shipped catalog. */
  readonly catalog?: RegionCatalog;
}

// One key's value for one calendar year.
interface YearValue {
  readonly gramsPerKilowattHour: number | null;
  readonly carbonFreeEnergyFraction: number | null;
  readonly figureYear: number | null;
  readonly regionIds: readonly string[];
  readonly note: string;
}

/** A {@link CarbonSignalProvider} over Google's yearly region figures. */
export class StaticProvider implements CarbonSignalProvider {
  readonly name = STATIC_PROVIDER_NAME;
  readonly basis = 'average-lifecycle' as const;
  private readonly clock: Clock;
  private readonly catalog: RegionCatalog;

  constructor(options: StaticProviderOptions) {
    this.clock = options.clock;
    this.catalog = options.catalog ?? loadRegionCatalog();
  }

  /** Region ids and zones this provider answers for, sorted. */
  keys(): readonly string[] {
    const zones = this.catalog.regions
      .map((region) => region.electricityMapsZone)
      .filter((zone): zone is string => zone !== null);
    const ids = this.catalog.regions.map((region) => region.id);
    return [...new Set([...ids, ...zones])].sort();
  }

  async latest(key: string): Promise<StaticReading> {
    const nowMs = this.clock.nowMs();
    const value = this.valueAt(key, nowMs);
    if (value.gramsPerKilowattHour === null || value.figureYear === null) {
      throw new NoSignalDataError(key,
        `a yearly figure at ${new Date(nowMs).toISOString()}`,
        `Google's yearly figures: ${value.note}`);
    }
    const year = new Date(nowMs).getUTCFullYear();
    const startMs = Date.UTC(year, 0, 1);
    return {
      zone: key,
      startMs,
      durationMs: Date.UTC(year + 1, 0, 1) - startMs,
      gramsPerKilowattHour: value.gramsPerKilowattHour,
      basis: this.basis,
      kind: 'observed',
      source: this.name,
      regionIds: value.regionIds,
      figureYear: value.figureYear,
      carbonFreeEnergyFraction: value.carbonFreeEnergyFraction,
      note: value.note,
    };
  }

  async history(
    key: string,
    fromMs: number,
    toMs: number,
  ): Promise<IntensitySeries> {
    const endMs = Math.min(toMs, this.clock.nowMs());
    const firstStartMs = Math.floor(fromMs / HOUR_MS) * HOUR_MS;
    return {
      zone: key,
      basis: this.basis,
      kind: 'observed',
      source: this.name,
      points: this.hourlyPoints(key, firstStartMs, endMs),
    };
  }

  async forecast(
    key: string,
    options: ForecastOptions = {},
  ): Promise<IntensitySeries> {
    const horizonHours = options.horizonHours ?? STATIC_DEFAULT_HORIZON_HOURS;
    if (!(horizonHours > 0) || !Number.isFinite(horizonHours)) {
      throw new ForecastHorizonError(horizonHours);
    }
    const nowMs = this.clock.nowMs();
    const firstStartMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    return {
      zone: key,
      basis: this.basis,
      kind: 'forecast',
      source: this.name,
      issuedAtMs: nowMs,
      points: this.hourlyPoints(key, firstStartMs,
        firstStartMs + horizonHours * HOUR_MS),
    };
  }

  /**
   * The key's figure for the year of `instantMs`.
   *
   * @throws NoSignalForZoneError for a key that is neither a region id nor
   *   a zone of the catalog
   * @throws AmbiguousZoneFigureError when a zone's regions disagree
   */
  valueAt(key: string, instantMs: number): YearValue {
    const regions = this.regionsFor(key);
    const choices = regions.map((region) => ({
      region,
      choice: yearlyFigureAt(region, instantMs),
    }));
    const known = choices.filter(({choice}) =>
      choice.figures?.gridGramsPerKilowattHour != null);
    const first = known[0];
    if (!first) {
      return {gramsPerKilowattHour: null, carbonFreeEnergyFraction: null,
        figureYear: null, regionIds: regions.map((region) => region.id),
        note: `Google publishes no grid figure for ${regions
          .map((region) => region.id).join(', ')} that applies ` +
          `(${choices[0]?.choice.note ?? 'no region'})`};
    }

    const values = new Set(known.map(({choice}) =>
      choice.figures!.gridGramsPerKilowattHour));
    if (values.size > 1) {
      throw new AmbiguousZoneFigureError(key, first.choice.year,
        known.map(({region, choice}) => `${region.id} ` +
          `${choice.figures!.gridGramsPerKilowattHour} g`).join(', '));
    }
    return {
      gramsPerKilowattHour: first.choice.figures!.gridGramsPerKilowattHour,
      carbonFreeEnergyFraction:
        first.choice.figures!.carbonFreeEnergyFraction,
      figureYear: first.choice.figureYear,
      regionIds: known.map(({region}) => region.id),
      note: `${first.choice.note} (${first.choice.figures!.source})`,
    };
  }

  // A region id, else the regions of a zone.
  private regionsFor(key: string): readonly Region[] {
    const region = this.catalog.get(key);
    if (region) return [region];
    const inZone = this.catalog.regionsInZone(key);
    if (inZone.length === 0) {
      throw new NoSignalForZoneError(key, this.name, this.keys());
    }
    return inZone;
  }

  // Hourly points in [startMs, endMs), each year at its own figure.
  private hourlyPoints(
    key: string,
    startMs: number,
    endMs: number,
  ): IntensityPoint[] {
    const valueByYear = new Map<number, number | null>();
    const points: IntensityPoint[] = [];
    for (let hourMs = startMs; hourMs < endMs; hourMs += HOUR_MS) {
      const year = new Date(hourMs).getUTCFullYear();
      if (!valueByYear.has(year)) {
        valueByYear.set(year,
          this.valueAt(key, hourMs).gramsPerKilowattHour);
      }
      points.push({startMs: hourMs, durationMs: HOUR_MS,
        gramsPerKilowattHour: valueByYear.get(year) ?? null});
    }
    return points;
  }
}
