/**
 * A cache in front of any carbon-signal provider. Each answer is kept in
 * the blob store under (provider, zone, kind, hour) for a time-to-live of
 * its kind, and concurrent misses for one key share a single call to the
 * provider. What is kept is the provider's answer as it was, with its
 * source, basis and estimation flags; failures are never kept.
 */
import type {BlobStore} from '../../../shared/ports/blob-store.js';
import type {Logger} from '../../../shared/ports/logger.js';
import type {
  CarbonSignalProvider,
  ForecastOptions,
  IntensityReading,
  PowerBreakdown,
} from '../../../shared/signals/carbon-signal-provider.js';
import type {IntensitySeries} from
  '../../../shared/signals/intensity-series.js';
import {systemClock} from '../../../shared/time/clock.js';
import type {Clock} from '../../../shared/time/clock.js';
import {HOUR_MS} from '../provider-readings.js';

/** What a cached answer was. */
export type SignalCacheKind =
  | 'latest'
  | 'history'
  | 'forecast'
  | 'power-breakdown';

/**
 * Time-to-live per kind: readings of now and forecasts go stale fast
 * (forecasts are reissued during the hour); history changes only by
 * revision, which UK Carbon Intensity makes within a day, so it is kept
 * an hour and never longer than the hour key.
 */
export const DEFAULT_SIGNAL_CACHE_TTL_MS: Readonly<
  Record<SignalCacheKind, number>
> = {
  'latest': 5 * 60_000,
  'power-breakdown': 5 * 60_000,
  'forecast': 15 * 60_000,
  'history': HOUR_MS,
};

/** Options of {@link withSignalCache}. */
export interface SignalCacheOptions {
  /** Reads now for keys and ages; the wall clock by default. */
  readonly clock?: Clock;
  readonly ttlMsByKind?: Partial<Record<SignalCacheKind, number>>;
  /** Blob key prefix; default `signal-cache`. */
  readonly keyPrefix?: string;
  readonly logger?: Logger;
}

// The stored form of one answer.
interface CacheEntry {
  readonly storedAtMs: number;
  readonly value: unknown;
}

/**
 * The provider with every answer cached.
 *
 * @param provider - any provider; its `name` goes into every key
 * @param blobStore - GCS in the cloud, a directory locally
 */
export function withSignalCache(
  provider: CarbonSignalProvider,
  blobStore: BlobStore,
  options: SignalCacheOptions = {},
): CarbonSignalProvider {
  const clock = options.clock ?? systemClock;
  const ttlMsByKind = {...DEFAULT_SIGNAL_CACHE_TTL_MS, ...options.ttlMsByKind};
  const prefix = options.keyPrefix ?? 'signal-cache';
  // TODO(signals): single-flight holds within one process; instances
  // sharing a bucket may each fetch a key once. A lease record through
  // createIfAbsent would close that, once fetch-forecasts scales out.
  const inFlight = new Map<string, Promise<unknown>>();

  // The key of one answer: provider, zone, kind, the hour of now, details.
  const keyOf = (zone: string, kind: SignalCacheKind, detail?: string) => {
    const hour = new Date(Math.floor(clock.nowMs() / HOUR_MS) * HOUR_MS)
      .toISOString().slice(0, 13) + 'h';
    return [prefix, keyPart(provider.name), keyPart(zone), kind,
      detail === undefined ? hour : `${hour}-${keyPart(detail)}`]
      .join('/') + '.json';
  };

  // A fresh stored answer, or one call shared by every concurrent miss.
  const cached = <Value>(
    zone: string,
    kind: SignalCacheKind,
    detail: string | undefined,
    fetch: () => Promise<Value>,
  ): Promise<Value> => {
    const key = keyOf(zone, kind, detail);
    const running = inFlight.get(key);
    if (running) return running as Promise<Value>;
    const call = (async () => {
      const stored = await readEntry(key);
      if (stored && clock.nowMs() - stored.storedAtMs < ttlMsByKind[kind]) {
        return stored.value as Value;
      }
      const value = await fetch();
      await writeEntry(key, {storedAtMs: clock.nowMs(), value});
      return value;
    })();
    inFlight.set(key, call);
    const forget = () => inFlight.delete(key);
    call.then(forget, forget);
    return call;
  };

  // A damaged or unreadable entry is a miss, said so in the log.
  const readEntry = async (key: string): Promise<CacheEntry | undefined> => {
    try {
      const bytes = await blobStore.read(key);
      if (bytes === undefined) return undefined;
      const entry = JSON.parse(bytes.toString()) as CacheEntry;
      return typeof entry.storedAtMs === 'number' ? entry : undefined;
    } catch (error) {
      options.logger?.log('WARNING', 'signal cache entry unreadable', {
        key, error: String(error)});
      return undefined;
    }
  };

  // A failed write loses only the saving, never the answer.
  const writeEntry = async (key: string, entry: CacheEntry) => {
    try {
      await blobStore.write(key, JSON.stringify(entry));
    } catch (error) {
      options.logger?.log('WARNING', 'signal cache write failed', {
        key, error: String(error)});
    }
  };

  const decorated: CarbonSignalProvider = {
    name: provider.name,
    latest: (zone): Promise<IntensityReading> => cached(zone, 'latest',
      undefined, () => provider.latest(zone)),
    history: (zone, fromMs, toMs): Promise<IntensitySeries> => cached(zone,
      'history', `${fromMs}-${toMs}`,
      () => provider.history(zone, fromMs, toMs)),
    forecast: (zone, forecastOptions: ForecastOptions = {}):
      Promise<IntensitySeries> => cached(zone, 'forecast',
      `h${forecastOptions.horizonHours ?? 'default'}`,
      () => provider.forecast(zone, forecastOptions)),
  };
  const breakdown = provider.powerBreakdown?.bind(provider);
  if (breakdown) {
    return {...decorated,
      powerBreakdown: (zone): Promise<PowerBreakdown> => cached(zone,
        'power-breakdown', undefined, () => breakdown(zone))};
  }
  return decorated;
}

// A key segment that cannot climb out of its folder or split in two.
function keyPart(text: string): string {
  return encodeURIComponent(text).replace(/\./g, '%2E');
}
