/**
 * The capacity check of optimize-slot: before a region is chosen, the
 * project's accelerator quota in each region the forecasts cover is read
 * (the Cloud Quotas API in the cloud, a file locally), and a region whose
 * limit is below the job's need is left out with the reason, in the
 * wording of `carbon-scheduler plan --quotas`.
 *
 * A limit that cannot be read (none published, or the checker failed)
 * keeps the region, as the CLI does: a launch there still fails over to
 * the next region on a quota error. The plan's "why" names such regions
 * and a WARNING is logged, so the gap is never silent.
 */
import {SchedulerError} from '../../shared/errors.js';
import type {
  ExcludedRegionRecord,
  ForecastBundle,
} from '../../shared/jobs/forecast-bundle.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {QuotaChecker} from '../../shared/ports/quota-checker.js';
import {
  filterRegionsByQuota,
  NO_GPU_QUOTA,
} from '../../shared/quotas/quota-filter.js';
import type {JobRequest} from '../../shared/schemas/job-request.js';


/** A region kept although its quota could not be read, and why. */
export interface QuotaUnknownRegion {
  readonly regionId: string;
  readonly message: string;
}

/** The forecasts narrowed to the regions with room for the job. */
export interface QuotaNarrowing {
  /** The bundle's regions with quota (or an unknown one); the rest added
   * to its `excluded` with {@link NO_GPU_QUOTA}. */
  readonly bundle: ForecastBundle;
  readonly unknown: readonly QuotaUnknownRegion[];
}

/** Who asks, for the log entries. */
export interface QuotaCheckContext {
  readonly jobId: string;
  readonly requestId: string;
}

/**
 * Leaves out the bundle's regions without GPU quota for the job. Without
 * a checker the bundle is returned as it is.
 *
 * @throws SchedulerError no-feasible-plan when quota leaves out every
 *   region that had forecasts, naming each region and its limit
 */
export async function keepRegionsWithQuota(
  bundle: ForecastBundle,
  job: Pick<JobRequest, 'hardware' | 'homeRegion'>,
  quotas: QuotaChecker | undefined,
  logger: Logger,
  context: QuotaCheckContext,
): Promise<QuotaNarrowing> {
  if (quotas === undefined || bundle.regions.length === 0) {
    return {bundle, unknown: []};
  }

  // Step 1: ask the checker for each region, through the shared filter.
  const need = {
    acceleratorType: job.hardware.acceleratorType,
    acceleratorCount: job.hardware.acceleratorCount,
  };
  const result = await filterRegionsByQuota(
    bundle.regions.map((region) => region.regionId), need, quotas);
  const excluded: ExcludedRegionRecord[] = result.excluded.map((entry) => ({
    regionId: entry.region,
    reason: NO_GPU_QUOTA,
    message: entry.reason,
  }));
  const unknown = result.unknown.map((entry) => ({
    regionId: entry.region,
    message: entry.reason,
  }));

  // Step 2: say what was left out, and where the quota is not known.
  if (excluded.length > 0) {
    logger.log('INFO', 'regions without GPU quota excluded', {
      ...context, ...need,
      excluded: excluded.map(({regionId, message}) => ({regionId, message})),
    });
  }
  if (unknown.length > 0) {
    logger.log('WARNING', 'GPU quota unknown; regions kept', {
      ...context, ...need, unknown,
    });
  }

  // Step 3: no region left is a plan that cannot be made, with why.
  if (result.kept.length === 0) {
    throw new SchedulerError('no-feasible-plan',
      `job ${context.jobId} has no region with GPU quota for ` +
        `${need.acceleratorCount} x ${need.acceleratorType}: ` +
        excluded.map((entry) => entry.message).join('; '));
  }
  // A home left out still prices the counterfactual.
  const kept = new Set(result.kept);
  const home = bundle.home ?? bundle.regions.find((region) =>
    region.regionId === job.homeRegion && !kept.has(region.regionId));
  return {
    bundle: {
      ...bundle,
      regions: bundle.regions.filter((region) => kept.has(region.regionId)),
      excluded: [...bundle.excluded, ...excluded],
      ...(home === undefined ? {} : {home}),
    },
    unknown,
  };
}

/** The sentence the plan's "why" gains for regions of unknown quota. */
export function quotaUnknownNote(
  unknown: readonly QuotaUnknownRegion[],
): string | null {
  if (unknown.length === 0) return null;
  return 'quota unknown, region kept: ' + unknown
    .map((entry) => `${entry.regionId} (${entry.message})`).join(', ');
}
