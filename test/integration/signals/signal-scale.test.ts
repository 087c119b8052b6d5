import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {withSignalCache} from
  '../../../adapters/signals/cache/cached-provider.js';
import {createElectricityMapsProvider} from
  '../../../adapters/signals/electricity-maps/electricity-maps-provider.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {
  FAKE_ELECTRICITY_MAPS_TOKEN,
  startFakeCarbonApis,
} from '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const NOW_MS = Date.parse('2025-03-01T10:20:00Z');
const FORECAST = '/v3/carbon-intensity/forecast';
const ZONES = Array.from({length: 40},
  (_, position) => `Z-${String(position + 1).padStart(2, '0')}`);
const FETCHES = 1_000;

describe('forecast fetches at plan scale', function () {
  this.slow(10_000);
  let fake: FakeCarbonApis;
  let directory: string;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: NOW_MS,
      electricityMapsZones: ZONES});
    directory = await mkdtemp(path.join(tmpdir(), 'signal-scale-'));
  });
  after(async () => {
    await fake.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('makes one forecast call per zone per time-to-live for 1,000 ' +
    'concurrent fetches over 40 zones on a cold cache', async () => {
    const clock = createSteppingClock(NOW_MS);
    const cached = withSignalCache(createElectricityMapsProvider({
      baseUrl: fake.baseUrl, token: FAKE_ELECTRICITY_MAPS_TOKEN, clock}),
    new DirectoryBlobStore(directory), {clock});
    const plan = (position: number) =>
      cached.forecast(ZONES[position % ZONES.length]!, {horizonHours: 72});

    // A cold cache: every zone is fetched once, whatever the concurrency.
    const series = await Promise.all(
      Array.from({length: FETCHES}, (_, position) => plan(position)));
    const calls = fake.callCount(FORECAST);

    assert.equal(series.length, FETCHES);
    assert.ok(series.every((entry) => entry.points.length === 72));
    assert.ok(calls <= ZONES.length);
    assert.equal(calls, fake.zonesCalled(FORECAST).size);
    assert.equal(calls, ZONES.length);

    // Within the time-to-live nothing more; after it, one more per zone.
    await Promise.all(Array.from({length: FETCHES}, (_, p) => plan(p)));
    assert.equal(fake.callCount(FORECAST), ZONES.length);
    clock.set(NOW_MS + 16 * 60_000);
    await Promise.all(Array.from({length: FETCHES}, (_, p) => plan(p)));
    assert.equal(fake.callCount(FORECAST), 2 * ZONES.length);
  });
});
