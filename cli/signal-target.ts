/**
 * Which grid a signal command asks about: `--region R` (its zone),
 * `--zone Z`, or `--lat X --lon Y` (the nearest catalog region's zone,
 * said so in the output). Exactly one of the three.
 */
import type {RegionCatalog} from '../shared/catalog/region-catalog.js';
import {nearestRegion} from '../shared/catalog/nearest-region.js';
import type {SignalTarget} from '../shared/signals/fallback-chain.js';
import {CommandOptionError} from './signal-command-options.js';

/** The options naming the target, as commander gives them. */
export interface TargetOptionValues {
  readonly region?: string;
  readonly zone?: string;
  readonly lat?: string;
  readonly lon?: string;
}

/** How a location was mapped onto a region. */
export interface LocationMatch {
  readonly latitude: number;
  readonly longitude: number;
  readonly nearestRegion: string;
  readonly distanceKilometres: number;
  readonly note: string;
}

/** The target, with how it was found. */
export interface ResolvedTarget extends SignalTarget {
  readonly zone: string | null;
  readonly regionId: string | null;
  readonly location?: LocationMatch;
}

/**
 * Resolves the target options.
 *
 * @throws CommandOptionError unless exactly one way is given
 * @throws UnknownRegionError for a region the catalog does not list
 */
export function resolveTarget(
  values: TargetOptionValues,
  catalog: RegionCatalog,
): ResolvedTarget {
  const hasLocation = values.lat !== undefined || values.lon !== undefined;
  const ways = [values.region !== undefined, values.zone !== undefined,
    hasLocation].filter(Boolean).length;
  if (ways !== 1) {
    throw new CommandOptionError(
      'give exactly one of --region R, --zone Z or --lat X --lon Y ' +
        `(${ways === 0 ? 'none was' : 'several were'} given)`);
  }

  if (values.region !== undefined) {
    const region = catalog.require(values.region);
    return {zone: region.electricityMapsZone, regionId: region.id};
  }
  if (values.zone !== undefined) {
    const zone = values.zone.trim();
    if (zone === '') {
      throw new CommandOptionError(
        '--zone: empty; give an Electricity Maps zone key, e.g. DE');
    }
    return {zone, regionId: null};
  }
  return locationTarget(values, catalog);
}

function locationTarget(
  values: TargetOptionValues,
  catalog: RegionCatalog,
): ResolvedTarget {
  const latitude = readDegrees('--lat', values.lat);
  const longitude = readDegrees('--lon', values.lon);
  const nearest = nearestRegion(catalog.regions, latitude, longitude);
  if (!nearest) {
    throw new CommandOptionError(
      '--lat/--lon: no catalog region has coordinates to compare with');
  }
  const region = nearest.region;
  const distanceKilometres = Math.round(nearest.distanceKilometres);
  return {
    zone: region.electricityMapsZone,
    regionId: region.id,
    location: {
      latitude,
      longitude,
      nearestRegion: region.id,
      distanceKilometres,
      note: `nearest catalog region to ${latitude}, ${longitude} is ` +
        `${region.id} (${region.location ?? 'location unknown'}), ` +
        `${distanceKilometres} km away; using its zone ` +
        `${region.electricityMapsZone ?? '(none)'}`,
    },
  };
}

function readDegrees(field: string, text: string | undefined): number {
  if (text === undefined) {
    throw new CommandOptionError(
      `${field}: missing; --lat and --lon go together, in decimal degrees`);
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    throw new CommandOptionError(
      `${field}: "${text}" is not a number; give decimal degrees, ` +
        'e.g. --lat 50.11 --lon 8.68');
  }
  const most = field === '--lat' ? 90 : 180;
  if (Math.abs(value) > most) {
    throw new CommandOptionError(
      `${field}: ${value} is out of range; give decimal degrees from ` +
        `-${most} to ${most}, e.g. --lat 50.11 --lon 8.68`);
  }
  return value;
}
