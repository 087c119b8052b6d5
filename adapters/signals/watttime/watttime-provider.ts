/**
 * WattTime API v3 as a carbon-signal provider: the marginal operating
 * emissions rate (`co2_moer`) of a grid region, now, forecast up to 72 h
 * ahead, and historical. Values arrive in lb/MWh and leave in gCO2e/kWh;
 * the basis is always `marginal`, so they never rank against averages.
 *
 * {@link https://docs.watttime.org}
 */
import {createHash} from 'node:crypto';

import type {z} from 'zod';

import {SchedulerError} from '../../../shared/errors.js';

import type {Logger} from '../../../shared/ports/logger.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
} from '../../../shared/signals/carbon-signal-provider.js';
import type {IntensityPoint} from '../../../shared/signals/intensity-series.js';
import type {
  AccessReportingProvider,
  ProviderAccess,
  SignalKind,
} from '../../../shared/signals/provider-access.js';
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
  JsonRequest,
} from '../http/json-http-client.js';
import {parseProviderBody} from '../http/parse-provider-body.js';
import {
  ProviderAuthError,
  ProviderBadRequestError,
  ProviderForbiddenError,
  ProviderNotFoundError,
} from '../http/provider-http-errors.js';
import type {
  EstimatedIntensityReading,
  EstimatedIntensitySeries,
} from '../provider-readings.js';
import {readCredential} from '../secret-reader.js';
import type {SecretReader} from '../secret-reader.js';
import {
  loginSchema,
  myAccessSchema,
  pastForecastsSchema,
  regionFromLocationSchema,
  signalDataSchema,
} from './watttime-schemas.js';
import type {WattTimeMeta, WattTimePoint} from './watttime-schemas.js';
import {DEFAULT_TOKEN_RENEW_AFTER_MS, WattTimeTokens} from
  './watttime-token.js';
import {gramsPerKilowattHourFactor} from './watttime-units.js';

/** The public API. */
/** Names another base URL, e.g. a stand-in server. */
export const WATTTIME_BASE_URL_VARIABLE = 'WATTTIME_BASE_URL';
export const WATTTIME_PUBLIC_URL = 'https://api.watttime.org';
/** Read when no credentials or secrets are given. */
export const WATTTIME_USERNAME_VARIABLE = 'WATTTIME_USERNAME';
export const WATTTIME_PASSWORD_VARIABLE = 'WATTTIME_PASSWORD';
/** The longest forecast the API serves. */
export const WATTTIME_MAX_HORIZON_HOURS = 72;

const PROVIDER = 'watttime';
const SIGNAL_TYPE = 'co2_moer';
const DEFAULT_POINT_MS = 5 * 60_000;

/** Options of {@link createWattTimeProvider}. */
export interface WattTimeProviderOptions {
  /**
   * Defaults to `WATTTIME_BASE_URL` in the environment, else the
   * public API; tests pass a loopback server.
   */
  readonly baseUrl?: string;
  /** The login path under the base URL; default `/login`. */
  readonly loginPath?: string;
  /** The credentials themselves; else the secrets, else the environment. */
  readonly username?: string;
  readonly password?: string;
  readonly secretReader?: SecretReader;
  readonly usernameSecretName?: string;
  readonly passwordSecretName?: string;
  /** Defaults to `process.env`. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Renew the token at this age; null waits for a 401. Default 29 min. */
  readonly renewTokenAfterMs?: number | null;
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly retry?: JsonHttpClientOptions['retry'];
  readonly breaker?: JsonHttpClientOptions['breaker'];
  readonly random?: () => number;
  readonly logger?: Logger;
}

/** A grid region and its name. */
export interface WattTimeRegion {
  readonly region: string;
  readonly regionFullName?: string;
}

/** Creates the WattTime provider. */
export function createWattTimeProvider(
  options: WattTimeProviderOptions = {},
): WattTimeProvider {
  return new WattTimeProvider(options);
}

/** A {@link CarbonSignalProvider} over WattTime v3 (marginal). */
export class WattTimeProvider implements AccessReportingProvider {
  readonly name = `${PROVIDER}:${SIGNAL_TYPE}`;
  readonly basis = 'marginal' as const;
  private readonly http: JsonHttpClient;
  private readonly clock: Clock;
  private readonly tokens: WattTimeTokens;
  private accessPromise: Promise<WattTimeRegion[]> | undefined;

  constructor(private readonly options: WattTimeProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.http = createJsonHttpClient({
      provider: PROVIDER,
      baseUrl: configuredBaseUrl(options.baseUrl, options.environment,
        WATTTIME_BASE_URL_VARIABLE, WATTTIME_PUBLIC_URL),
      timeoutMs: options.timeoutMs,
      clock: this.clock,
      retry: options.retry,
      breaker: options.breaker,
      random: options.random,
      logger: options.logger,
    });
    this.tokens = new WattTimeTokens({
      clock: this.clock,
      renewAfterMs: options.renewTokenAfterMs === undefined
        ? DEFAULT_TOKEN_RENEW_AFTER_MS
        : options.renewTokenAfterMs,
      login: () => this.login(),
    });
  }

  /** The circuit breaker of this provider, for health reporting. */
  get breaker() {
    return this.http.breaker;
  }

  /** The current rate: the first point of a zero-hour forecast. */
  async latest(zone: string): Promise<EstimatedIntensityReading> {
    const series = await this.signalSeries(zone, '/v3/forecast',
      {horizon_hours: 0}, 'forecast');
    const nowMs = this.clock.nowMs();
    const point = series.points.find((candidate) =>
      candidate.startMs <= nowMs &&
      nowMs < candidate.startMs + candidate.durationMs) ?? series.points[0];
    if (!point) {
      throw new NoSignalDataError(zone, 'the current rate',
        'an empty forecast');
    }
    return {zone, startMs: point.startMs, durationMs: point.durationMs,
      gramsPerKilowattHour: point.gramsPerKilowattHour, basis: this.basis,
      kind: 'forecast', source: this.name};
  }

  async history(
    zone: string,
    fromMs: number,
    toMs: number,
  ): Promise<EstimatedIntensitySeries> {
    const endMs = Math.min(toMs, this.clock.nowMs());
    if (endMs <= fromMs) {
      return {zone, basis: this.basis, kind: 'observed', source: this.name,
        points: []};
    }
    // TODO(signals): one call per range; split ranges longer than the
    // API accepts (about a month) once a caller needs them.
    const series = await this.signalSeries(zone, '/v3/historical', {
      start: new Date(fromMs).toISOString(),
      end: new Date(endMs).toISOString(),
    }, 'observed');
    return {...series, points: series.points.filter((point) =>
      point.startMs < endMs && point.startMs + point.durationMs > fromMs)};
  }

  async forecast(
    zone: string,
    options: ForecastOptions = {},
  ): Promise<EstimatedIntensitySeries> {
    const horizonHours = checkedHorizonHours(this.name,
      options.horizonHours, WATTTIME_MAX_HORIZON_HOURS);
    return this.signalSeries(zone, '/v3/forecast',
      {horizon_hours: horizonHours}, 'forecast');
  }

  /** The forecasts generated in [fromMs, toMs), oldest first. */
  async pastForecasts(
    zone: string,
    fromMs: number,
    toMs: number,
  ): Promise<EstimatedIntensitySeries[]> {
    const path = '/v3/forecast/historical';
    const body = await this.authorizedGet(pastForecastsSchema, {path,
      zone, query: {region: zone, signal_type: SIGNAL_TYPE,
        start: new Date(fromMs).toISOString(),
        end: new Date(toMs).toISOString()}});
    this.logWarnings(zone, body.meta);
    const factor = gramsPerKilowattHourFactor(body.meta.units, zone);
    return body.data.map((generation) => ({
      zone, basis: this.basis, kind: 'forecast' as const,
      source: this.name,
      issuedAtMs: Date.parse(generation.generated_at),
      points: pointsOf(generation.forecast, body.meta, factor),
    }));
  }

  /** The region that covers a place (`/v3/region-from-loc`). */
  async regionFromLocation(
    latitude: number,
    longitude: number,
  ): Promise<WattTimeRegion> {
    const body = await this.authorizedGet(regionFromLocationSchema, {
      path: '/v3/region-from-loc',
      query: {latitude, longitude, signal_type: SIGNAL_TYPE}});
    return {region: body.region, regionFullName: body.region_full_name};
  }

  /** The regions these credentials may read for `co2_moer`, kept once. */
  async readableRegions(): Promise<WattTimeRegion[]> {
    this.accessPromise ??= this.authorizedGet(myAccessSchema,
      {path: '/v3/my-access'}).then((body) => body.signal_types
      .filter((entry) => entry.signal_type === SIGNAL_TYPE)
      .flatMap((entry) => entry.regions)
      .map((entry) => ({region: entry.region,
        regionFullName: entry.region_full_name})));
    try {
      return await this.accessPromise;
    } catch (error) {
      this.accessPromise = undefined;
      throw error;
    }
  }

  /**
   * What the credentials may read, asked now (`/v3/my-access`): each
   * `co2_moer` region, for now, history and forecasts (WattTime has no
   * power mix). A failed request is an `unknown` access.
   */
  async readAccess(): Promise<ProviderAccess> {
    const checkedAtMs = this.clock.nowMs();
    this.accessPromise = undefined;
    let regions: WattTimeRegion[];
    try {
      regions = await this.readableRegions();
    } catch (error) {
      if (!(error instanceof SchedulerError)) throw error;
      return {status: 'unknown', provider: this.name, checkedAtMs,
        reason: `${PROVIDER} /v3/my-access failed: ${error.message}`};
    }
    const signals: SignalKind[] = ['latest', 'history', 'forecast'];
    return {status: 'known', provider: this.name, checkedAtMs,
      signalsByZone: Object.fromEntries(
        regions.map((entry) => [entry.region, signals]))};
  }

  /** A hash of the user name, naming its cached access list. */
  async credentialFingerprint(): Promise<string> {
    const username = await readCredential(PROVIDER, {
      value: this.options.username,
      secretReader: this.options.secretReader,
      secretName: this.options.usernameSecretName,
      environmentVariable: WATTTIME_USERNAME_VARIABLE,
      environment: this.options.environment});
    return createHash('sha256').update(username).digest('hex').slice(0, 16);
  }

  // A data route read into a converted series.
  private async signalSeries(
    zone: string,
    path: string,
    query: Record<string, string | number>,
    kind: 'observed' | 'forecast',
  ): Promise<EstimatedIntensitySeries> {
    const body = await this.authorizedGet(signalDataSchema, {path, zone,
      query: {region: zone, signal_type: SIGNAL_TYPE, ...query}});
    this.logWarnings(zone, body.meta);
    const factor = gramsPerKilowattHourFactor(body.meta.units, zone);
    const points = pointsOf(body.data, body.meta, factor);
    const generatedAt = body.meta.generated_at;
    return {
      zone, basis: this.basis, kind, source: this.name,
      ...(kind === 'forecast'
        ? {issuedAtMs: generatedAt ? Date.parse(generatedAt)
          : this.clock.nowMs()}
        : {}),
      points,
    };
  }

  // A GET with the bearer token; one renewal and one retry on 401.
  private async authorizedGet<Schema extends z.ZodType>(
    schema: Schema,
    request: JsonRequest,
  ): Promise<z.output<Schema>> {
    const send = (token: string) => this.http.get({...request,
      headers: {authorization: `Bearer ${token}`}});
    let body: unknown;
    try {
      const token = await this.tokens.current();
      try {
        body = await send(token);
      } catch (error) {
        if (!(error instanceof ProviderAuthError)) throw error;
        body = await send(await this.tokens.replace(token));
      }
    } catch (error) {
      throw await this.regionErrorOr(error, request.zone);
    }
    return parseProviderBody(schema, body,
      {provider: PROVIDER, path: request.path, zone: request.zone});
  }

  // A refusal for a region the credentials cannot read: no signal there.
  private async regionErrorOr(
    error: unknown,
    zone: string | undefined,
  ): Promise<unknown> {
    const refused = error instanceof ProviderBadRequestError ||
      error instanceof ProviderNotFoundError ||
      error instanceof ProviderForbiddenError;
    if (!refused || zone === undefined) return error;
    let regions: WattTimeRegion[];
    try {
      regions = await this.readableRegions();
    } catch {
      return error;
    }
    if (regions.some((readable) => readable.region === zone)) return error;
    const noSignal = new NoSignalForZoneError(zone, this.name,
      regions.map((readable) => readable.region));
    return Object.assign(noSignal, {cause: error});
  }

  private async login(): Promise<string> {
    const environment = this.options.environment;
    const [username, password] = await Promise.all([
      readCredential(PROVIDER, {value: this.options.username,
        secretReader: this.options.secretReader,
        secretName: this.options.usernameSecretName,
        environmentVariable: WATTTIME_USERNAME_VARIABLE, environment}),
      readCredential(PROVIDER, {value: this.options.password,
        secretReader: this.options.secretReader,
        secretName: this.options.passwordSecretName,
        environmentVariable: WATTTIME_PASSWORD_VARIABLE, environment}),
    ]);
    const path = this.options.loginPath ?? '/login';
    const body = await this.http.get({path,
      basicAuth: {username, password}});
    return parseProviderBody(loginSchema, body,
      {provider: PROVIDER, path}).token;
  }

  private logWarnings(zone: string, meta: WattTimeMeta): void {
    if (!meta.warnings || meta.warnings.length === 0) return;
    this.options.logger?.log('WARNING', 'watttime response warnings', {
      provider: PROVIDER, zone, warnings: meta.warnings});
  }
}

// Points in gCO2e/kWh, each as long as the data period (or the spacing).
function pointsOf(
  data: readonly WattTimePoint[],
  meta: WattTimeMeta,
  factor: number,
): IntensityPoint[] {
  const starts = data.map((point) => Date.parse(point.point_time));
  const sortedStarts = [...starts].sort((a, b) => a - b);
  const spacingMs = sortedStarts.length > 1
    ? sortedStarts[1]! - sortedStarts[0]!
    : undefined;
  const durationMs = meta.data_point_period_seconds !== undefined
    ? meta.data_point_period_seconds * 1000
    : spacingMs ?? DEFAULT_POINT_MS;
  return data.map((point, position) => ({
    startMs: starts[position]!,
    durationMs,
    gramsPerKilowattHour: point.value === null || point.value === undefined
      ? null
      : point.value * factor,
  })).sort((a, b) => a.startMs - b.startMs);
}
