/**
 * The fake UK Carbon Intensity routes: `/intensity` (the last completed
 * half hour, as the real API answers), `/intensity/{from}/fw24h|fw48h`,
 * `/intensity/{from}/{to}` and their `/regional/.../regionid/{id}`
 * twins, with `from`/`to` stamped to the minute (`2025-02-03T08:00Z`).
 */
import {json, syntheticIntensity} from './fake-request.js';
import type {FakeRequest, FakeResponse} from './fake-request.js';

const HALF_HOUR_MS = 30 * 60_000;
const REGION_SUFFIX = String.raw`(\/regionid\/(\d+))?$`;
const FORWARD = new RegExp(
  String.raw`^\/(regional\/)?intensity\/([^/]+)\/fw(24|48)h` + REGION_SUFFIX);
const RANGE = new RegExp(
  String.raw`^\/(regional\/)?intensity\/([^/]+)\/([^/]+?)` + REGION_SUFFIX);
const REGION_NOW = /^\/regional\/regionid\/(\d+)$/;

/** The answer of one UK Carbon Intensity route, or undefined if not one. */
export function ukCarbonIntensityRoute(
  request: FakeRequest,
  nowMs: number,
): FakeResponse | undefined {
  const path = request.path;
  const currentStartMs = Math.floor(nowMs / HALF_HOUR_MS) * HALF_HOUR_MS;
  if (path === '/intensity') {
    return json({data: [period('GB', currentStartMs - HALF_HOUR_MS, nowMs)]});
  }
  const regionNow = REGION_NOW.exec(path);
  if (regionNow) {
    return regional(Number(regionNow[1]), [currentStartMs], nowMs);
  }

  // Forward forecasts, then ranges.
  const forward = FORWARD.exec(path);
  const range = forward ? null : RANGE.exec(path);
  const match = forward ?? range;
  if (!match) return undefined;
  const fromMs = Date.parse(match[2] ?? '');
  const toMs = forward
    ? fromMs + Number(forward[3]) * 2 * HALF_HOUR_MS
    : Date.parse(match[3] ?? '');
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) {
    return json({error: {code: '400 Bad Request',
      message: 'Please enter a valid ISO 8601 datetime'}}, 400);
  }
  const starts = [];
  for (let startMs = Math.floor(fromMs / HALF_HOUR_MS) * HALF_HOUR_MS;
    startMs < toMs; startMs += HALF_HOUR_MS) {
    starts.push(startMs);
  }
  const regionId = match[5];
  if (match[1] && regionId !== undefined) {
    return regional(Number(regionId), starts, nowMs);
  }
  return json({data: starts.map((startMs) => period('GB', startMs, nowMs))});
}

function regional(
  regionId: number,
  starts: readonly number[],
  nowMs: number,
): FakeResponse {
  if (!(regionId >= 1 && regionId <= 18)) {
    return json({error: {code: '400 Bad Request',
      message: 'Please enter a valid region id'}}, 400);
  }
  const zone = `GB-region-${regionId}`;
  return json({data: [{regionid: regionId, dnoregion: `DNO ${regionId}`,
    shortname: `Region ${regionId}`,
    data: starts.map((startMs) => {
      const {intensity, ...rest} = period(zone, startMs, nowMs);
      return {...rest, intensity: {forecast: intensity.forecast,
        index: intensity.index},
      generationmix: [{fuel: 'gas', perc: 31.2}, {fuel: 'wind', perc: 40.1}]};
    })}]});
}

function period(zone: string, startMs: number, nowMs: number) {
  const endMs = startMs + HALF_HOUR_MS;
  const forecast = syntheticIntensity(zone, startMs);
  return {
    from: minuteText(startMs),
    to: minuteText(endMs),
    intensity: {forecast, actual: endMs <= nowMs ? forecast - 4 : null,
      index: 'moderate'},
  };
}

function minuteText(instantMs: number): string {
  return new Date(instantMs).toISOString().slice(0, 16) + 'Z';
}
