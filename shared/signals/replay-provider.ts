/**
 * Replays recorded hourly traces as if they were live, on an injected
 * clock. `latest` and `history` never reach past now; `forecast` is built
 * only from hours that ended before now, unless the provider was made an
 * oracle (which then says so in its source label).
 */
import type {Clock} from '../time/clock.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
  IntensityReading,
} from './carbon-signal-provider.js';
import {ElectricityMapsTraces} from './electricity-maps-traces.js';
import type {
  ObservedTraceSource,
  TraceBasis,
} from './electricity-maps-traces.js';
import type {IntensityPoint, IntensitySeries} from './intensity-series.js';
import {forecastHour} from './replay-forecaster.js';
import type {KnownPast} from './replay-forecaster.js';
import {
  ForecastHorizonError,
  NoSignalDataError,
  NoSignalForZoneError,
} from './signal-errors.js';

const HOUR_MS = 3_600_000;

/** The forecast horizon when a caller gives none. */
export const DEFAULT_HORIZON_HOURS = 72;

/** `honest` sees only the past; `oracle` returns the recorded future. */
export type ReplayForecaster = 'honest' | 'oracle';

/** Options of {@link ReplayProvider}. */
export interface ReplayProviderOptions {
  readonly clock: Clock;
  /** Defaults to the shipped Electricity Maps traces for 2022. */
  readonly traces?: ObservedTraceSource;
  /** Defaults to `average-lifecycle` (the LCA column). */
  readonly basis?: TraceBasis;
  /** Defaults to `honest`. */
  readonly forecaster?: ReplayForecaster;
}

/**
 * The source name of a replay over `traces`, e.g.
 * `replay:electricitymaps-2022`: what the plan, the ledger rows and the
 * demo summary all say, from the traces' label (the years they hold).
 */
export function replaySourceName(
  traces: Pick<ObservedTraceSource, 'label'>,
): string {
  return `replay:${traces.label}`;
}

// A zone's points with a lookup from hour start to position.
interface ZoneIndex {
  readonly points: readonly IntensityPoint[];
  readonly positionByStartMs: ReadonlyMap<number, number>;
}

/** A {@link CarbonSignalProvider} over recorded traces. */
export class ReplayProvider implements CarbonSignalProvider {
  readonly name: string;
  readonly basis: TraceBasis;
  private readonly clock: Clock;
  private readonly traces: ObservedTraceSource;
  private readonly forecaster: ReplayForecaster;
  private readonly indexes = new Map<string, ZoneIndex>();

  constructor(options: ReplayProviderOptions) {
    this.clock = options.clock;
    this.traces = options.traces ?? new ElectricityMapsTraces();
    this.basis = options.basis ?? 'average-lifecycle';
    this.forecaster = options.forecaster ?? 'honest';
    this.name = replaySourceName(this.traces);
  }

  /** Zones this provider serves. */
  zones(): readonly string[] {
    return this.traces.zones();
  }

  async latest(zone: string): Promise<IntensityReading> {
    const index = this.indexFor(zone);
    const nowMs = this.clock.nowMs();
    const point = coveringPoint(index.points, nowMs);
    if (!point) {
      throw new NoSignalDataError(zone,
        `latest at ${new Date(nowMs).toISOString()}`,
        describeCoverage(index.points));
    }
    return {
      zone,
      startMs: point.startMs,
      durationMs: point.durationMs,
      gramsPerKilowattHour: point.gramsPerKilowattHour,
      basis: this.basis,
      kind: 'observed',
      source: this.name,
    };
  }

  async history(
    zone: string,
    fromMs: number,
    toMs: number,
  ): Promise<IntensitySeries> {
    const index = this.indexFor(zone);
    const endMs = Math.min(toMs, this.clock.nowMs());
    const points = index.points.filter((point) =>
      point.startMs < endMs && point.startMs + point.durationMs > fromMs);
    return {
      zone,
      basis: this.basis,
      kind: 'observed',
      source: this.name,
      points,
    };
  }

  async forecast(
    zone: string,
    options: ForecastOptions = {},
  ): Promise<IntensitySeries> {
    const horizonHours = options.horizonHours ?? DEFAULT_HORIZON_HOURS;
    if (!(horizonHours > 0) || !Number.isFinite(horizonHours)) {
      throw new ForecastHorizonError(horizonHours);
    }
    const index = this.indexFor(zone);
    const nowMs = this.clock.nowMs();
    const firstStartMs = coveringPoint(index.points, nowMs)?.startMs ??
      Math.floor(nowMs / HOUR_MS) * HOUR_MS;
    const endMs = Math.min(firstStartMs + horizonHours * HOUR_MS,
      coverageEndMs(index.points));
    if (endMs <= firstStartMs || nowMs < (index.points[0]?.startMs ?? 0)) {
      throw new NoSignalDataError(zone,
        `a forecast issued at ${new Date(nowMs).toISOString()}`,
        describeCoverage(index.points));
    }

    const valueFor = this.forecaster === 'oracle'
      ? (startMs: number) => recordedValue(index, startMs)
      : forecastFromPast(knownPast(index, nowMs));
    const points: IntensityPoint[] = [];
    for (let startMs = firstStartMs; startMs < endMs; startMs += HOUR_MS) {
      points.push({startMs, durationMs: HOUR_MS,
        gramsPerKilowattHour: valueFor(startMs)});
    }
    return {
      zone,
      basis: this.basis,
      kind: 'forecast',
      source: this.forecaster === 'oracle' ? `${this.name}:oracle` : this.name,
      issuedAtMs: nowMs,
      points,
    };
  }

  // Loads the zone on first use and indexes its hours.
  private indexFor(zone: string): ZoneIndex {
    const cached = this.indexes.get(zone);
    if (cached) return cached;
    const series = this.traces.observedSeries(zone, this.basis);
    if (!series || series.points.length === 0) {
      throw new NoSignalForZoneError(zone, this.name, this.traces.zones());
    }
    const positionByStartMs = new Map<number, number>();
    series.points.forEach((point, position) =>
      positionByStartMs.set(point.startMs, position));
    const index = {points: series.points, positionByStartMs};
    this.indexes.set(zone, index);
    return index;
  }
}

// The hours that ended by `nowMs`, and nothing later.
function knownPast(index: ZoneIndex, nowMs: number): KnownPast {
  const isKnown = (point: IntensityPoint) =>
    point.startMs + point.durationMs <= nowMs;
  const valueAt = (startMs: number) => {
    const position = index.positionByStartMs.get(startMs);
    const point = position === undefined ? undefined : index.points[position];
    return point && isKnown(point) ? point.gramsPerKilowattHour : undefined;
  };

  let lastKnownStartMs: number | undefined;
  const newest = lastStartingBy(index.points, nowMs);
  for (let position = newest; position >= 0; position--) {
    const point = index.points[position]!;
    if (isKnown(point) && point.gramsPerKilowattHour !== null) {
      lastKnownStartMs = point.startMs;
      break;
    }
  }
  return {valueAt, lastKnownStartMs};
}

function forecastFromPast(past: KnownPast) {
  return (startMs: number) => forecastHour(past, startMs);
}

function recordedValue(index: ZoneIndex, startMs: number): number | null {
  const position = index.positionByStartMs.get(startMs);
  if (position === undefined) return null;
  return index.points[position]?.gramsPerKilowattHour ?? null;
}

// The position of the last point starting at or before `instantMs`, or -1.
function lastStartingBy(
  points: readonly IntensityPoint[],
  instantMs: number,
): number {
  let low = 0;
  let high = points.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (points[middle]!.startMs <= instantMs) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}

// The point whose interval contains `instantMs`, if any.
function coveringPoint(
  points: readonly IntensityPoint[],
  instantMs: number,
): IntensityPoint | undefined {
  const point = points[lastStartingBy(points, instantMs)];
  if (!point || instantMs >= point.startMs + point.durationMs) {
    return undefined;
  }
  return point;
}

function coverageEndMs(points: readonly IntensityPoint[]): number {
  const last = points[points.length - 1];
  return last ? last.startMs + last.durationMs : -Infinity;
}

function describeCoverage(points: readonly IntensityPoint[]): string {
  const first = points[0];
  if (!first) return 'nothing';
  return `${new Date(first.startMs).toISOString()} to ` +
    `${new Date(coverageEndMs(points)).toISOString()}`;
}
