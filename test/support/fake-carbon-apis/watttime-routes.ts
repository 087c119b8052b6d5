/**
 * The fake WattTime v3 routes: login by HTTP Basic (tokens `wt-token-1`,
 * `wt-token-2`, ...), forecast, historical, forecast/historical,
 * region-from-loc and my-access, behind a bearer check that tests can
 * make refuse a token (as the real one does after 30 minutes).
 */
import {json, syntheticIntensity} from './fake-request.js';
import type {FakeRequest, FakeResponse} from './fake-request.js';

/** What the fake WattTime knows. */
export interface WattTimeState {
  readonly username: string;
  readonly password: string;
  /** Regions that exist and may be read. */
  readonly regions: Set<string>;
  /** Tokens handed out, oldest first. */
  readonly issuedTokens: string[];
  /** Tokens now refused with 401. */
  readonly refusedTokens: Set<string>;
  /** Refuse every token (a broken account). */
  refuseAllTokens: boolean;
  /** `meta.units` sent; undefined leaves it out. */
  units: string | undefined;
}

const POINT_MS = 5 * 60_000;

/** The answer of one WattTime route, or undefined if not one. */
export function wattTimeRoute(
  request: FakeRequest,
  state: WattTimeState,
  nowMs: number,
): FakeResponse | undefined {
  if (request.path === '/login' || request.path === '/v3/login') {
    const expected = 'Basic ' + Buffer.from(
      `${state.username}:${state.password}`).toString('base64');
    if (request.headers['authorization'] !== expected) {
      return json({error: 'wrong username or password'}, 401);
    }
    const token = `wt-token-${state.issuedTokens.length + 1}`;
    state.issuedTokens.push(token);
    return json({token});
  }
  if (!request.path.startsWith('/v3/')) return undefined;

  // Bearer check.
  const token = (request.headers['authorization'] ?? '')
    .replace(/^Bearer /, '');
  if (!state.issuedTokens.includes(token) || state.refuseAllTokens ||
    state.refusedTokens.has(token)) {
    return json({error: 'token expired or invalid'}, 401);
  }

  if (request.path === '/v3/my-access') {
    return json({signal_types: [{signal_type: 'co2_moer',
      regions: [...state.regions].map((region) => ({region,
        region_full_name: `Region ${region}`,
        data_point_period_seconds: 300}))}]});
  }
  if (request.path === '/v3/region-from-loc') {
    return json({region: [...state.regions][0] ?? 'CAISO_NORTH',
      region_full_name: 'California ISO Northern', signal_type: 'co2_moer'});
  }

  const region = request.query.get('region') ?? '';
  if (!state.regions.has(region)) {
    return json({error: `region ${region} is not valid`}, 400);
  }
  const meta = {region, signal_type: 'co2_moer', model: {date: '2024-10-01'},
    ...(state.units === undefined ? {} : {units: state.units}),
    data_point_period_seconds: 300, generated_at_period_seconds: 300,
    generated_at: new Date(Math.floor(nowMs / POINT_MS) * POINT_MS)
      .toISOString().replace('.000Z', '+00:00'),
    warnings: []};
  const pointsFrom = (startMs: number, count: number) =>
    Array.from({length: count}, (_, position) => {
      const instantMs = startMs + position * POINT_MS;
      return {point_time: new Date(instantMs).toISOString()
        .replace('.000Z', '+00:00'),
      value: 2 * syntheticIntensity(region, instantMs)};
    });
  const nowPointMs = Math.floor(nowMs / POINT_MS) * POINT_MS;

  switch (request.path) {
    case '/v3/forecast': {
      const hours = Number(request.query.get('horizon_hours') ?? 24);
      return json({data: pointsFrom(nowPointMs, hours * 12 || 1), meta});
    }
    case '/v3/historical': {
      const startMs = Date.parse(request.query.get('start') ?? '');
      const endMs = Date.parse(request.query.get('end') ?? '');
      const firstMs = Math.ceil(startMs / POINT_MS) * POINT_MS;
      return json({data: pointsFrom(firstMs,
        Math.max(0, Math.ceil((endMs - firstMs) / POINT_MS))), meta});
    }
    case '/v3/forecast/historical':
      return json({data: [{generated_at: meta.generated_at,
        forecast: pointsFrom(nowPointMs, 12)}], meta});
    default:
      return json({error: `no route ${request.path}`}, 404);
  }
}
