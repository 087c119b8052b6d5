/**
 * Electricity Maps API v3 as a carbon-signal provider: latest, history
 * (last 24 h, or past-range beyond), forecast up to 72 h and the power
 * breakdown, by zone or by coordinates. Average intensity, lifecycle
 * (default) or direct. It never lets the API guess the caller's location:
 * every call names a zone or coordinates.
 *
 * {@link https://portal.electricitymaps.com/docs/api}
 */
import {createHash} from 'node:crypto';

import type {z} from 'zod';

import type {Logger} from '../../../shared/ports/logger.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
  PowerBreakdown,
} from '../../../shared/signals/carbon-signal-provider.js';
import type {IntensityBasis} from '../../../shared/signals/intensity-series.js';
import type {
  AccessReportingProvider,
  ProviderAccess,
  SignalKind,
} from '../../../shared/signals/provider-access.js';
import {SchedulerError} from '../../../shared/errors.js';
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
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderConfigurationError,
  ProviderForbiddenError,
  ProviderNotFoundError,
} from '../http/provider-http-errors.js';
import {HOUR_MS} from '../provider-readings.js';
import type {
  EstimatedIntensityPoint,
  EstimatedIntensityReading,
  EstimatedIntensitySeries,
} from '../provider-readings.js';
import {readCredential} from '../secret-reader.js';
import type {SecretReader} from '../secret-reader.js';
import {
  carbonIntensityEntrySchema,
  carbonIntensityForecastSchema,
  carbonIntensityHistorySchema,
  carbonIntensityPastRangeSchema,
  powerBreakdownEntrySchema,
  powerBreakdownHistorySchema,
  zonesSchema,
} from './electricity-maps-schemas.js';
import type {
  CarbonIntensityEntry,
  PowerBreakdownEntry,
} from './electricity-maps-schemas.js';

/** The public API. */
/** Names another base URL, e.g. a stand-in server. */
export const ELECTRICITY_MAPS_BASE_URL_VARIABLE = 'ELECTRICITY_MAPS_BASE_URL';
export const ELECTRICITY_MAPS_PUBLIC_URL = 'https://api.electricitymap.org';
/** Read when no token or secret is given. */
export const ELECTRICITY_MAPS_TOKEN_VARIABLE = 'ELECTRICITY_MAPS_TOKEN';
/** The longest forecast the API serves. */
export const ELECTRICITY_MAPS_MAX_HORIZON_HOURS = 72;

const PROVIDER = 'electricity-maps';
const HISTORY_REACH_MS = 24 * HOUR_MS;
// The longest span one past-range call may cover at hourly granularity.
const PAST_RANGE_CHUNK_MS = 10 * 24 * HOUR_MS;

/** Which emission factors the values use. */
export type EmissionFactorType = 'lifecycle' | 'direct';

/** A place: a zone key, or coordinates the API maps to a zone. */
export type ElectricityMapsLocation =
  | {readonly zone: string}
  | {readonly latitude: number; readonly longitude: number};

/** A zone the token may read, with the routes it may call there. */
export interface ReadableZone {
  readonly zone: string;
  readonly zoneName?: string;
  /** e.g. `['carbon-intensity/latest']`, or `['*']` for every route. */
  readonly access: readonly string[];
}

/** Options of {@link createElectricityMapsProvider}. */
export interface ElectricityMapsProviderOptions {
  /**
   * Defaults to `ELECTRICITY_MAPS_BASE_URL` in the environment, else the
   * public API; tests pass a loopback server.
   */
  readonly baseUrl?: string;
  /** The token itself; else the secret, else `ELECTRICITY_MAPS_TOKEN`. */
  readonly token?: string;
  readonly secretReader?: SecretReader;
  /** The secret holding the token, read through `secretReader`. */
  readonly tokenSecretName?: string;
  /** Defaults to `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Default `lifecycle`. */
  readonly emissionFactorType?: EmissionFactorType;
  /** Ask for measured values only (`disableEstimations=true`). */
  readonly disableEstimations?: boolean;
  /** Zones (e.g. region names) to ask for by coordinates instead. */
  readonly coordinatesByZone?: Readonly<
    Record<string, {readonly latitude: number; readonly longitude: number}>
  >;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly retry?: JsonHttpClientOptions['retry'];
  readonly breaker?: JsonHttpClientOptions['breaker'];
  readonly random?: () => number;
  readonly logger?: Logger;
}

/** Creates the Electricity Maps provider. */
export function createElectricityMapsProvider(
  options: ElectricityMapsProviderOptions = {},
): ElectricityMapsProvider {
  return new ElectricityMapsProvider(options);
}

/** A {@link CarbonSignalProvider} over Electricity Maps v3. */
export class ElectricityMapsProvider implements AccessReportingProvider {
  readonly name: string;
  readonly basis: IntensityBasis;
  private readonly emissionFactorType: EmissionFactorType;
  private readonly http: JsonHttpClient;
  private readonly clock: Clock;
  private tokenPromise: Promise<string> | undefined;
  private zonesPromise: Promise<ReadableZone[]> | undefined;

  constructor(private readonly options: ElectricityMapsProviderOptions) {
    this.emissionFactorType = options.emissionFactorType ?? 'lifecycle';
    this.basis = this.emissionFactorType === 'lifecycle'
      ? 'average-lifecycle'
      : 'average-direct';
    this.name = `${PROVIDER}:${this.emissionFactorType}` +
      (options.disableEstimations ? ':measured' : '');
    this.clock = options.clock ?? systemClock;
    this.http = createJsonHttpClient({
      provider: PROVIDER,
      baseUrl: configuredBaseUrl(options.baseUrl, options.environment,
        ELECTRICITY_MAPS_BASE_URL_VARIABLE, ELECTRICITY_MAPS_PUBLIC_URL),
      timeoutMs: options.timeoutMs,
      clock: this.clock,
      retry: options.retry,
      breaker: options.breaker,
      random: options.random,
      logger: options.logger,
    });
  }

  /** The circuit breaker of this provider, for health reporting. */
  get breaker() {
    return this.http.breaker;
  }

  async latest(zone: string): Promise<EstimatedIntensityReading> {
    return this.latestAt(this.locationOf(zone), zone);
  }

  async history(
    zone: string,
    fromMs: number,
    toMs: number,
  ): Promise<EstimatedIntensitySeries> {
    return this.historyAt(this.locationOf(zone), fromMs, toMs, zone);
  }

  async forecast(
    zone: string,
    options: ForecastOptions = {},
  ): Promise<EstimatedIntensitySeries> {
    return this.forecastAt(this.locationOf(zone), options, zone);
  }

  async powerBreakdown(zone: string): Promise<PowerBreakdown> {
    return this.powerBreakdownAt(this.locationOf(zone), zone);
  }

  /** The power mix of each hour of the last 24 h. */
  async powerBreakdownHistory(zone: string): Promise<PowerBreakdown[]> {
    const body = await this.fetch(powerBreakdownHistorySchema,
      '/v3/power-breakdown/history', this.locationOf(zone), zone);
    return body.history.map((entry) => this.breakdownOf(entry, zone));
  }

  /** The interval covering now at a zone or coordinates. */
  async latestAt(
    location: ElectricityMapsLocation,
    label = labelOf(location),
  ): Promise<EstimatedIntensityReading> {
    const entry = await this.fetch(carbonIntensityEntrySchema,
      '/v3/carbon-intensity/latest', location, label);
    const point = this.pointOf(entry);
    return {
      zone: label,
      startMs: point.startMs,
      durationMs: point.durationMs,
      gramsPerKilowattHour: point.gramsPerKilowattHour,
      basis: this.basisOf(entry.emissionFactorType),
      kind: 'observed',
      source: this.name,
      isEstimated: entry.isEstimated ?? undefined,
      estimationMethod: entry.estimationMethod ?? null,
    };
  }

  /**
   * Observed points overlapping [fromMs, min(toMs, now)): the history
   * route when the range lies in the last 24 h, past-range otherwise.
   */
  async historyAt(
    location: ElectricityMapsLocation,
    fromMs: number,
    toMs: number,
    label = labelOf(location),
  ): Promise<EstimatedIntensitySeries> {
    const nowMs = this.clock.nowMs();
    const endMs = Math.min(toMs, nowMs);
    let entries: CarbonIntensityEntry[] = [];
    if (endMs <= fromMs) {
      entries = [];
    } else if (fromMs >= nowMs - HISTORY_REACH_MS) {
      const body = await this.fetch(carbonIntensityHistorySchema,
        '/v3/carbon-intensity/history', location, label);
      entries = body.history;
    } else {
      entries = await this.pastRangeEntries(location, fromMs, endMs, label);
    }
    const points = entries.map((entry) => this.pointOf(entry))
      .filter((point) => point.startMs < endMs &&
        point.startMs + point.durationMs > fromMs)
      .sort((a, b) => a.startMs - b.startMs);
    return {zone: label, basis: this.basisOf(entries[0]?.emissionFactorType),
      kind: 'observed', source: this.name, points};
  }

  /** A forecast from the interval covering now, `horizonHours` long. */
  async forecastAt(
    location: ElectricityMapsLocation,
    options: ForecastOptions = {},
    label = labelOf(location),
  ): Promise<EstimatedIntensitySeries> {
    const horizonHours = checkedHorizonHours(this.name,
      options.horizonHours, ELECTRICITY_MAPS_MAX_HORIZON_HOURS);
    const body = await this.fetch(carbonIntensityForecastSchema,
      '/v3/carbon-intensity/forecast', location, label, {horizonHours});

    // Keep the points from the one covering now, up to the horizon.
    const nowMs = this.clock.nowMs();
    const durationMs = granularityMs(body.temporalGranularity);
    const points = body.forecast.map((entry) => ({
      startMs: Date.parse(entry.datetime),
      durationMs,
      gramsPerKilowattHour: entry.carbonIntensity ?? null,
    })).filter((point) => point.startMs + point.durationMs > nowMs)
      .sort((a, b) => a.startMs - b.startMs);
    const firstStartMs = points[0]?.startMs ?? nowMs;
    const horizonEndMs = firstStartMs + horizonHours * HOUR_MS;
    return {
      zone: label,
      basis: this.basisOf(body.emissionFactorType),
      kind: 'forecast',
      source: this.name,
      issuedAtMs: body.updatedAt ? Date.parse(body.updatedAt) : nowMs,
      points: points.filter((point) => point.startMs < horizonEndMs),
    };
  }

  /** The power mix covering now at a zone or coordinates. */
  async powerBreakdownAt(
    location: ElectricityMapsLocation,
    label = labelOf(location),
  ): Promise<PowerBreakdown> {
    const entry = await this.fetch(powerBreakdownEntrySchema,
      '/v3/power-breakdown/latest', location, label);
    return this.breakdownOf(entry, label);
  }

  /**
   * The zones this token may read (`GET /v3/zones` with the token), asked
   * once and kept.
   */
  async readableZones(): Promise<ReadableZone[]> {
    this.zonesPromise ??= (async () => {
      const body = parseProviderBody(zonesSchema,
        await this.http.get({path: '/v3/zones',
          headers: {'auth-token': await this.token()}}),
        {provider: PROVIDER, path: '/v3/zones'});
      return Object.entries(body).map(([zone, entry]) => ({
        zone, zoneName: entry.zoneName, access: entry.access ?? []}))
        .filter((zone) => zone.access.length > 0)
        .sort((a, b) => a.zone.localeCompare(b.zone));
    })();
    try {
      return await this.zonesPromise;
    } catch (error) {
      this.zonesPromise = undefined;
      throw error;
    }
  }

  /**
   * What the token may read, asked now (`GET /v3/zones`): each zone with
   * the signals its routes allow. Places asked for by coordinates are
   * left unchecked. A failed request is an `unknown` access.
   */
  async readAccess(): Promise<ProviderAccess> {
    const checkedAtMs = this.clock.nowMs();
    this.zonesPromise = undefined;
    let zones: ReadableZone[];
    try {
      zones = await this.readableZones();
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      return {status: 'unknown', provider: this.name, checkedAtMs,
        reason: `${PROVIDER} /v3/zones failed: ${error.message}`};
    }
    if (zones.length === 0) {
      return {status: 'unknown', provider: this.name, checkedAtMs,
        reason: `${PROVIDER} /v3/zones lists no access for this token`};
    }
    const signalsByZone: Record<string, SignalKind[]> = {};
    for (const zone of zones) {
      const signals = signalsOfRoutes(zone.access);
      if (signals.length > 0) signalsByZone[zone.zone] = signals;
    }
    const unchecked = Object.keys(this.options.coordinatesByZone ?? {});
    return {status: 'known', provider: this.name, checkedAtMs,
      signalsByZone,
      ...(unchecked.length > 0 ? {uncheckedKeys: unchecked} : {})};
  }

  /** A hash of the token, naming its cached access list. */
  async credentialFingerprint(): Promise<string> {
    return createHash('sha256').update(await this.token()).digest('hex')
      .slice(0, 16);
  }

  // Past-range in spans the API accepts, in order.
  private async pastRangeEntries(
    location: ElectricityMapsLocation,
    fromMs: number,
    endMs: number,
    label: string,
  ): Promise<CarbonIntensityEntry[]> {
    const entries: CarbonIntensityEntry[] = [];
    for (let startMs = fromMs; startMs < endMs;
      startMs += PAST_RANGE_CHUNK_MS) {
      const body = await this.fetch(carbonIntensityPastRangeSchema,
        '/v3/carbon-intensity/past-range', location, label, {
          start: new Date(startMs).toISOString(),
          end: new Date(Math.min(endMs, startMs + PAST_RANGE_CHUNK_MS))
            .toISOString(),
        });
      entries.push(...body.data);
    }
    return entries;
  }

  // One GET with the token, the location and the factor options, parsed.
  private async fetch<Schema extends z.ZodType>(
    schema: Schema,
    path: string,
    location: ElectricityMapsLocation,
    label: string,
    extraQuery: Record<string, string | number> = {},
  ): Promise<z.output<Schema>> {
    const query = {
      ...locationQuery(location, label),
      emissionFactorType: path.startsWith('/v3/carbon-intensity')
        ? this.emissionFactorType
        : undefined,
      disableEstimations: this.options.disableEstimations ? true : undefined,
      ...extraQuery,
    };
    const headers = {'auth-token': await this.token()};
    let body: unknown;
    try {
      body = await this.http.get({path, query, headers, zone: label});
    } catch (error) {
      throw await this.zoneErrorOr(error, label);
    }
    return parseProviderBody(schema, body,
      {provider: PROVIDER, path, zone: label});
  }

  // A refusal for a zone the token cannot read becomes a no-signal error.
  private async zoneErrorOr(error: unknown, zone: string): Promise<unknown> {
    const refused = error instanceof ProviderBadRequestError ||
      error instanceof ProviderNotFoundError ||
      error instanceof ProviderForbiddenError ||
      error instanceof ProviderAuthError;
    if (!refused) return error;
    let zones: ReadableZone[];
    try {
      zones = await this.readableZones();
    } catch {
      return error;
    }
    if (zones.some((readable) => readable.zone === zone)) return error;
    const noSignal = new NoSignalForZoneError(zone, this.name,
      zones.map((readable) => readable.zone));
    return Object.assign(noSignal, {cause: error});
  }

  private async token(): Promise<string> {
    this.tokenPromise ??= readCredential(PROVIDER, {
      value: this.options.token,
      secretReader: this.options.secretReader,
      secretName: this.options.tokenSecretName,
      environmentVariable: ELECTRICITY_MAPS_TOKEN_VARIABLE,
      environment: this.options.environment,
    });
    try {
      return await this.tokenPromise;
    } catch (error) {
      this.tokenPromise = undefined;
      throw error;
    }
  }

  private locationOf(zone: string): ElectricityMapsLocation {
    const coordinates = this.options.coordinatesByZone?.[zone];
    return coordinates ?? {zone};
  }

  private basisOf(type: EmissionFactorType | undefined): IntensityBasis {
    if (type === undefined) return this.basis;
    return type === 'lifecycle' ? 'average-lifecycle' : 'average-direct';
  }

  private pointOf(entry: CarbonIntensityEntry): EstimatedIntensityPoint {
    const point = {
      startMs: Date.parse(entry.datetime),
      durationMs: granularityMs(entry.temporalGranularity),
      gramsPerKilowattHour: entry.carbonIntensity ?? null,
    };
    return entry.isEstimated === undefined || entry.isEstimated === null
      ? point
      : {...point, isEstimated: entry.isEstimated};
  }

  private breakdownOf(
    entry: PowerBreakdownEntry,
    zone: string,
  ): PowerBreakdown {
    const consumption = entry.powerConsumptionBreakdown;
    if (!consumption) {
      throw new NoSignalDataError(zone,
        `the power breakdown at ${entry.datetime}`,
        'no consumption breakdown in the response');
    }
    return {zone, startMs: Date.parse(entry.datetime), durationMs: HOUR_MS,
      consumptionMegawattsBySource: consumption, source: this.name};
  }
}

// The query naming the place; refuses to leave it to the caller's address.
function locationQuery(
  location: ElectricityMapsLocation,
  label: string,
): Record<string, string | number> {
  if ('zone' in location) {
    if (location.zone.trim() === '') {
      throw new ProviderConfigurationError(PROVIDER,
        `zone "${label}" is empty: give a zone key (e.g. "BE") or ` +
        'coordinates; the API is never asked to guess the location');
    }
    return {zone: location.zone};
  }
  if (!Number.isFinite(location.latitude) ||
    !Number.isFinite(location.longitude)) {
    throw new ProviderConfigurationError(PROVIDER,
      `coordinates for "${label}" are not finite numbers`);
  }
  return {lat: location.latitude, lon: location.longitude};
}

// The signals a zone's allowed routes serve (`*` serves all of them).
function signalsOfRoutes(routes: readonly string[]): SignalKind[] {
  const allowed = (route: string) => routes.includes('*') ||
    routes.includes(route) || routes.includes(`${route.split('/')[0]}/*`);
  const signals: SignalKind[] = [];
  if (allowed('carbon-intensity/latest')) signals.push('latest');
  if (allowed('carbon-intensity/history') ||
    allowed('carbon-intensity/past-range')) signals.push('history');
  if (allowed('carbon-intensity/forecast')) signals.push('forecast');
  if (allowed('power-breakdown/latest')) signals.push('power-breakdown');
  return signals;
}

function labelOf(location: ElectricityMapsLocation): string {
  return 'zone' in location
    ? location.zone
    : `${location.latitude},${location.longitude}`;
}

// Interval length of the API's temporal granularity; hourly by default.
function granularityMs(granularity: string | null | undefined): number {
  if (granularity === '5_minutes') return 5 * 60_000;
  if (granularity === '15_minutes') return 15 * 60_000;
  if (granularity === 'daily') return 24 * HOUR_MS;
  return HOUR_MS;
}
