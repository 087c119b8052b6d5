import assert from 'node:assert/strict';

import {createElectricityMapsProvider} from
  '../../../adapters/signals/electricity-maps/electricity-maps-provider.js';
import type {ElectricityMapsProviderOptions} from
  '../../../adapters/signals/electricity-maps/electricity-maps-provider.js';
import {ForecastHorizonTooLongError} from
  '../../../adapters/signals/forecast-horizon.js';
import {
  ProviderAuthError,
  ProviderConfigurationError,
  ProviderMalformedBodyError,
} from '../../../adapters/signals/http/provider-http-errors.js';
import {NoSignalForZoneError} from '../../../shared/signals/signal-errors.js';
import {
  FAKE_ELECTRICITY_MAPS_TOKEN,
  startFakeCarbonApis,
} from '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const HOUR_MS = 3_600_000;
const NOW_MS = Date.parse('2025-03-01T10:20:00Z');
const HOUR_START_MS = Date.parse('2025-03-01T10:00:00Z');

describe('Electricity Maps provider over loopback', function () {
  let fake: FakeCarbonApis;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: NOW_MS});
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  function provider(overrides: Partial<ElectricityMapsProviderOptions> = {}) {
    return createElectricityMapsProvider({baseUrl: fake.baseUrl,
      token: FAKE_ELECTRICITY_MAPS_TOKEN, clock: createSteppingClock(NOW_MS),
      random: () => 0, ...overrides});
  }

  it('reads the latest hour with its lifecycle basis and estimation',
    async () => {
      const reading = await provider().latest('BE');

      assert.equal(reading.zone, 'BE');
      assert.equal(reading.startMs, HOUR_START_MS);
      assert.equal(reading.durationMs, HOUR_MS);
      assert.equal(reading.basis, 'average-lifecycle');
      assert.equal(reading.kind, 'observed');
      assert.equal(reading.source, 'electricity-maps:lifecycle');
      assert.equal(typeof reading.gramsPerKilowattHour, 'number');
      assert.equal(reading.isEstimated, true);
      assert.equal(reading.estimationMethod, 'TIME_SLICER_AVERAGE');
      const call = fake.calls[0]!;
      assert.equal(call.headers['auth-token'], FAKE_ELECTRICITY_MAPS_TOKEN);
      assert.equal(call.query['emissionFactorType'], 'lifecycle');
    });

  it('asks for direct factors and labels the basis average-direct',
    async () => {
      const lifecycle = await provider().latest('BE');
      const direct = await provider({emissionFactorType: 'direct'})
        .latest('BE');

      assert.equal(direct.basis, 'average-direct');
      assert.equal(direct.source, 'electricity-maps:direct');
      assert.ok(direct.gramsPerKilowattHour! <
        lifecycle.gramsPerKilowattHour!);
      assert.equal(fake.calls[1]!.query['emissionFactorType'], 'direct');
    });

  it('sends disableEstimations and carries isEstimated false', async () => {
    const reading = await provider({disableEstimations: true}).latest('BE');

    assert.equal(fake.calls[0]!.query['disableEstimations'], 'true');
    assert.equal(reading.isEstimated, false);
    assert.equal(reading.source, 'electricity-maps:lifecycle:measured');
  });

  it('turns a null carbonIntensity into a null value, never 0', async () => {
    fake.addFault({path: '/v3/carbon-intensity/latest',
      fault: {kind: 'nulls'}});
    fake.addFault({path: '/v3/carbon-intensity/forecast',
      fault: {kind: 'nulls'}});
    const source = provider();

    const reading = await source.latest('BE');
    const forecast = await source.forecast('BE', {horizonHours: 6});

    assert.equal(reading.gramsPerKilowattHour, null);
    assert.ok(forecast.points.length > 0);
    assert.ok(forecast.points.every((p) => p.gramsPerKilowattHour === null));
  });

  it('treats an absent carbonIntensity as null', async () => {
    fake.answer({path: '/v3/carbon-intensity/latest', response: {
      status: 200, body: {zone: 'BE', datetime: '2025-03-01T10:00:00.000Z',
        isEstimated: true}}});

    assert.equal((await provider().latest('BE')).gramsPerKilowattHour, null);
  });

  it('reads the last 24 h of history, not past now', async () => {
    const series = await provider().history('FR',
      NOW_MS - 6 * HOUR_MS, NOW_MS + 6 * HOUR_MS);

    assert.equal(fake.callCount('/v3/carbon-intensity/history', 'FR'), 1);
    assert.equal(series.kind, 'observed');
    assert.equal(series.basis, 'average-lifecycle');
    assert.deepEqual(series.points.map((p) => p.startMs),
      Array.from({length: 7},
        (_, position) => HOUR_START_MS - (6 - position) * HOUR_MS));
    assert.equal(series.points[6]!.isEstimated, true);
    assert.equal(series.points[0]!.isEstimated, false);
  });

  it('reads older ranges through past-range, in spans of ten days',
    async () => {
      const fromMs = HOUR_START_MS - 15 * 24 * HOUR_MS;
      const toMs = HOUR_START_MS - 2 * 24 * HOUR_MS;

      const series = await provider().history('BE', fromMs, toMs);

      assert.equal(fake.callCount('/v3/carbon-intensity/past-range'), 2);
      assert.equal(series.points.length, 13 * 24);
      assert.equal(series.points[0]!.startMs, fromMs);
      assert.equal(series.points.at(-1)!.startMs, toMs - HOUR_MS);
    });

  it('forecasts from the hour covering now up to the horizon', async () => {
    const series = await provider().forecast('DE', {horizonHours: 72});

    assert.equal(fake.calls[0]!.query['horizonHours'], '72');
    assert.equal(series.kind, 'forecast');
    assert.equal(series.points.length, 72);
    assert.equal(series.points[0]!.startMs, HOUR_START_MS);
    assert.equal(series.issuedAtMs, HOUR_START_MS - 10 * 60_000);
  });

  it('refuses a horizon over 72 h without calling', async () => {
    await assert.rejects(provider().forecast('DE', {horizonHours: 96}),
      ForecastHorizonTooLongError);
    assert.equal(fake.calls.length, 0);
  });

  it('asks by coordinates for a zone mapped to them', async () => {
    const reading = await provider({coordinatesByZone: {
      'europe-west1': {latitude: 50.85, longitude: 4.35}}})
      .latest('europe-west1');

    assert.equal(fake.calls[0]!.query['lat'], '50.85');
    assert.equal(fake.calls[0]!.query['lon'], '4.35');
    assert.equal(fake.calls[0]!.query['zone'], undefined);
    assert.equal(reading.zone, 'europe-west1');
  });

  it('never calls without a zone or coordinates', async () => {
    await assert.rejects(provider().latest(''), ProviderConfigurationError);
    assert.equal(fake.calls.length, 0);
  });

  it('reads the power breakdown now and over the last day', async () => {
    const source = provider();

    const now = await source.powerBreakdown('BE');
    const day = await source.powerBreakdownHistory('BE');

    assert.equal(now.consumptionMegawattsBySource['nuclear'], 3900);
    assert.equal(now.consumptionMegawattsBySource['unknown'], null);
    assert.equal(now.startMs, HOUR_START_MS);
    assert.equal(day.length, 24);
  });

  it('lists the zones the token may read', async () => {
    fake.electricityMaps.zones.set('NL', ['carbon-intensity/latest']);
    try {
      const zones = await provider().readableZones();

      assert.deepEqual(zones.map((zone) => zone.zone),
        ['BE', 'DE', 'FR', 'GB', 'NL']);
      assert.deepEqual(zones.at(-1)!.access, ['carbon-intensity/latest']);
      assert.equal(fake.calls[0]!.headers['auth-token'],
        FAKE_ELECTRICITY_MAPS_TOKEN);
    } finally {
      fake.electricityMaps.zones.delete('NL');
    }
  });

  it('reports a zone it does not know as no signal, never 0 g (C33)',
    async () => {
      await assert.rejects(provider().forecast('MX-NORTH'),
        (error: unknown) => error instanceof NoSignalForZoneError &&
          error.zone === 'MX-NORTH' && /serves 4 zones/.test(error.message));
      assert.equal(fake.callCount('/v3/carbon-intensity/forecast'), 1);
    });

  it('reads the token from ELECTRICITY_MAPS_TOKEN', async () => {
    await provider({token: undefined,
      environment: {ELECTRICITY_MAPS_TOKEN: FAKE_ELECTRICITY_MAPS_TOKEN}})
      .latest('BE');

    assert.equal(fake.calls[0]!.headers['auth-token'],
      FAKE_ELECTRICITY_MAPS_TOKEN);
  });

  it('reaches the server ELECTRICITY_MAPS_BASE_URL names', async () => {
    const reading = await provider({baseUrl: undefined, token: undefined,
      environment: {ELECTRICITY_MAPS_BASE_URL: fake.baseUrl,
        ELECTRICITY_MAPS_TOKEN: FAKE_ELECTRICITY_MAPS_TOKEN}}).latest('FR');

    assert.equal(reading.zone, 'FR');
    assert.equal(fake.callCount('/v3/carbon-intensity/latest', 'FR'), 1);
  });

  it('reads the token once through a secret reader', async () => {
    const asked: string[] = [];
    const source = provider({token: undefined, environment: {},
      tokenSecretName: 'electricity-maps-token',
      secretReader: async (name) => {
        asked.push(name);
        return FAKE_ELECTRICITY_MAPS_TOKEN + '\n';
      }});

    await source.latest('BE');
    await source.latest('FR');

    assert.deepEqual(asked, ['electricity-maps-token']);
    assert.equal(fake.calls[1]!.headers['auth-token'],
      FAKE_ELECTRICITY_MAPS_TOKEN);
  });

  it('says which variable to set when no token is found', async () => {
    await assert.rejects(
      provider({token: undefined, environment: {}}).latest('BE'),
      (error: unknown) => error instanceof ProviderConfigurationError &&
        /ELECTRICITY_MAPS_TOKEN/.test(error.message));
    assert.equal(fake.calls.length, 0);
  });

  it('refuses a wrong token with an auth error', async () => {
    await assert.rejects(provider({token: 'wrong', retry: {maxAttempts: 1}})
      .latest('BE'), ProviderAuthError);
  });

  it('refuses {} and an empty body as malformed', async () => {
    fake.addFault({path: '/v3/carbon-intensity/latest',
      fault: {kind: 'empty-object'}});
    fake.addFault({path: '/v3/carbon-intensity/forecast',
      fault: {kind: 'empty-body'}});
    const source = provider();

    await assert.rejects(source.latest('BE'),
      (error: unknown) => error instanceof ProviderMalformedBodyError &&
        /datetime/.test(error.message));
    await assert.rejects(source.forecast('BE'),
      (error: unknown) => error instanceof ProviderMalformedBodyError &&
        /empty/.test(error.message));
  });
});
