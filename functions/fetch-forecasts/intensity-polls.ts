import type {CloudEvent} from '@google-cloud/functions-framework';
import {
  decodePubSubEvent,
  type MessagePublishedData,
} from '../../adapters/function-runtime/pubsub-event.js';
import {topicOfEvent} from '../../adapters/function-runtime/event-topic.js';
import {SchedulerError} from '../../shared/errors.js';
import type {LedgerRow} from '../../shared/ledger/schema.js';
import type {LifecycleStarter} from
  '../../shared/ports/lifecycle-starter.js';
import {
  reconcileJobs,
  type ReconcileJobsSummary,
} from '../../shared/reconciliation/reconcile-jobs.js';
import type {IntensityReading} from
  '../../shared/signals/carbon-signal-provider.js';
import type {IntensitySeries} from '../../shared/signals/intensity-series.js';
import type {SchedulerDependencies} from '../dependencies.js';

/** How far ahead the cached forecasts reach. */
const CACHE_HORIZON_HOURS = 72;

/** Where the latest forecast of a zone is cached in the blob store. */
export function forecastCacheKey(zone: string): string {
  return `forecast-cache/${encodeURIComponent(zone)}.json`;
}

/** What one poll did. */
export interface PollSummary {
  readonly zonesRefreshed: string[];
  /** Zones the provider does not serve, or has no data for now. */
  readonly zonesSkipped: {zone: string; code: string}[];
  readonly samplesRecorded: number;
}

/** What reconciliation needs beyond the poll's own dependencies. */
export interface PollReconciliation {
  readonly lifecycle: LifecycleStarter;
  /** The project whose topics an adopting execution publishes to. */
  readonly projectId: string;
  readonly pollSeconds: number;
  /** Left alone while younger than this; ten minutes by default. */
  readonly graceMs?: number;
}

type PollDependencies = Pick<
  SchedulerDependencies,
  'catalog' | 'signals' | 'ledger' | 'blobs' | 'clock' | 'logger'
> & Partial<Pick<SchedulerDependencies, 'training' | 'publisher'>> & {
  /**
   * Absent: the poll only refreshes forecasts, and logs so. The local
   * world and the cloud entry point both pass it.
   */
  readonly reconciliation?: PollReconciliation;
};

/**
 * fetch-forecasts on the scheduled `intensity-polls` message: for every
 * grid zone of the catalog, caches a fresh forecast and records the
 * current reading and the forecast points as intensity samples (their
 * insert ids repeat on a redelivery, so the ledger counts them once). A
 * zone the provider does not serve is skipped and logged; a transient
 * failure of any zone throws after the others are done, so Pub/Sub
 * redelivers the poll. Then it reconciles job snapshots, lifecycle
 * executions and training jobs (see {@link reconcileJobs}), which a
 * failed refresh does not hold up.
 */
export function createIntensityPolls(dependencies: PollDependencies) {
  return async (event: CloudEvent<MessagePublishedData>): Promise<void> => {
    const message = decodePubSubEvent(event);
    let refreshFailure: unknown;
    const summary = await pollAllZones(dependencies).catch((error) => {
      refreshFailure = error;
      return undefined;
    });
    if (summary) {
      dependencies.logger.log('INFO', 'intensity poll done', {
        messageId: message.messageId,
        zonesRefreshed: summary.zonesRefreshed.length,
        zonesSkipped: summary.zonesSkipped,
        samplesRecorded: summary.samplesRecorded,
      });
    }
    const reconciled = await reconcileAfterPoll(dependencies);
    if (reconciled.available) {
      dependencies.logger.log('INFO', 'reconciliation done', {
        messageId: message.messageId,
        actions: reconciled.actions.map((action) => action.kind),
        failures: reconciled.failures.length,
      });
    }
    if (refreshFailure !== undefined) throw refreshFailure;
  };
}

/**
 * Reconciles once with the poll's ports; reports it unavailable when a
 * port or an optional listing method is missing.
 */
export async function reconcileAfterPoll(
  dependencies: PollDependencies,
): Promise<ReconcileJobsSummary> {
  const {training, publisher, reconciliation} = dependencies;
  if (!training || !publisher || !reconciliation) {
    const missing = [
      ...(training ? [] : ['training']),
      ...(publisher ? [] : ['publisher']),
      ...(reconciliation ? [] : ['lifecycle']),
    ];
    dependencies.logger.log('WARNING', 'reconciliation unavailable',
      {missing});
    return {available: false, missing};
  }
  return reconcileJobs({
    blobs: dependencies.blobs,
    clock: dependencies.clock,
    logger: dependencies.logger,
    training,
    publisher,
    ...reconciliation,
  });
}

/**
 * One handler for fetch-forecasts' two topics: the scheduled poll on
 * `intensity-polls`, plan requests on everything else.
 */
export function routeFetchForecasts(
  planRequests: (event: CloudEvent<MessagePublishedData>) => Promise<void>,
  polls: (event: CloudEvent<MessagePublishedData>) => Promise<void>,
): (event: CloudEvent<MessagePublishedData>) => Promise<void> {
  return (event) =>
    topicOfEvent(event) === 'intensity-polls' ? polls(event) :
      planRequests(event);
}

/** Refreshes every catalog zone once; see {@link createIntensityPolls}. */
export async function pollAllZones(
  dependencies: PollDependencies,
): Promise<PollSummary> {
  const {catalog, signals, ledger, blobs, clock} = dependencies;

  // Step 1: the zones, each with the regions it serves.
  const regionsByZone = new Map<string, string[]>();
  for (const region of catalog.regions) {
    const zone = region.electricityMapsZone;
    if (!zone) continue;
    regionsByZone.set(zone, [...(regionsByZone.get(zone) ?? []), region.id]);
  }

  // Step 2: per zone, the reading and forecast, cached and recorded.
  const zonesRefreshed: string[] = [];
  const zonesSkipped: {zone: string; code: string}[] = [];
  const transient: Error[] = [];
  let samplesRecorded = 0;
  for (const [zone, regionIds] of regionsByZone) {
    try {
      const reading = await signals.latest(zone);
      const forecast = await signals.forecast(zone, {
        horizonHours: CACHE_HORIZON_HOURS,
      });
      await blobs.write(forecastCacheKey(zone), JSON.stringify(forecast));
      const rows = sampleRows(reading, forecast, regionIds[0] ?? null,
        clock.nowMs());
      await ledger.append('intensity_samples', rows);
      samplesRecorded += rows.length;
      zonesRefreshed.push(zone);
    } catch (error) {
      if (error instanceof SchedulerError && !error.retryable) {
        zonesSkipped.push({zone, code: error.code});
      } else {
        transient.push(error as Error);
      }
    }
  }

  // Step 3: a transient failure anywhere asks for the poll again.
  if (transient.length > 0) {
    throw new SchedulerError(
      'intensity-poll-incomplete',
      `${transient.length} zone(s) failed transiently, first: ` +
        transient[0]!.message,
      {retryable: true, cause: transient[0]},
    );
  }
  return {zonesRefreshed, zonesSkipped, samplesRecorded};
}

function sampleRows(
  reading: IntensityReading,
  forecast: IntensitySeries,
  regionId: string | null,
  recordedAtMs: number,
): LedgerRow<'intensity_samples'>[] {
  const row = (
    kind: string,
    source: string,
    startMs: number,
    durationMs: number,
    gramsPerKilowattHour: number | null,
  ): LedgerRow<'intensity_samples'> => ({
    insert_id: `${source}:${reading.zone}:${kind}:${startMs}`,
    job_id: null,
    project_id: null,
    region: regionId,
    zone: reading.zone,
    source,
    basis: reading.basis,
    kind,
    start_time: new Date(startMs).toISOString(),
    duration_seconds: Math.round(durationMs / 1000),
    gco2e_per_kwh: gramsPerKilowattHour,
    recorded_at: new Date(recordedAtMs).toISOString(),
  });
  return [
    row(reading.kind, reading.source, reading.startMs, reading.durationMs,
      reading.gramsPerKilowattHour),
    ...forecast.points.map((point) => row('forecast', forecast.source,
      point.startMs, point.durationMs, point.gramsPerKilowattHour)),
  ];
}
