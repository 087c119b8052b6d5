/**
 * The UK Carbon Intensity API (National Energy System Operator, no key)
 * as a carbon-signal provider for Great Britain: national (zone `GB`) and
 * the 17 regions (zone `GB-region-{regionid}`, 18 being GB as a whole in
 * the regional model), half-hour periods, forecasts up to 48 h.
 *
 * Basis: `average-direct`. The API estimates the emissions of generation
 * (at the stack, no lifecycle share), averaged over the generation mix,
 * so its values never rank against lifecycle (Electricity Maps default) or
 * marginal (WattTime) values, and even against Electricity Maps direct
 * values they come from another model: the source label tells them apart.
 *
 * {@link https://carbon-intensity.github.io/api-definitions/}
 */
import type {z} from 'zod';

import type {Logger} from '../../../shared/ports/logger.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
} from '../../../shared/signals/carbon-signal-provider.js';
import {
  NoSignalDataError,
  NoSignalForZoneError,
} from '../../../shared/signals/signal-errors.js';
import {systemClock} from '../../../shared/time/clock.js';
import type {Clock} from '../../../shared/time/clock.js';
import {checkedHorizonHours} from '../forecast-horizon.js';
import {configuredBaseUrl} from '../http/base-url.js';
import {createJsonHttpClient} from '../http/json-http-client.js';
import type {
  JsonHttpClient,
  JsonHttpClientOptions,
} from '../http/json-http-client.js';
import {parseProviderBody} from '../http/parse-provider-body.js';
import type {
  EstimatedIntensityPoint,
  EstimatedIntensityReading,
  EstimatedIntensitySeries,
} from '../provider-readings.js';
import {
  isEmptyBody,
  nationalSchema,
  regionalPeriods,
  regionalSchema,
} from './uk-carbon-intensity-schemas.js';
import type {UkPeriod} from './uk-carbon-intensity-schemas.js';

/** The public API. */
/** Names another base URL, e.g. a stand-in server. */
export const UK_CARBON_INTENSITY_BASE_URL_VARIABLE =
  'UK_CARBON_INTENSITY_BASE_URL';
export const UK_CARBON_INTENSITY_PUBLIC_URL =
  'https://api.carbonintensity.org.uk';
/** The national zone. */
export const UK_NATIONAL_ZONE = 'GB';
/** The longest forecast the API serves. */
export const UK_MAX_HORIZON_HOURS = 48;

const PROVIDER = 'uk-carbon-intensity';
const HALF_HOUR_MS = 30 * 60_000;
const REGION_PATTERN = /^GB-region-(\d{1,2})$/;
const FIRST_REGION_ID = 1;
const LAST_REGION_ID = 18;
// The longest span one history call may cover.
const HISTORY_CHUNK_MS = 14 * 24 * 3_600_000;

/** The zone of a regional id, e.g. 13 (London) -> `GB-region-13`. */
export function ukRegionZone(regionId: number): string {
  return `GB-region-${regionId}`;
}

/** Options of {@link createUkCarbonIntensityProvider}. */
export interface UkCarbonIntensityProviderOptions {
  /**
   * Defaults to `UK_CARBON_INTENSITY_BASE_URL` in the environment, else the
   * public API; tests pass a loopback server.
   */
  readonly baseUrl?: string;
  /**
   * When a regional forecast comes back empty, return the national one
   * (labelled so) with a warning; default true.
   */
  readonly nationalFallback?: boolean;
  /** Defaults to `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly retry?: JsonHttpClientOptions['retry'];
  readonly breaker?: JsonHttpClientOptions['breaker'];
  readonly random?: () => number;
  readonly logger?: Logger;
}

/** The last settled half hour, as `GET /intensity` reports it. */
export interface SettledPeriod {
  readonly zone: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly gramsPerKilowattHour: number | null;
  /** `actual` when measured, `forecast` when only the estimate exists. */
  readonly valueKind: 'actual' | 'forecast';
  /** Whether the period contains now (the API gives the last completed). */
  readonly isCurrentPeriod: boolean;
  /** Minutes from the end of the period to now. */
  readonly ageMinutes: number;
}

/** A forecast that may stand in for a region with the national one. */
export interface UkForecastSeries extends EstimatedIntensitySeries {
  /** Set when the values are the national forecast, not the region's. */
  readonly substitutedZone?: string;
}

/** Creates the UK Carbon Intensity provider. */
export function createUkCarbonIntensityProvider(
  options: UkCarbonIntensityProviderOptions = {},
): UkCarbonIntensityProvider {
  return new UkCarbonIntensityProvider(options);
}

/** A {@link CarbonSignalProvider} over the UK Carbon Intensity API. */
export class UkCarbonIntensityProvider implements CarbonSignalProvider {
  readonly name = PROVIDER;
  readonly basis = 'average-direct' as const;
  private readonly http: JsonHttpClient;
  private readonly clock: Clock;

  constructor(private readonly options: UkCarbonIntensityProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = createJsonHttpClient({
      provider: PROVIDER,
      baseUrl: configuredBaseUrl(options.baseUrl, options.environment,
        UK_CARBON_INTENSITY_BASE_URL_VARIABLE, UK_CARBON_INTENSITY_PUBLIC_URL),
      timeoutMs: options.timeoutMs,
      clock: this.clock,
      retry: options.retry,
      breaker: options.breaker,
      random: options.random,
      logger: options.logger,
    });
  }

  /** The zones this provider serves. */
  zones(): string[] {
    const regions = [];
    for (let id = FIRST_REGION_ID; id <= LAST_REGION_ID; id++) {
      regions.push(ukRegionZone(id));
    }
    return [UK_NATIONAL_ZONE, ...regions];
  }

  /**
   * The half hour containing now: its actual value when settled, else its
   * forecast (then `kind: 'forecast'`). Not `GET /intensity`, which
   * answers with the last completed half hour (see `lastSettled`).
   */
  async latest(zone: string): Promise<EstimatedIntensityReading> {
    const nowMs = this.clock.nowMs();
    const fromMs = halfHourStartMs(nowMs);
    const periods = await this.periods(zone,
      `/intensity/${minuteText(fromMs)}/fw24h`, true);
    const period = periods.find((candidate) =>
      candidate.startMs <= nowMs && nowMs < candidate.endMs);
    if (!period) {
      throw new NoSignalDataError(zone,
        `the half hour containing ${new Date(nowMs).toISOString()}`,
        describe(periods));
    }
    const actual = period.actual;
    return {zone, startMs: period.startMs,
      durationMs: period.endMs - period.startMs,
      gramsPerKilowattHour: actual ?? period.forecast,
      basis: this.basis, kind: actual === null ? 'forecast' : 'observed',
      source: this.name, isEstimated: actual === null};
  }

  /** The last completed half hour (`GET /intensity`), with its age. */
  async lastSettled(zone: string): Promise<SettledPeriod> {
    const region = regionIdOf(zone, this.zones());
    const path = region === undefined
      ? '/intensity'
      : `/regional/regionid/${region}`;
    const periods = await this.periods(zone, path, true);
    const period = periods[periods.length - 1];
    if (!period) {
      throw new NoSignalDataError(zone, 'the last settled half hour',
        'an empty response');
    }
    const nowMs = this.clock.nowMs();
    return {zone, startMs: period.startMs, endMs: period.endMs,
      gramsPerKilowattHour: period.actual ?? period.forecast,
      valueKind: period.actual === null ? 'forecast' : 'actual',
      isCurrentPeriod: period.startMs <= nowMs && nowMs < period.endMs,
      ageMinutes: Math.round((nowMs - period.endMs) / 60_000)};
  }

  /**
   * Settled periods overlapping [fromMs, min(toMs, now)): the actual value
   * where there is one, else the forecast marked `isEstimated`.
   */
  async history(
    zone: string,
    fromMs: number,
    toMs: number,
  ): Promise<EstimatedIntensitySeries> {
    const endMs = Math.min(toMs, this.clock.nowMs());
    const periods: Period[] = [];
    for (let startMs = halfHourStartMs(fromMs); startMs < endMs;
      startMs += HISTORY_CHUNK_MS) {
      const chunkEndMs = Math.min(endMs, startMs + HISTORY_CHUNK_MS);
      periods.push(...await this.periods(zone,
        `/intensity/${minuteText(startMs)}/${minuteText(chunkEndMs)}`, true));
    }
    const points = uniqueByStart(periods)
      .filter((period) => period.startMs < endMs && period.endMs > fromMs)
      .map((period): EstimatedIntensityPoint => ({
        startMs: period.startMs,
        durationMs: period.endMs - period.startMs,
        gramsPerKilowattHour: period.actual ?? period.forecast,
        isEstimated: period.actual === null,
      }));
    return {zone, basis: this.basis, kind: 'observed', source: this.name,
      points};
  }

  /**
   * The forecast from the half hour containing now. A short forecast is
   * returned as it is (never padded); an empty answer (`{}`, no body) is a
   * forecast with no points, or for a region the national forecast.
   */
  async forecast(
    zone: string,
    options: ForecastOptions = {},
  ): Promise<UkForecastSeries> {
    const horizonHours = checkedHorizonHours(this.name,
      options.horizonHours, UK_MAX_HORIZON_HOURS);
    const nowMs = this.clock.nowMs();
    const fromMs = halfHourStartMs(nowMs);
    const periods = (await this.periods(zone,
      `/intensity/${minuteText(fromMs)}/fw48h`, true))
      .filter((period) => period.endMs > nowMs);

    // An empty regional forecast: the national one, said to be so.
    if (periods.length === 0 && zone !== UK_NATIONAL_ZONE &&
      (this.options.nationalFallback ?? true)) {
      this.options.logger?.log('WARNING',
        'regional forecast empty; using the national forecast',
        {provider: PROVIDER, zone, substitutedZone: UK_NATIONAL_ZONE});
      const national = await this.forecast(UK_NATIONAL_ZONE, options);
      return {...national, zone,
        source: `${this.name}:national-for-${zone}`,
        substitutedZone: UK_NATIONAL_ZONE};
    }

    const horizonEndMs = (periods[0]?.startMs ?? fromMs) +
      horizonHours * 3_600_000;
    const points = uniqueByStart(periods)
      .filter((period) => period.startMs < horizonEndMs)
      .map((period) => ({
        startMs: period.startMs,
        durationMs: period.endMs - period.startMs,
        gramsPerKilowattHour: period.forecast,
      }));
    return {zone, basis: this.basis, kind: 'forecast', source: this.name,
      issuedAtMs: nowMs, points};
  }

  // The periods of a national path, or its regional twin for a region.
  private async periods(
    zone: string,
    nationalPath: string,
    emptyIsNone = false,
  ): Promise<Period[]> {
    const region = regionIdOf(zone, this.zones());
    const path = region === undefined || nationalPath.startsWith('/regional')
      ? nationalPath
      : `/regional${nationalPath}/regionid/${region}`;
    const body = await this.http.get({path, zone});
    if (emptyIsNone && isEmptyBody(body)) return [];
    const parsed = region === undefined || !path.startsWith('/regional')
      ? this.parse(nationalSchema, body, path, zone).data
      : regionalPeriods(this.parse(regionalSchema, body, path, zone));
    return parsed.map(periodOf)
      .sort((a, b) => a.startMs - b.startMs);
  }

  private parse<Schema extends z.ZodType>(
    schema: Schema,
    body: unknown,
    path: string,
    zone: string,
  ): z.output<Schema> {
    return parseProviderBody(schema, body, {provider: PROVIDER, path, zone});
  }
}

// One period in milliseconds, with null for absent values.
interface Period {
  readonly startMs: number;
  readonly endMs: number;
  readonly forecast: number | null;
  readonly actual: number | null;
}

function periodOf(period: UkPeriod): Period {
  return {
    startMs: Date.parse(period.from),
    endMs: Date.parse(period.to),
    forecast: period.intensity.forecast ?? null,
    actual: period.intensity.actual ?? null,
  };
}

// The regional id of a zone, undefined for national; refuses other zones.
function regionIdOf(
  zone: string,
  knownZones: readonly string[],
): number | undefined {
  if (zone === UK_NATIONAL_ZONE) return undefined;
  const match = REGION_PATTERN.exec(zone);
  const id = match ? Number(match[1]) : NaN;
  if (!(id >= FIRST_REGION_ID && id <= LAST_REGION_ID)) {
    throw new NoSignalForZoneError(zone, PROVIDER, knownZones);
  }
  return id;
}

function uniqueByStart(periods: readonly Period[]): Period[] {
  const seen = new Set<number>();
  return periods.filter((period) => {
    if (seen.has(period.startMs)) return false;
    seen.add(period.startMs);
    return true;
  });
}

function halfHourStartMs(instantMs: number): number {
  return Math.floor(instantMs / HALF_HOUR_MS) * HALF_HOUR_MS;
}

// `2025-02-03T08:30Z`, the form the API's paths take.
function minuteText(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 16) + 'Z';
}

function describe(periods: readonly Period[]): string {
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (!first || !last) return 'nothing';
  return `${new Date(first.startMs).toISOString()} to ` +
    new Date(last.endMs).toISOString();
}
