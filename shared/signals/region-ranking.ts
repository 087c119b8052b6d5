/**
 * Every catalog region's intensity at one instant, ranked on one basis.
 * A region without an intensity source, or whose providers all fail, is
 * listed apart with the reason, never at 0 g; a value on another basis
 * than the rest is listed apart rather than ranked against them.
 */
import type {Region} from '../catalog/region.js';
import {compareBases, partitionByBasis} from
  './basis-comparison.js';
import type {IntensityBasis} from './intensity-series.js';
import {
  NoProviderServedError,
} from './fallback-chain.js';
import type {
  FallbackChain,
  ProviderSkip,
} from './fallback-chain.js';
import {yearlyFigureAt} from './google-yearly-figure.js';
import {STATIC_PROVIDER_NAME} from './static-provider.js';
import {readingDetails} from './reading-details.js';
import type {ReadingDetails} from './reading-details.js';

/** One region with a value. */
export interface RankedRegion {
  rank: number | null;
  readonly region: string;
  readonly location: string | null;
  readonly zone: string | null;
  readonly carbonIntensity: number;
  readonly basis: IntensityBasis;
  readonly provider: string;
  readonly datetime: string;
  readonly isEstimated: boolean | null;
  /** Google's CFE share for the year of the instant, in percent. */
  readonly carbonFreeEnergyPercent: number | null;
  readonly carbonFreeEnergyYear: number | null;
  readonly mix: ReadingDetails['mix'];
  readonly residencyGroups: readonly string[];
  readonly accelerators: readonly string[];
  readonly degraded: boolean;
  readonly skipped: readonly ProviderSkip[];
}

/** One region without a value, and why. */
export interface RegionWithoutData {
  readonly region: string;
  readonly zone: string | null;
  /** `no-intensity-source` (catalog) or `no-data-at-instant`. */
  readonly reason: 'no-intensity-source' | 'no-data-at-instant';
  readonly detail: string;
}

/** The whole table. */
export interface RegionRanking {
  readonly regions: RankedRegion[];
  readonly otherBasis: RankedRegion[];
  readonly withoutData: RegionWithoutData[];
  readonly basisMismatch: boolean;
  readonly rankedBasis: IntensityBasis | null;
  /** True when yearly averages sit beside hourly values. */
  readonly mixesYearlyAndHourly: boolean;
  /** Every provider skip, for the coverage hint. */
  readonly allSkips: readonly ProviderSkip[];
}

/**
 * Asks the chain for every region and ranks the answers.
 *
 * @param rank - sort by intensity (else by region id)
 */
export async function rankRegions(
  regions: readonly Region[],
  chain: FallbackChain,
  atMs: number,
  rank: boolean,
): Promise<RegionRanking> {
  const answered: RankedRegion[] = [];
  const withoutData: RegionWithoutData[] = [];
  const allSkips: ProviderSkip[] = [];

  for (const region of regions) {
    const zone = region.electricityMapsZone;
    if (region.excludedReason !== null) {
      withoutData.push({region: region.id, zone,
        reason: region.excludedReason,
        detail: region.excludedDetail ?? region.excludedReason});
      continue;
    }
    try {
      const served = await chain.latestFor({zone, regionId: region.id});
      allSkips.push(...served.skipped);
      answered.push(rowOf(region, served, atMs));
    } catch (error) {
      if (!(error instanceof NoProviderServedError)) throw error;
      allSkips.push(...error.skipped);
      withoutData.push({region: region.id, zone,
        reason: 'no-data-at-instant', detail: error.message});
    }
  }

  const comparison = compareBases(answered);
  const {comparable, otherBasis} = comparison.referenceBasis === null
    ? {comparable: [], otherBasis: []}
    : partitionByBasis(answered, comparison.referenceBasis);
  const order = rank
    ? (a: RankedRegion, b: RankedRegion) =>
      a.carbonIntensity - b.carbonIntensity ||
        a.region.localeCompare(b.region)
    : (a: RankedRegion, b: RankedRegion) => a.region.localeCompare(b.region);
  comparable.sort(order);
  if (rank) comparable.forEach((row, index) => { row.rank = index + 1; });

  const providers = new Set(answered.map((row) => row.provider));
  return {
    regions: comparable,
    otherBasis: otherBasis.sort(order),
    withoutData,
    basisMismatch: comparison.basisMismatch,
    rankedBasis: comparison.referenceBasis,
    mixesYearlyAndHourly: providers.has(STATIC_PROVIDER_NAME) &&
      providers.size > 1,
    allSkips,
  };
}

function rowOf(
  region: Region,
  served: Awaited<ReturnType<FallbackChain['latestFor']>>,
  atMs: number,
): RankedRegion {
  const reading = served.value;
  const details = readingDetails(reading, served.provider);
  const yearly = yearlyFigureAt(region, atMs);
  const fraction = yearly.figures?.carbonFreeEnergyFraction ?? null;
  return {
    rank: null,
    region: region.id,
    location: region.location,
    zone: region.electricityMapsZone,
    carbonIntensity: reading.gramsPerKilowattHour!,
    basis: reading.basis,
    provider: served.provider,
    datetime: new Date(reading.startMs).toISOString(),
    isEstimated: details.isEstimated,
    carbonFreeEnergyPercent: fraction === null
      ? null
      : Math.round(fraction * 1000) / 10,
    carbonFreeEnergyYear: fraction === null ? null : yearly.figureYear,
    mix: details.mix,
    residencyGroups: region.residencyGroups,
    accelerators: region.accelerators,
    degraded: served.degraded,
    skipped: served.skipped,
  };
}
