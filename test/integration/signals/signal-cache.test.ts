import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {withSignalCache} from
  '../../../adapters/signals/cache/cached-provider.js';
import {createElectricityMapsProvider} from
  '../../../adapters/signals/electricity-maps/electricity-maps-provider.js';
import {ProviderServerError} from
  '../../../adapters/signals/http/provider-http-errors.js';
import type {EstimatedIntensityReading} from
  '../../../adapters/signals/provider-readings.js';
import {createUkCarbonIntensityProvider} from
'../../../adapters/signals/uk-carbon-intensity/uk-carbon-intensity-provider.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {NoSignalForZoneError} from '../../../shared/signals/signal-errors.js';
import {
  FAKE_ELECTRICITY_MAPS_TOKEN,
  startFakeCarbonApis,
} from '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';
import type {SteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const MINUTE_MS = 60_000;
const NOW_MS = Date.parse('2025-03-01T10:20:00Z');
const FORECAST = '/v3/carbon-intensity/forecast';

describe('signal cache over a provider on loopback', function () {
  let fake: FakeCarbonApis;
  let directory: string;
  let clock: SteppingClock;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: NOW_MS});
  });
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'signal-cache-'));
    clock = createSteppingClock(NOW_MS);
    fake.nowMs = NOW_MS;
  });
  afterEach(async () => {
    fake.reset();
    await rm(directory, {recursive: true, force: true});
  });
  after(() => fake.close());

  function cachedElectricityMaps() {
    const provider = createElectricityMapsProvider({baseUrl: fake.baseUrl,
      token: FAKE_ELECTRICITY_MAPS_TOKEN, clock, random: () => 0,
      retry: {maxAttempts: 1}});
    const store = new DirectoryBlobStore(directory);
    return {provider, store,
      cached: withSignalCache(provider, store, {clock})};
  }

  it('serves a second forecast from the blob store', async () => {
    const {cached} = cachedElectricityMaps();

    const first = await cached.forecast('BE', {horizonHours: 24});
    const second = await cached.forecast('BE', {horizonHours: 24});

    assert.deepEqual(second, first);
    assert.equal(fake.callCount(FORECAST), 1);
  });

  it('shares the stored answer with a new process on the same store',
    async () => {
      await cachedElectricityMaps().cached.latest('BE');
      await cachedElectricityMaps().cached.latest('BE');

      assert.equal(fake.callCount('/v3/carbon-intensity/latest'), 1);
    });

  it('keeps source, basis and estimation in what it stores', async () => {
    const {cached, store} = cachedElectricityMaps();

    await cached.latest('BE');
    const again = await cached.latest('BE') as EstimatedIntensityReading;
    const keys = await store.list('signal-cache/');

    assert.equal(again.source, 'electricity-maps:lifecycle');
    assert.equal(again.basis, 'average-lifecycle');
    assert.equal(again.isEstimated, true);
    assert.deepEqual(keys, [
      'signal-cache/electricity-maps%3Alifecycle/BE/latest/2025-03-01T10h.json',
    ]);
  });

  it('asks again once the forecast time-to-live has passed', async () => {
    const {cached} = cachedElectricityMaps();

    await cached.forecast('BE');
    clock.set(NOW_MS + 14 * MINUTE_MS);
    await cached.forecast('BE');
    clock.set(NOW_MS + 16 * MINUTE_MS);
    await cached.forecast('BE');

    assert.equal(fake.callCount(FORECAST), 2);
  });

  it('keeps history longer than forecasts', async () => {
    const {cached} = cachedElectricityMaps();
    const fromMs = NOW_MS - 3 * 3_600_000;

    await cached.history('BE', fromMs, NOW_MS);
    clock.set(NOW_MS + 30 * MINUTE_MS);
    await cached.history('BE', fromMs, NOW_MS);

    assert.equal(fake.callCount('/v3/carbon-intensity/history'), 1);
  });

  it('refreshes a settled UK value after its time-to-live, so revisions ' +
    'arrive (C04)', async () => {
    const uk = createUkCarbonIntensityProvider({baseUrl: fake.baseUrl,
      clock});
    const cached = withSignalCache(uk, new DirectoryBlobStore(directory),
      {clock, ttlMsByKind: {history: 20 * MINUTE_MS}});
    const rangePath = '/intensity/2025-03-01T09:00Z/2025-03-01T09:30Z';
    const fromMs = Date.parse('2025-03-01T09:00:00Z');
    const toMs = Date.parse('2025-03-01T09:30:00Z');
    const answer = (actual: number) => fake.answer({path: rangePath,
      response: {status: 200, body: {data: [{from: '2025-03-01T09:00Z',
        to: '2025-03-01T09:30Z', intensity: {forecast: 200, actual}}]}}});

    answer(204);
    const first = await cached.history('GB', fromMs, toMs);
    answer(199);
    clock.set(NOW_MS + 25 * MINUTE_MS);
    const revised = await cached.history('GB', fromMs, toMs);

    assert.equal(first.points[0]!.gramsPerKilowattHour, 204);
    assert.equal(revised.points[0]!.gramsPerKilowattHour, 199);
  });

  it('shares one call among concurrent misses for the same key', async () => {
    const {cached} = cachedElectricityMaps();

    const results = await Promise.all(Array.from({length: 50},
      () => cached.forecast('FR')));

    assert.equal(fake.callCount(FORECAST), 1);
    assert.ok(results.every((result) => result === results[0]));
  });

  it('keeps no failure: the next call asks again', async () => {
    fake.addFault({path: FORECAST, fault: {kind: 'status', status: 500}});
    const {cached} = cachedElectricityMaps();

    await assert.rejects(cached.forecast('BE'), ProviderServerError);
    const series = await cached.forecast('BE');

    assert.ok(series.points.length > 0);
    assert.equal(fake.callCount(FORECAST), 2);
  });

  it('passes a zone the provider does not know through as no signal ' +
    '(C33)', async () => {
    const {cached} = cachedElectricityMaps();

    await assert.rejects(cached.forecast('XX-UNMAPPED'),
      NoSignalForZoneError);
  });

  it('treats a damaged entry as a miss', async () => {
    const {cached, store} = cachedElectricityMaps();
    await store.write(
      'signal-cache/electricity-maps%3Alifecycle/BE/latest/2025-03-01T10h.json',
      '{"storedAtMs": 1');

    const reading = await cached.latest('BE');

    assert.equal(reading.zone, 'BE');
    assert.equal(fake.callCount('/v3/carbon-intensity/latest'), 1);
  });

  it('keeps the basis of each provider, so UK and Electricity Maps ' +
    'values for GB never compare silently (C13)', async () => {
    fake.answer({path: FORECAST, zone: 'GB', response: {status: 200, body: {
      zone: 'GB', forecast: [{carbonIntensity: 230,
        datetime: '2025-03-01T10:00:00.000Z'}]}}});
    fake.answer({path: FORECAST, zone: 'BE', response: {status: 200, body: {
      zone: 'BE', forecast: [{carbonIntensity: 170,
        datetime: '2025-03-01T10:00:00.000Z'}]}}});
    fake.answer({path: '/intensity/2025-03-01T10:00Z/fw48h', response: {
      status: 200, body: {data: [{from: '2025-03-01T10:00Z',
        to: '2025-03-01T10:30Z', intensity: {forecast: 150}}]}}});
    const store = new DirectoryBlobStore(directory);
    const {cached: electricityMaps} = cachedElectricityMaps();
    const uk = withSignalCache(createUkCarbonIntensityProvider({
      baseUrl: fake.baseUrl, clock}), store, {clock});

    const gbFromUk = await uk.forecast('GB');
    const gbFromElectricityMaps = await electricityMaps.forecast('GB');
    const belgium = await electricityMaps.forecast('BE');

    assert.equal(gbFromUk.points[0]!.gramsPerKilowattHour, 150);
    assert.equal(gbFromUk.basis, 'average-direct');
    assert.equal(gbFromElectricityMaps.basis, 'average-lifecycle');
    assert.equal(belgium.basis, 'average-lifecycle');
    assert.notEqual(gbFromUk.basis, belgium.basis);
    assert.notEqual(gbFromUk.source, belgium.source);
    // On one basis, BE (170) is cleaner than GB (230).
    assert.ok(belgium.points[0]!.gramsPerKilowattHour! <
      gbFromElectricityMaps.points[0]!.gramsPerKilowattHour!);
  });
});
