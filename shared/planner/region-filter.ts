/**
 * Narrows the region catalog to the regions a job may run in, keeping
 * every excluded region with the reason, so a plan can say why not.
 */

/** The region fields the filter reads; the catalog's entries satisfy it. */
export interface FilterableRegion {
  readonly id: string;
  /** ISO 3166-1 alpha-2, e.g. `NL`; null when not published. */
  readonly countryCode: string | null;
  /** Residency groups the region belongs to, e.g. `['EU']`. */
  readonly residencyGroups: readonly string[];
  /** Accelerator types offered, e.g. `NVIDIA_H100_80GB`. */
  readonly accelerators: readonly string[];
  /** Electricity Maps zone, or null when no intensity source maps it. */
  readonly electricityMapsZone: string | null;
}

/** What a job demands of a region; absent fields demand nothing. */
export interface RegionConstraints {
  /** Only these region ids, when given. */
  readonly allowList?: readonly string[];
  /** `any`, a residency group (`EU`, `US`) or a country code, each. */
  readonly residency?: readonly string[];
  readonly acceleratorType?: string;
}

export type ExclusionReason =
  | 'not-in-allow-list'
  | 'residency'
  | 'accelerator-unavailable'
  | 'no-intensity-source';

/** A region left out, with a machine reason and a sentence for people. */
export interface ExcludedRegion<Region extends FilterableRegion> {
  readonly region: Region;
  readonly reason: ExclusionReason;
  readonly message: string;
}

export interface RegionFilterResult<Region extends FilterableRegion> {
  readonly eligible: readonly Region[];
  readonly excluded: readonly ExcludedRegion<Region>[];
}

/**
 * Splits regions into eligible and excluded. Checks run in a fixed
 * order (allow-list, residency, accelerator, intensity source) and a
 * region reports the first one it fails. Input order is kept.
 *
 * @param regions - catalog entries, never mutated
 * @param constraints - the job's constraints
 */
export function filterRegions<Region extends FilterableRegion>(
  regions: readonly Region[],
  constraints: RegionConstraints,
): RegionFilterResult<Region> {
  const eligible: Region[] = [];
  const excluded: ExcludedRegion<Region>[] = [];
  for (const region of regions) {
    const exclusion = firstFailure(region, constraints);
    if (exclusion === null) eligible.push(region);
    else excluded.push({region, ...exclusion});
  }
  return {eligible, excluded};
}

type Failure = {reason: ExclusionReason; message: string};

function firstFailure(
  region: FilterableRegion,
  constraints: RegionConstraints,
): Failure | null {
  const {allowList, residency, acceleratorType} = constraints;
  if (allowList !== undefined && !allowList.includes(region.id)) {
    return {reason: 'not-in-allow-list', message:
      `${region.id} is not in the allow-list (${allowList.join(', ')})`};
  }
  if (residency !== undefined && !meetsResidency(region, residency)) {
    return {reason: 'residency', message:
      `${region.id} (${region.countryCode ?? 'country unknown'}, groups ` +
      `${region.residencyGroups.join('/') || 'none'}) is outside the ` +
      `required residency ${residency.join(', ')}`};
  }
  if (acceleratorType !== undefined &&
    !region.accelerators.includes(acceleratorType)) {
    return {reason: 'accelerator-unavailable', message:
      `${region.id} offers no ${acceleratorType}`};
  }
  if (region.electricityMapsZone === null) {
    return {reason: 'no-intensity-source', message:
      `${region.id} has no grid zone mapped, so its intensity is unknown`};
  }
  return null;
}

// Residency entries are alternatives: meeting any one is enough.
function meetsResidency(
  region: FilterableRegion,
  residency: readonly string[],
): boolean {
  return residency.some((entry) => {
    const wanted = entry.toUpperCase();
    return wanted === 'ANY' ||
      region.countryCode?.toUpperCase() === wanted ||
      region.residencyGroups.some((group) => group.toUpperCase() === wanted);
  });
}
