import {TRAINING_CAPACITY_UNAVAILABLE} from '../../adapters/vertex/vertex-errors.js';
import {SchedulerError} from '../../shared/errors.js';
import type {JobSnapshot} from '../../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import type {TrainingSegmentRequest} from '../../shared/ports/training-backend.js';
import type {SchedulerDependencies} from '../dependencies.js';

/**
 * The regions to try, in order: the planned one, then the plan's other
 * regions (each already met the job's constraints) by expected
 * emissions, leaving out those whose catalog entry lacks the accelerator.
 */
export function fallbackRegions(
  plan: StoredPlan,
  plannedRegionId: string,
  acceleratorType: string,
  dependencies: Pick<SchedulerDependencies, 'catalog'>,
): string[] {
  const others = plan.regionsConsidered
    .filter((region) => region.regionId !== plannedRegionId)
    .filter((region) => dependencies.catalog.get(region.regionId)
      ?.accelerators.some((type) => type === acceleratorType) ?? false)
    .sort((a, b) =>
      (a.expectedEmissionsGrams ?? Infinity) -
        (b.expectedEmissionsGrams ?? Infinity) ||
      a.regionId.localeCompare(b.regionId))
    .map((region) => region.regionId);
  return [plannedRegionId, ...others];
}

/**
 * Launches in the planned region and, while a region answers that it has
 * no capacity or quota, in the next region that meets the job's
 * constraints. Each move is kept in the snapshot's decisions with the
 * reason (the caller writes the snapshot).
 *
 * @returns the training job's name and the region it runs in
 * @throws the last capacity error (retryable) when no region can take it
 */
export async function launchWithCapacityFallback(
  dependencies: SchedulerDependencies,
  snapshot: JobSnapshot,
  plan: StoredPlan,
  request: TrainingSegmentRequest,
): Promise<{name: string; regionId: string}> {
  const regions = fallbackRegions(plan, request.regionId,
    request.acceleratorType, dependencies);
  // TODO(launch): a launch retried after it created the job in a later
  // region but before its reply was stored tries the planned region
  // first again; look the segment up in every candidate region first
  // once the training port can find a segment by job id and attempt.
  let lastError: unknown;
  for (const regionId of regions) {
    try {
      const {name} = await dependencies.training.launch(
        {...request, regionId});
      return {name, regionId};
    } catch (error) {
      if (!(error instanceof SchedulerError) ||
          error.code !== TRAINING_CAPACITY_UNAVAILABLE) {
        throw error;
      }
      lastError = error;
      const next = regions[regions.indexOf(regionId) + 1] ?? null;
      snapshot.decisions.push({
        atMs: dependencies.clock.nowMs(),
        decision: 'region-unavailable',
        reason: error.message,
        details: {regionId, segmentIndex: request.segmentIndex,
          nextRegionId: next},
      });
      dependencies.logger.log('WARNING', 'region has no capacity; moving on',
        {jobId: request.jobId, regionId, nextRegionId: next,
          reason: error.message});
    }
  }
  throw lastError;
}
