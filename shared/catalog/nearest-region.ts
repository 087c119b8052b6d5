/**
 * The catalog region nearest to a point, by great-circle distance, for
 * callers that know a location rather than a region or grid zone.
 */
import {SchedulerError} from '../errors.js';
import type {Region} from './region.js';

const EARTH_RADIUS_KILOMETRES = 6371.0088;

/** A latitude or longitude outside its range, or not a number. */
export class InvalidCoordinatesError extends SchedulerError {
  constructor(field: 'latitude' | 'longitude', value: number) {
    const range = field === 'latitude' ? '-90..90' : '-180..180';
    super('invalid-coordinates',
      `${field} is ${value}; give decimal degrees in ${range}`);
  }
}

/** The nearest region and how far it is. */
export interface NearestRegion {
  readonly region: Region;
  readonly distanceKilometres: number;
}

/**
 * The nearest region with known coordinates, optionally among those a
 * predicate admits (e.g. regions with a grid zone).
 *
 * @returns undefined when no region qualifies
 * @throws InvalidCoordinatesError for a point off the globe
 */
export function nearestRegion(
  regions: readonly Region[],
  latitude: number,
  longitude: number,
  admits: (region: Region) => boolean = () => true,
): NearestRegion | undefined {
  if (!(Math.abs(latitude) <= 90)) {
    throw new InvalidCoordinatesError('latitude', latitude);
  }
  if (!(Math.abs(longitude) <= 180)) {
    throw new InvalidCoordinatesError('longitude', longitude);
  }

  let best: NearestRegion | undefined;
  for (const region of regions) {
    if (region.latitude === null || region.longitude === null) continue;
    if (!admits(region)) continue;
    const distanceKilometres = greatCircleKilometres(latitude, longitude,
      region.latitude, region.longitude);
    if (!best || distanceKilometres < best.distanceKilometres) {
      best = {region, distanceKilometres};
    }
  }
  return best;
}

// Haversine distance between two points given in degrees.
function greatCircleKilometres(
  fromLatitude: number,
  fromLongitude: number,
  toLatitude: number,
  toLongitude: number,
): number {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const latitudeChange = radians(toLatitude - fromLatitude);
  const longitudeChange = radians(toLongitude - fromLongitude);
  const chord = Math.sin(latitudeChange / 2) ** 2 +
    Math.cos(radians(fromLatitude)) * Math.cos(radians(toLatitude)) *
      Math.sin(longitudeChange / 2) ** 2;
  return 2 * EARTH_RADIUS_KILOMETRES *
    Math.asin(Math.min(1, Math.sqrt(chord)));
}
