/**
 * A loopback HTTP server that answers as Electricity Maps v3, WattTime v3
 * and the UK Carbon Intensity API do, on a settable "now", with faults
 * tests can program and a count of calls per path and zone.
 */
import {createServer} from 'node:http';
import type {IncomingMessage, ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

import {electricityMapsRoute} from './electricity-maps-routes.js';
import type {ElectricityMapsState} from './electricity-maps-routes.js';
import {faultResponse} from './fake-faults.js';
import type {FaultRule} from './fake-faults.js';
import {json} from './fake-request.js';
import type {FakeRequest, FakeResponse} from './fake-request.js';
import {ukCarbonIntensityRoute} from './uk-carbon-intensity-routes.js';
import {wattTimeRoute} from './watttime-routes.js';
import type {WattTimeState} from './watttime-routes.js';

/** One call the server received. */
export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  /** `zone`, `region` or the path's regionid, where the call names one. */
  readonly zone: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The request body as text; empty for a GET. */
  readonly bodyText: string;
}

/** A fixed answer for a path, replacing the generated one. */
export interface FixedAnswer {
  readonly path: string;
  readonly zone?: string;
  readonly response: FakeResponse;
}

/** The running fake. */
export interface FakeCarbonApis {
  /** `http://127.0.0.1:PORT`, the base URL of all three APIs. */
  readonly baseUrl: string;
  /** The instant the generated data treats as now. */
  nowMs: number;
  readonly electricityMaps: ElectricityMapsState;
  readonly wattTime: WattTimeState;
  readonly calls: RecordedCall[];
  /** Calls to `path` (and about `zone`, when given). */
  callCount(path: string, zone?: string): number;
  /** Distinct zones called on `path`. */
  zonesCalled(path: string): Set<string>;
  /** Applies a fault to the next matching calls. */
  addFault(rule: FaultRule): void;
  /** Answers `path` (for `zone`) with a fixed response from now on. */
  answer(fixed: FixedAnswer): void;
  /** Forgets calls, faults and fixed answers. */
  reset(): void;
  close(): Promise<void>;
}

/** Options of {@link startFakeCarbonApis}. */
export interface FakeCarbonApisOptions {
  readonly nowMs: number;
  /** Electricity Maps zones the token may read everything in. */
  readonly electricityMapsZones?: readonly string[];
  readonly wattTimeRegions?: readonly string[];
}

/** The Electricity Maps token the fake accepts. */
export const FAKE_ELECTRICITY_MAPS_TOKEN = 'em-test-token';
/** The WattTime credentials the fake accepts. */
export const FAKE_WATTTIME_CREDENTIALS = {
  username: 'scheduler', password: 'correct horse'} as const;

/** Starts the fake on a free loopback port. */
export async function startFakeCarbonApis(
  options: FakeCarbonApisOptions,
): Promise<FakeCarbonApis> {
  const faults: {rule: FaultRule; remaining: number}[] = [];
  const fixed: FixedAnswer[] = [];
  const calls: RecordedCall[] = [];
  const electricityMaps: ElectricityMapsState = {
    token: FAKE_ELECTRICITY_MAPS_TOKEN,
    zones: new Map((options.electricityMapsZones ?? ['BE', 'FR', 'GB', 'DE'])
      .map((zone) => [zone, ['*']])),
    coordinates: new Map([['50.85,4.35', 'BE']]),
  };
  const wattTime: WattTimeState = {
    ...FAKE_WATTTIME_CREDENTIALS,
    regions: new Set(options.wattTimeRegions ?? ['CAISO_NORTH', 'PJM_DC']),
    issuedTokens: [], refusedTokens: new Set(), refuseAllTokens: false,
    units: 'lbs_co2_per_mwh',
  };

  // One request: record it, then a fault, a fixed answer or the route.
  const handle = async (request: FakeRequest): Promise<FakeResponse> => {
    const zone = zoneOf(request);
    calls.push({method: request.method, path: request.path, zone,
      query: Object.fromEntries(request.query), headers: request.headers,
      bodyText: request.bodyText});
    const normal = fixed.find((entry) => entry.path === request.path &&
      (entry.zone === undefined || entry.zone === zone))?.response ??
      electricityMapsRoute(request, electricityMaps, fake.nowMs) ??
      wattTimeRoute(request, wattTime, fake.nowMs) ??
      ukCarbonIntensityRoute(request, fake.nowMs) ??
      json({status: 'error', message: `no route ${request.path}`}, 404);
    const active = faults.find((entry) => entry.remaining > 0 &&
      entry.rule.path === request.path &&
      (entry.rule.zone === undefined || entry.rule.zone === zone));
    if (!active) return normal;
    active.remaining -= 1;
    if (active.rule.fault.kind === 'slow') {
      await new Promise((resolve) =>
        setTimeout(resolve, (active.rule.fault as {delayMs: number}).delayMs));
    }
    return faultResponse(active.rule.fault, normal);
  };

  const server = createServer((incoming, outgoing) => {
    void serve(incoming, outgoing, handle);
  });
  await new Promise<void>((resolve) =>
    server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeCarbonApis = {
    baseUrl: `http://127.0.0.1:${port}`,
    nowMs: options.nowMs,
    electricityMaps,
    wattTime,
    calls,
    callCount: (path, zone) => calls.filter((call) => call.path === path &&
      (zone === undefined || call.zone === zone)).length,
    zonesCalled: (path) => new Set(calls
      .filter((call) => call.path === path && call.zone !== undefined)
      .map((call) => call.zone!)),
    addFault: (rule) => faults.push({rule, remaining: rule.times ?? 1}),
    answer: (entry) => fixed.unshift(entry),
    reset: () => {
      calls.length = 0;
      faults.length = 0;
      fixed.length = 0;
    },
    close: () => new Promise((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    }),
  };
  return fake;
}

// Reads the request, asks the handler, writes the answer.
async function serve(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  handle: (request: FakeRequest) => Promise<FakeResponse>,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const url = new URL(incoming.url ?? '/', 'http://fake');
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(incoming.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const response = await handle({method: incoming.method ?? 'GET',
    path: url.pathname, query: url.searchParams, headers,
    bodyText: Buffer.concat(chunks).toString()});
  const text = response.text ?? JSON.stringify(response.body);
  outgoing.writeHead(response.status, {
    'content-type': 'application/json', ...response.headers});
  if (!outgoing.destroyed) outgoing.end(text);
}

function zoneOf(request: FakeRequest): string | undefined {
  const named = request.query.get('zone') ?? request.query.get('region');
  if (named) return named;
  const regionId = /\/regionid\/(\d+)$/.exec(request.path)?.[1];
  if (regionId !== undefined) return `GB-region-${regionId}`;
  if (request.path.startsWith('/intensity')) return 'GB';
  return undefined;
}
