import type {SchedulerSettings} from '../../functions/dependencies.js';
import type {RegionCatalog} from '../../shared/catalog/region-catalog.js';
import {filterRegions} from '../../shared/planner/region-filter.js';

/**
 * The regions this deployment may train in, where the training backend
 * looks for its labelled jobs: the catalog regions the planner may choose
 * (TRAINING_REGIONS, RESIDENCY, a grid zone, as fetch-forecasts filters
 * them) that offer an accelerator.
 */
export function deploymentTrainingRegionIds(
  catalog: RegionCatalog,
  settings: Pick<SchedulerSettings,
    'trainingRegionIds' | 'deploymentResidency'>,
): string[] {
  const {trainingRegionIds, deploymentResidency} = settings;
  return filterRegions(catalog.regions, {
    ...(trainingRegionIds ? {allowList: trainingRegionIds} : {}),
    ...(deploymentResidency ? {residency: deploymentResidency} : {}),
  }).eligible
    .filter((region) => region.acceleratorOffers.length > 0)
    .map((region) => region.id);
}
