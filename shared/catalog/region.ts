/**
 * One Google Cloud region as the catalog describes it. Every value carries
 * where it came from; a value no source gives is null, never 0.
 */
import type {VertexAcceleratorType} from './accelerator-types.js';

/** Power usage effectiveness: facility energy over IT energy. */
export interface PowerUsageEffectiveness {
  /** The ratio, at least 1. */
  readonly value: number;
  /** `region` when measured for the region, `fleet` for Google's average. */
  readonly scope: 'region' | 'fleet';
  readonly source: string;
}

/** Google's own yearly figures for a region. */
export interface GoogleYearlyFigures {
  readonly year: number;
  /** Share of hours on carbon-free energy, 0..1; null if not published. */
  readonly carbonFreeEnergyFraction: number | null;
  /** Location-based yearly grid average; null if not published. */
  readonly gridGramsPerKilowattHour: number | null;
  readonly source: string;
}

/** An accelerator offered in some of a region's zones. */
export interface AcceleratorOffer {
  readonly type: VertexAcceleratorType;
  /** Zones that list it, sorted. */
  readonly zones: readonly string[];
  /** Machine types or slice names it was seen with, sorted. */
  readonly machineTypes: readonly string[];
  readonly source: string;
}

/** How the UK Carbon Intensity API applies to a region. */
export interface UkCarbonIntensityApplicability {
  /** `national`: the Great Britain figure, not a regional one. */
  readonly scope: 'national';
  readonly areaCode: 'GB';
  readonly source: string;
}

/** The hourly grid signal a region is planned with. */
export interface IntensitySource {
  readonly provider: 'electricitymaps';
  readonly zone: string;
  /** Years of shipped hourly traces for the zone, ascending; may be []. */
  readonly replayYears: readonly number[];
}

/** Why a region is left out of planning. */
export type RegionExclusionReason = 'no-intensity-source';

/** Where each of a region's values came from. */
export interface RegionValueSources {
  readonly location: string | null;
  readonly coordinates: string | null;
  readonly countryCode: string | null;
  readonly electricityMapsZone: string | null;
  readonly alternativeZone: string | null;
  /** How the residency groups were derived. */
  readonly residencyGroups: string;
  /** Where the hourly signal's zone and replay years come from. */
  readonly intensitySource: string | null;
}

/** A Google Cloud region. */
export interface Region {
  /** e.g. `europe-west4`. */
  readonly id: string;
  /** City or area name, e.g. `Eemshaven`; null if not published. */
  readonly location: string | null;
  readonly latitude: number | null;
  readonly longitude: number | null;
  /** ISO 3166 alpha-2; null if not published. */
  readonly countryCode: string | null;
  /** e.g. `['EU', 'NL']`; see residency.ts. */
  readonly residencyGroups: readonly string[];
  /** Electricity Maps zone key, or null when none is known. */
  readonly electricityMapsZone: string | null;
  /** Another zone some source maps the region to, or null. */
  readonly alternativeZone: string | null;
  readonly ukCarbonIntensity: UkCarbonIntensityApplicability | null;
  /** One entry per published year (2019..), ascending. */
  readonly googleYearly: readonly GoogleYearlyFigures[];
  readonly powerUsageEffectiveness: PowerUsageEffectiveness;
  /** Vertex AI accelerator types offered in some zone, sorted. */
  readonly accelerators: readonly VertexAcceleratorType[];
  /** The same, with zones, machine types and source, sorted by type. */
  readonly acceleratorOffers: readonly AcceleratorOffer[];
  /** Extract names with no Vertex AI enum value, e.g. `TPU v5p`. */
  readonly acceleratorsWithoutVertexType: readonly string[];
  readonly intensitySource: IntensitySource | null;
  /** Set exactly when `intensitySource` is null. */
  readonly excludedReason: RegionExclusionReason | null;
  /** Why, in words (from the zone table's note); null when included. */
  readonly excludedDetail: string | null;
  readonly sources: RegionValueSources;
}
