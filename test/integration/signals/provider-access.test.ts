import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {fixedClock} from '../../../adapters/signals-wiring/fixed-clock.js';
import {createProviderChain} from
  '../../../adapters/signals-wiring/signal-provider-factory.js';
import type {ProviderContext} from
  '../../../adapters/signals-wiring/signal-provider-factory.js';
import type {ProviderName} from
  '../../../adapters/signals-wiring/provider-names.js';
import {
  FAKE_ELECTRICITY_MAPS_TOKEN,
  FAKE_WATTTIME_CREDENTIALS,
  startFakeCarbonApis,
} from '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {syntheticIntensity} from
  '../../support/fake-carbon-apis/fake-request.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';
import type {SteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const HOUR_MS = 3_600_000;
const NOW_MS = Date.parse('2025-03-01T10:20:00Z');
const LATEST = '/v3/carbon-intensity/latest';
const FORECAST = '/v3/carbon-intensity/forecast';
const ZONES = '/v3/zones';
const BELGIUM = {zone: 'BE', regionId: 'europe-west1'};
const FRANCE = {zone: 'FR', regionId: 'europe-west9'};
const GERMANY = {zone: 'DE', regionId: 'europe-west3'};

describe('provider access over loopback', function () {
  let fake: FakeCarbonApis;
  let directory: string;
  let liveClock: SteppingClock;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: NOW_MS});
  });
  after(async () => {
    await fake.close();
  });
  beforeEach(async () => {
    fake.reset();
    fake.nowMs = NOW_MS;
    liveClock = createSteppingClock(NOW_MS);
    directory = await mkdtemp(path.join(tmpdir(), 'provider-access-'));
    // A free-tier token: one zone readable, the others listed without
    // access.
    fake.electricityMaps.zones.clear();
    fake.electricityMaps.zones.set('BE', ['*']);
    fake.electricityMaps.zones.set('FR', []);
    fake.electricityMaps.zones.set('DE', []);
  });
  afterEach(async () => {
    await rm(directory, {recursive: true, force: true});
  });

  const chainOf = (
    names: ProviderName[] = ['electricitymaps', 'static'],
    overrides: Partial<ProviderContext> = {},
  ) => createProviderChain(names, {
    clock: fixedClock(liveClock.nowMs()),
    liveClock,
    signalCache: new DirectoryBlobStore(directory),
    environment: {
      ELECTRICITY_MAPS_BASE_URL: fake.baseUrl,
      ELECTRICITY_MAPS_TOKEN: FAKE_ELECTRICITY_MAPS_TOKEN,
      WATTTIME_BASE_URL: fake.baseUrl,
      WATTTIME_USERNAME: FAKE_WATTTIME_CREDENTIALS.username,
      WATTTIME_PASSWORD: FAKE_WATTTIME_CREDENTIALS.password,
    },
    ...overrides,
  });

  it('serves the one readable zone from Electricity Maps and the rest ' +
    'from the fallback, skipped as outside-access without a call',
  async () => {
    const chain = await chainOf();

    const belgium = await chain.latestFor(BELGIUM);
    const france = await chain.latestFor(FRANCE);
    const germany = await chain.forecastFor(GERMANY, {horizonHours: 24});

    assert.match(belgium.provider, /^electricity-maps:/);
    assert.equal(belgium.degraded, false);
    for (const served of [france, germany]) {
      assert.match(served.provider, /^static/);
      assert.equal(served.degraded, true);
      assert.equal(served.skipped[0]?.code, 'outside-access');
      assert.match(served.skipped[0]!.reason,
        /may read 1 zone\(s\) \(BE\), not (FR|DE)/);
    }
    assert.equal(fake.callCount(LATEST, 'FR'), 0);
    assert.equal(fake.callCount(FORECAST, 'DE'), 0);
    assert.equal(fake.callCount(LATEST, 'BE'), 1);
    assert.equal(fake.callCount(ZONES), 1);
  });

  it('skips a signal the zone\'s routes do not allow', async () => {
    fake.electricityMaps.zones.set('BE', ['carbon-intensity/latest']);
    const chain = await chainOf();

    const latest = await chain.latestFor(BELGIUM);
    const forecast = await chain.forecastFor(BELGIUM, {horizonHours: 24});

    assert.match(latest.provider, /^electricity-maps:/);
    assert.equal(forecast.skipped[0]?.code, 'outside-access');
    assert.match(forecast.skipped[0]!.reason, /latest in BE, not forecast/);
    assert.equal(fake.callCount(FORECAST), 0);
  });

  it('asks for the access list once a day, across chains sharing the ' +
    'store', async () => {
    const first = await chainOf();
    await Promise.all([first.latestFor(FRANCE), first.latestFor(GERMANY),
      first.latestFor(BELGIUM)]);
    const second = await chainOf();
    await second.latestFor(FRANCE);
    assert.equal(fake.callCount(ZONES), 1);

    liveClock.set(NOW_MS + 23 * HOUR_MS);
    await first.latestFor(FRANCE);
    assert.equal(fake.callCount(ZONES), 1);

    liveClock.set(NOW_MS + 25 * HOUR_MS);
    await first.latestFor(FRANCE);
    await second.latestFor(FRANCE);
    assert.equal(fake.callCount(ZONES), 2);
  });

  it('tries every zone when the access list cannot be read', async () => {
    fake.answer({path: ZONES, response: {status: 500, body: {}}});
    const chain = await chainOf(['electricitymaps', 'static'],
      {signalCache: null});

    const france = await chain.latestFor(FRANCE);

    assert.notEqual(france.skipped[0]?.code, 'outside-access');
    assert.equal(fake.callCount(LATEST, 'FR'), 1);
    const [access] = await chain.accessByProvider();
    assert.equal(access?.status, 'unknown');
  });

  it('reads WattTime access from my-access and skips other regions',
    async () => {
      const chain = await chainOf(['watttime', 'static']);

      const outside = await chain.latestFor(GERMANY);
      const inside = await chain.latestFor({zone: 'CAISO_NORTH',
        regionId: 'us-west1'});

      assert.equal(outside.skipped[0]?.code, 'outside-access');
      assert.equal(fake.callCount('/v3/forecast', 'DE'), 0);
      assert.match(inside.provider, /^watttime:/);
      assert.equal(fake.callCount('/v3/my-access'), 1);
    });

  it('answers a past instant from history and refuses a past forecast',
    async () => {
      const atMs = Date.parse('2025-02-26T07:30:00Z');
      const chain = await chainOf(['electricitymaps', 'static'],
        {clock: fixedClock(atMs)});

      const reading = await chain.latestFor(BELGIUM);
      const forecast = await chain.forecastFor(BELGIUM);

      assert.match(reading.provider, /^electricity-maps:/);
      assert.equal(reading.value.startMs, Date.parse('2025-02-26T07:00:00Z'));
      assert.equal(reading.value.gramsPerKilowattHour, Math.round(
        syntheticIntensity('BE', Date.parse('2025-02-26T07:00:00Z'))));
      assert.equal(fake.callCount(LATEST), 0);
      assert.equal(fake.callCount('/v3/carbon-intensity/past-range'), 1);
      assert.equal(forecast.skipped[0]?.code, 'past-instant-unsupported');
      assert.match(forecast.skipped[0]!.reason, /use --provider replay/);
      assert.equal(fake.callCount(FORECAST), 0);
    });

  it('keeps live answers in the signal cache across chains', async () => {
    await (await chainOf()).latestFor(BELGIUM);
    const again = await (await chainOf()).latestFor(BELGIUM);

    assert.match(again.provider, /^electricity-maps:/);
    assert.equal(fake.callCount(LATEST, 'BE'), 1);
  });
});
