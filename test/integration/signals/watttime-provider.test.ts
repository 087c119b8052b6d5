import assert from 'node:assert/strict';

import {ProviderAuthError} from
  '../../../adapters/signals/http/provider-http-errors.js';
import {createWattTimeProvider} from
  '../../../adapters/signals/watttime/watttime-provider.js';
import type {WattTimeProviderOptions} from
  '../../../adapters/signals/watttime/watttime-provider.js';
import {UnknownUnitError} from
  '../../../adapters/signals/watttime/watttime-units.js';
import {NoSignalForZoneError} from '../../../shared/signals/signal-errors.js';
import {
  FAKE_WATTTIME_CREDENTIALS,
  startFakeCarbonApis,
} from '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';
import type {SteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const MINUTE_MS = 60_000;
const TEN_O_CLOCK_MS = Date.parse('2025-02-03T10:00:00Z');
const FORECAST = '/v3/forecast';

// The C02 input, as WattTime sends it.
const C02_BODY = {
  meta: {region: 'CAISO_NORTH', signal_type: 'co2_moer',
    units: 'lbs_co2_per_mwh', generated_at: '2025-02-03T10:00:00+00:00'},
  data: [{point_time: '2025-02-03T10:00:00+00:00', value: 900},
    {point_time: '2025-02-03T10:05:00+00:00', value: 1100}],
};

describe('WattTime provider over loopback', function () {
  let fake: FakeCarbonApis;
  let clock: SteppingClock;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: TEN_O_CLOCK_MS});
  });
  beforeEach(() => {
    clock = createSteppingClock(TEN_O_CLOCK_MS);
  });
  afterEach(() => {
    fake.reset();
    fake.wattTime.refusedTokens.clear();
    fake.wattTime.issuedTokens.length = 0;
    fake.wattTime.refuseAllTokens = false;
    fake.wattTime.units = 'lbs_co2_per_mwh';
  });
  after(() => fake.close());

  function provider(overrides: Partial<WattTimeProviderOptions> = {}) {
    return createWattTimeProvider({baseUrl: fake.baseUrl,
      ...FAKE_WATTTIME_CREDENTIALS, clock, random: () => 0, ...overrides});
  }
  const logins = () => fake.callCount('/login');

  describe('units (C02)', () => {
    it('converts lbs/MWh to g/kWh: 900 -> 408.23, 1100 -> 498.95',
      async () => {
        fake.answer({path: FORECAST, response: {status: 200,
          body: C02_BODY}});

        const series = await provider().forecast('CAISO_NORTH',
          {horizonHours: 1});
        const values = series.points.map((p) => p.gramsPerKilowattHour!);

        assert.deepEqual(values.map((value) => value.toFixed(2)),
          ['408.23', '498.95']);
        assert.notEqual(values[0], 900);
        assert.notEqual(Math.round(values[0]!), 408_233);
        assert.ok(series.points.every((p) => p.durationMs === 5 * MINUTE_MS));
        assert.equal(series.basis, 'marginal');
        assert.equal(series.issuedAtMs, TEN_O_CLOCK_MS);
      });

    it('refuses a missing unit with UnknownUnitError', async () => {
      fake.wattTime.units = undefined;

      await assert.rejects(provider().forecast('CAISO_NORTH'),
        (error: unknown) => error instanceof UnknownUnitError &&
          error.unit === undefined);
    });

    it('refuses a unit it does not know with UnknownUnitError', async () => {
      fake.wattTime.units = 'tons_co2_per_mwh';

      await assert.rejects(provider().latest('CAISO_NORTH'),
        (error: unknown) => error instanceof UnknownUnitError &&
          error.unit === 'tons_co2_per_mwh');
    });
  });

  describe('token expiry (C03)', () => {
    it('logs in again once on 401 and the caller sees success', async () => {
      const source = provider({renewTokenAfterMs: null});

      clock.set(TEN_O_CLOCK_MS + 10 * MINUTE_MS);
      await source.forecast('CAISO_NORTH');
      clock.set(TEN_O_CLOCK_MS + 20 * MINUTE_MS);
      await source.forecast('CAISO_NORTH');
      fake.wattTime.refusedTokens.add('wt-token-1');
      clock.set(TEN_O_CLOCK_MS + 31 * MINUTE_MS);
      const series = await source.forecast('CAISO_NORTH');

      assert.ok(series.points.length > 0);
      assert.equal(logins(), 2);
      assert.equal(fake.callCount(FORECAST), 4);
      assert.equal(fake.calls.at(-1)!.headers['authorization'],
        'Bearer wt-token-2');
    });

    it('raises an auth error when the retry is refused too, with no ' +
      'third login (variant B)', async () => {
      const source = provider({renewTokenAfterMs: null});
      await source.forecast('CAISO_NORTH');
      fake.wattTime.refuseAllTokens = true;

      await assert.rejects(source.forecast('CAISO_NORTH'), ProviderAuthError);
      assert.equal(logins(), 2);
      assert.equal(fake.callCount(FORECAST), 3);
    });

    it('shares one login among five calls refused together (variant C)',
      async () => {
        const source = provider({renewTokenAfterMs: null});
        await source.forecast('CAISO_NORTH');
        fake.wattTime.refusedTokens.add('wt-token-1');

        const results = await Promise.all(Array.from({length: 5},
          () => source.forecast('CAISO_NORTH')));

        assert.equal(results.length, 5);
        assert.equal(logins(), 2);
        const retried = fake.calls.filter((call) => call.path === FORECAST &&
          call.headers['authorization'] === 'Bearer wt-token-2');
        assert.equal(retried.length, 5);
        assert.equal(fake.callCount(FORECAST), 1 + 5 + 5);
      });

    it('renews a token aged 29 min before using it, with no 401', async () => {
      const source = provider();
      await source.forecast('CAISO_NORTH');
      fake.wattTime.refusedTokens.add('wt-token-1');
      clock.set(TEN_O_CLOCK_MS + 31 * MINUTE_MS);

      await source.forecast('CAISO_NORTH');

      assert.equal(logins(), 2);
      assert.equal(fake.callCount(FORECAST), 2);
    });

    it('sends the credentials as HTTP Basic from the environment',
      async () => {
        await provider({username: undefined, password: undefined,
          environment: {WATTTIME_USERNAME: FAKE_WATTTIME_CREDENTIALS.username,
            WATTTIME_PASSWORD: FAKE_WATTTIME_CREDENTIALS.password}})
          .latest('CAISO_NORTH');

        assert.match(fake.calls[0]!.headers['authorization']!, /^Basic /);
        assert.equal(logins(), 1);
      });
  });

  it('reads the current rate as marginal in g/kWh', async () => {
    const reading = await provider().latest('CAISO_NORTH');

    assert.equal(reading.basis, 'marginal');
    assert.equal(reading.startMs, TEN_O_CLOCK_MS);
    assert.equal(reading.durationMs, 5 * MINUTE_MS);
    assert.equal(fake.calls.at(-1)!.query['horizon_hours'], '0');
    assert.equal(fake.calls.at(-1)!.query['signal_type'], 'co2_moer');
  });

  it('turns null rates into null values, never 0', async () => {
    fake.addFault({path: FORECAST, fault: {kind: 'nulls'}});

    const series = await provider().forecast('CAISO_NORTH',
      {horizonHours: 1});

    assert.equal(series.points.length, 12);
    assert.ok(series.points.every((p) => p.gramsPerKilowattHour === null));
  });

  it('forecasts 72 h in five-minute points', async () => {
    const series = await provider().forecast('PJM_DC');

    assert.equal(series.points.length, 72 * 12);
    assert.equal(series.kind, 'forecast');
    assert.equal(series.source, 'watttime:co2_moer');
  });

  it('reads historical rates, never past now', async () => {
    const series = await provider().history('CAISO_NORTH',
      TEN_O_CLOCK_MS - 60 * MINUTE_MS, TEN_O_CLOCK_MS + 60 * MINUTE_MS);

    assert.equal(series.kind, 'observed');
    assert.equal(series.points.length, 12);
    assert.equal(series.points.at(-1)!.startMs, TEN_O_CLOCK_MS - 5 * MINUTE_MS);
  });

  it('reads past forecasts with their generation time', async () => {
    const forecasts = await provider().pastForecasts('CAISO_NORTH',
      TEN_O_CLOCK_MS - 60 * MINUTE_MS, TEN_O_CLOCK_MS);

    assert.equal(forecasts.length, 1);
    assert.equal(forecasts[0]!.issuedAtMs, TEN_O_CLOCK_MS);
  });

  it('finds the region of a place and the readable regions', async () => {
    const source = provider();

    const region = await source.regionFromLocation(38.5, -121.5);
    const regions = await source.readableRegions();

    assert.equal(region.region, 'CAISO_NORTH');
    assert.equal(fake.calls.at(-2)!.query['latitude'], '38.5');
    assert.deepEqual(regions.map((entry) => entry.region),
      ['CAISO_NORTH', 'PJM_DC']);
  });

  it('reports a region it does not know as no signal, never 0 g (C33)',
    async () => {
      await assert.rejects(provider().forecast('NOWHERE'),
        (error: unknown) => error instanceof NoSignalForZoneError &&
          error.zone === 'NOWHERE');
    });
});
