import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {filterRegions} from '../../shared/planner/region-filter.js';
import {SchedulerError} from '../../shared/errors.js';
import {
  jobKeys,
  type JobSnapshot,
} from '../../shared/jobs/job-snapshot.js';
import type {
  ExcludedRegionRecord,
  ForecastBundle,
  RegionForecast,
} from '../../shared/jobs/forecast-bundle.js';
import {readJson} from '../../shared/ports/blob-store.js';
import type {
  CarbonSignalProvider,
} from '../../shared/signals/carbon-signal-provider.js';
import {FallbackChain} from '../../shared/signals/fallback-chain.js';
import type {JobRequest} from '../../shared/schemas/job-request.js';
import type {Envelope} from '../../shared/messaging/envelope.js';
import type {SchedulerDependencies} from '../dependencies.js';

/** How far ahead the planner looks (Electricity Maps' longest horizon). */
const FORECAST_HORIZON_HOURS = 72;

/**
 * fetch-forecasts: for a plan request, narrow the catalog to the regions
 * the job may use (each excluded region kept with its reason), fetch a
 * forecast for each, store the bundle and hand it to optimize-slot by
 * pointer on `forecasts-ready`. optimize-slot answers the workflow.
 */
export function createFetchForecasts(dependencies: SchedulerDependencies) {
  return createStepHandler('fetch-forecasts', dependencies, async (envelope) => {
    const job = await loadJobRequest(dependencies, envelope.jobId);
    const bundle = await fetchBundle(dependencies, job, envelope);
    const pointer = jobKeys.forecasts(envelope.jobId, envelope.sequence);
    await dependencies.blobs.write(pointer, JSON.stringify(bundle));
    dependencies.logger.log('INFO', 'forecasts fetched', {
      jobId: envelope.jobId,
      requestId: envelope.requestId,
      regions: bundle.regions.map((region) => region.regionId),
      excluded: bundle.excluded.length,
      progress: true,
    });
    await dependencies.publisher.publish(
      'forecasts-ready',
      {...envelope, payload: {...envelope.payload, forecastsPointer: pointer}},
      {jobId: envelope.jobId, step: envelope.step, requestId: envelope.requestId},
    );
    return {kind: 'forwarded'};
  });
}

/** Reads the validated request ingest-job stored for `jobId`. */
export async function loadJobRequest(
  dependencies: Pick<SchedulerDependencies, 'blobs'>,
  jobId: string,
): Promise<JobRequest & {jobId: string}> {
  const job = await readJson<JobRequest & {jobId: string}>(
    dependencies.blobs,
    jobKeys.request(jobId),
  );
  if (!job) {
    throw new SchedulerError(
      'unknown-job',
      `job ${jobId} has no stored request; submit it to job-requests first`,
    );
  }
  return job;
}

/** Reads a job's snapshot, which ingest-job always writes. */
export async function loadSnapshot(
  dependencies: Pick<SchedulerDependencies, 'blobs'>,
  jobId: string,
): Promise<JobSnapshot> {
  const snapshot = await readJson<JobSnapshot>(
    dependencies.blobs,
    jobKeys.snapshot(jobId),
  );
  if (!snapshot) {
    throw new SchedulerError('unknown-job', `job ${jobId} has no snapshot`);
  }
  return snapshot;
}

/**
 * The bundle for one plan request: the regions the job may use with a
 * forecast each, those left out with why, and home's forecast for the
 * counterfactual when home is left out.
 */
export async function fetchBundle(
  dependencies: Pick<SchedulerDependencies, 'catalog' | 'signals' |
    'clock' | 'settings' | 'logger'>,
  job: JobRequest,
  envelope: Envelope,
): Promise<ForecastBundle> {
  const {catalog, signals, clock} = dependencies;

  // Filter first, keeping each region left out with its reason: the
  // deployment's own limits, then the job's constraints.
  const {trainingRegionIds, deploymentResidency} = dependencies.settings;
  const deployment = filterRegions(catalog.regions, {
    ...(trainingRegionIds ? {allowList: trainingRegionIds} : {}),
    ...(deploymentResidency ? {residency: deploymentResidency} : {}),
  });
  const filtered = filterRegions(deployment.eligible, {
    allowList: job.constraints.regions,
    residency: job.constraints.residency,
    acceleratorType: job.hardware.acceleratorType,
  });
  const excluded: ExcludedRegionRecord[] = [
    ...deployment.excluded.map((entry) => ({
      regionId: entry.region.id,
      reason: entry.reason,
      message: `${entry.message} (this deployment's TRAINING_REGIONS or ` +
        'RESIDENCY)',
    })),
    ...filtered.excluded.map((entry) => ({
      regionId: entry.region.id,
      reason: entry.reason,
      message: entry.message,
    })),
  ];

  // One forecast per remaining region; a region without data is excluded.
  const regions: RegionForecast[] = [];
  for (const region of filtered.eligible) {
    const zone = region.electricityMapsZone!;
    try {
      const served = await forecastServed(signals, zone, region.id);
      regions.push({
        regionId: region.id,
        zone,
        powerUsageEffectiveness: region.powerUsageEffectiveness.value,
        ...served,
      });
    } catch (error) {
      if (!(error instanceof SchedulerError) || error.retryable) throw error;
      excluded.push({
        regionId: region.id,
        reason: error.code,
        message: error.message,
      });
    }
  }
  // Home left out still prices the counterfactual.
  const home = regions.some((region) => region.regionId === job.homeRegion) ?
    undefined : await homeForecast(dependencies, job, envelope);
  return {
    jobId: envelope.jobId,
    requestId: envelope.requestId,
    issuedAtMs: clock.nowMs(),
    provider: signals.name,
    regions,
    excluded,
    ...(home === undefined ? {} : {home}),
  };
}

// The home region's forecast for the counterfactual only; undefined,
// with a warning, when home has no zone or its forecast fails (the plan
// then reports the counterfactual unknown rather than failing).
async function homeForecast(
  dependencies: Pick<SchedulerDependencies, 'catalog' | 'signals' |
    'logger'>,
  job: JobRequest,
  envelope: Envelope,
): Promise<RegionForecast | undefined> {
  const region = dependencies.catalog.regions.find((candidate) =>
    candidate.id === job.homeRegion);
  const zone = region?.electricityMapsZone ?? null;
  const context = {jobId: envelope.jobId, requestId: envelope.requestId,
    homeRegion: job.homeRegion};
  if (region === undefined || zone === null) {
    dependencies.logger.log('WARNING', 'home region has no carbon zone; ' +
      'counterfactual unknown', context);
    return undefined;
  }
  try {
    const served = await forecastServed(dependencies.signals, zone,
      region.id);
    return {regionId: region.id, zone,
      powerUsageEffectiveness: region.powerUsageEffectiveness.value,
      ...served};
  } catch (error) {
    if (!(error instanceof SchedulerError)) throw error;
    dependencies.logger.log('WARNING', 'home forecast failed; ' +
      'counterfactual unknown', {...context, code: error.code,
      message: error.message});
    return undefined;
  }
}

// A region's forecast and which signal served it: through the chain (per
// zone, the static link per region), else the one provider.
async function forecastServed(
  signals: CarbonSignalProvider,
  zone: string,
  regionId: string,
): Promise<Pick<RegionForecast, 'series' | 'provider' | 'basis' |
  'skipped'>> {
  const options = {horizonHours: FORECAST_HORIZON_HOURS};
  if (signals instanceof FallbackChain) {
    const served = await signals.forecastFor({zone, regionId}, options);
    return {series: served.value, provider: served.provider,
      basis: served.value.basis, skipped: served.skipped};
  }
  const series = await signals.forecast(zone, options);
  return {series, provider: signals.name, basis: series.basis,
    skipped: []};
}
