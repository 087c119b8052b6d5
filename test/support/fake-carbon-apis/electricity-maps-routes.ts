/**
 * The fake Electricity Maps v3 routes: carbon-intensity latest, history,
 * past-range and forecast, power-breakdown latest and history, and zones,
 * in the documented shapes, behind an `auth-token` check.
 */
import {HOUR_MS, json, syntheticIntensity} from './fake-request.js';
import type {FakeRequest, FakeResponse} from './fake-request.js';

/** What the fake Electricity Maps knows. */
export interface ElectricityMapsState {
  /** The token it accepts. */
  token: string;
  /** Zone to the routes the token may call (`['*']` for all). */
  readonly zones: Map<string, string[]>;
  /** `lat,lon` to the zone it lies in. */
  readonly coordinates: Map<string, string>;
}

const DIRECT_SHARE = 0.8;

/** The answer of one Electricity Maps route, or undefined if not one. */
export function electricityMapsRoute(
  request: FakeRequest,
  state: ElectricityMapsState,
  nowMs: number,
): FakeResponse | undefined {
  if (!request.path.startsWith('/v3/carbon-intensity') &&
    !request.path.startsWith('/v3/power-breakdown') &&
    request.path !== '/v3/zones') {
    return undefined;
  }
  if (request.headers['auth-token'] !== state.token) {
    return json({status: 'error', message: 'invalid auth-token'}, 401);
  }
  if (request.path === '/v3/zones') {
    return json(Object.fromEntries([...state.zones].map(([zone, access]) =>
      [zone, {zoneName: `Zone ${zone}`, access}])));
  }

  // The zone named, or the zone of the coordinates; never a guess.
  const zone = zoneOf(request, state);
  if (zone === undefined) {
    return json({status: 'error',
      message: 'zone or lat/lon is required'}, 400);
  }
  const access = state.zones.get(zone);
  if (!access) {
    return json({status: 'error',
      message: `Zone '${zone}' does not exist`}, 400);
  }
  const route = request.path.slice('/v3/'.length);
  if (!access.includes('*') && !access.includes(route)) {
    return json({status: 'error',
      message: `this token may not read ${route} in ${zone}`}, 401);
  }

  const type = request.query.get('emissionFactorType') ?? 'lifecycle';
  const measuredOnly = request.query.get('disableEstimations') === 'true';
  const hourMs = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const entry = (startMs: number) => ({
    zone,
    carbonIntensity: Math.round(syntheticIntensity(zone, startMs) *
      (type === 'direct' ? DIRECT_SHARE : 1)),
    datetime: new Date(startMs).toISOString(),
    updatedAt: new Date(nowMs).toISOString(),
    createdAt: new Date(startMs).toISOString(),
    emissionFactorType: type,
    isEstimated: !measuredOnly && startMs === hourMs,
    estimationMethod: !measuredOnly && startMs === hourMs
      ? 'TIME_SLICER_AVERAGE'
      : null,
    temporalGranularity: 'hourly',
  });
  const lastDay = Array.from({length: 24},
    (_, position) => hourMs - (23 - position) * HOUR_MS);

  switch (route) {
    case 'carbon-intensity/latest':
      return json(entry(hourMs));
    case 'carbon-intensity/history':
      return json({zone, history: lastDay.map(entry)});
    case 'carbon-intensity/past-range': {
      const startMs = Date.parse(request.query.get('start') ?? '');
      const endMs = Date.parse(request.query.get('end') ?? '');
      if (Number.isNaN(startMs) || Number.isNaN(endMs)) {
        return json({status: 'error', message: 'start and end needed'}, 400);
      }
      const data = [];
      for (let instantMs = Math.ceil(startMs / HOUR_MS) * HOUR_MS;
        instantMs < endMs; instantMs += HOUR_MS) {
        data.push(entry(instantMs));
      }
      return json({zone, data});
    }
    case 'carbon-intensity/forecast': {
      const horizonHours = Number(request.query.get('horizonHours') ?? 24);
      return json({
        zone,
        forecast: Array.from({length: horizonHours + 1}, (_, position) => {
          const startMs = hourMs + position * HOUR_MS;
          return {carbonIntensity: entry(startMs).carbonIntensity,
            datetime: new Date(startMs).toISOString()};
        }),
        updatedAt: new Date(hourMs - 10 * 60_000).toISOString(),
      });
    }
    case 'power-breakdown/latest':
      return json(breakdown(zone, hourMs));
    case 'power-breakdown/history':
      return json({zone, history: lastDay.map((startMs) =>
        breakdown(zone, startMs))});
    default:
      return json({status: 'error', message: `no route ${route}`}, 404);
  }
}

function zoneOf(
  request: FakeRequest,
  state: ElectricityMapsState,
): string | undefined {
  const zone = request.query.get('zone');
  if (zone) return zone;
  const latitude = request.query.get('lat');
  const longitude = request.query.get('lon');
  if (latitude === null || longitude === null) return undefined;
  return state.coordinates.get(`${latitude},${longitude}`) ?? 'UNKNOWN';
}

function breakdown(zone: string, startMs: number) {
  const mix = {nuclear: 3900, wind: 1200, solar: 0, gas: 2100, hydro: 80,
    biomass: 300, coal: 0, oil: 10, geothermal: 0, unknown: null,
    'hydro discharge': 90, 'battery discharge': 0};
  return {
    zone, datetime: new Date(startMs).toISOString(),
    updatedAt: new Date(startMs).toISOString(),
    createdAt: new Date(startMs).toISOString(),
    powerConsumptionBreakdown: mix, powerProductionBreakdown: mix,
    powerImportBreakdown: {FR: 900}, powerExportBreakdown: {NL: 450},
    fossilFreePercentage: 71, renewablePercentage: 22,
    powerConsumptionTotal: 7630, powerProductionTotal: 7200,
    powerImportTotal: 900, powerExportTotal: 450,
    isEstimated: false, estimationMethod: null,
  };
}
