/**
 * A provider's access list, asked at first use and again once a day, and
 * kept in the blob store so that every process sharing the store asks
 * once a day too. Concurrent callers share one request. An access the
 * provider could not report is never stored and is asked again soon; the
 * last known list, however old, is used meanwhile.
 */
import {createHash} from 'node:crypto';

import type {BlobStore} from '../../../shared/ports/blob-store.js';
import type {Logger} from '../../../shared/ports/logger.js';
import type {
  AccessReportingProvider,
  AccessSource,
  ProviderAccess,
} from '../../../shared/signals/provider-access.js';
import {systemClock} from '../../../shared/time/clock.js';
import type {Clock} from '../../../shared/time/clock.js';

/** How long an access list holds: a day. */
export const ACCESS_TIME_TO_LIVE_MS = 24 * 3_600_000;
/** How soon an access the provider could not report is asked again. */
export const UNKNOWN_ACCESS_RETRY_MS = 15 * 60_000;

/** Options of {@link createAccessCache}. */
export interface AccessCacheOptions {
  /** Where the list is kept; without one it is kept in memory only. */
  readonly blobStore?: BlobStore;
  /** The wall clock by default: access is about the credentials now. */
  readonly clock?: Clock;
  readonly timeToLiveMs?: number;
  /** Blob key prefix; default `provider-access`. */
  readonly keyPrefix?: string;
  readonly logger?: Logger;
}

/**
 * The daily cached access of `provider`.
 *
 * @param provider - one that can report its access
 */
export function createAccessCache(
  provider: AccessReportingProvider,
  options: AccessCacheOptions = {},
): AccessSource {
  const clock = options.clock ?? systemClock;
  const timeToLiveMs = options.timeToLiveMs ?? ACCESS_TIME_TO_LIVE_MS;
  const prefix = options.keyPrefix ?? 'provider-access';
  let held: ProviderAccess | undefined;
  let inFlight: Promise<ProviderAccess> | undefined;

  // An unknown access is kept in memory only, and briefly.
  const fresh = (access: ProviderAccess | undefined) =>
    access !== undefined && clock.nowMs() - access.checkedAtMs <
      (access.status === 'known' ? timeToLiveMs : UNKNOWN_ACCESS_RETRY_MS);

  // The blob key: provider name and a hash of the credentials.
  const keyOf = async () => {
    const fingerprint = provider.credentialFingerprint
      ? await provider.credentialFingerprint()
      : 'default';
    const name = createHash('sha256').update(provider.name).digest('hex')
      .slice(0, 12);
    return `${prefix}/${name}-${fingerprint}.json`;
  };

  // The stored list, the provider's answer, or the last list held.
  const refresh = async (): Promise<ProviderAccess> => {
    const key = options.blobStore ? await keyOf() : undefined;
    if (key !== undefined) {
      const stored = await readStored(key);
      if (fresh(stored)) return stored!;
    }
    const asked = await provider.readAccess();
    if (asked.status === 'unknown' && held?.status === 'known') {
      options.logger?.log('WARNING',
        'provider access unreadable; keeping the last list', {
          provider: provider.name, reason: asked.reason});
      return held;
    }
    if (key !== undefined && asked.status === 'known') {
      await writeStored(key, asked);
    }
    options.logger?.log('INFO', 'provider access read', {
      provider: provider.name, status: asked.status,
      zones: asked.status === 'known'
        ? Object.keys(asked.signalsByZone).length
        : null});
    return asked;
  };

  const readStored = async (key: string) => {
    try {
      const bytes = await options.blobStore!.read(key);
      if (bytes === undefined) return undefined;
      const access = JSON.parse(bytes.toString()) as ProviderAccess;
      return typeof access.checkedAtMs === 'number' ? access : undefined;
    } catch (error) {
      options.logger?.log('WARNING', 'provider access entry unreadable', {
        key, error: String(error)});
      return undefined;
    }
  };

  const writeStored = async (key: string, access: ProviderAccess) => {
    try {
      await options.blobStore!.write(key, JSON.stringify(access));
    } catch (error) {
      options.logger?.log('WARNING', 'provider access write failed', {
        key, error: String(error)});
    }
  };

  return {
    access: async () => {
      if (fresh(held)) return held!;
      inFlight ??= refresh().then((access) => {
        held = access;
        return access;
      }).finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
  };
}
