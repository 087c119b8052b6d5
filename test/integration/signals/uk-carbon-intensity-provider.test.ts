import assert from 'node:assert/strict';

import {ProviderMalformedBodyError} from
  '../../../adapters/signals/http/provider-http-errors.js';
import {
  createUkCarbonIntensityProvider,
  ukRegionZone,
}  from
'../../../adapters/signals/uk-carbon-intensity/uk-carbon-intensity-provider.js';
import type {UkCarbonIntensityProviderOptions} from
'../../../adapters/signals/uk-carbon-intensity/uk-carbon-intensity-provider.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import {NoSignalForZoneError} from '../../../shared/signals/signal-errors.js';
import {startFakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import type {FakeCarbonApis} from
  '../../support/fake-carbon-apis/fake-carbon-apis.js';
import {createSteppingClock} from
  '../../support/fake-carbon-apis/stepping-clock.js';

const MINUTE_MS = 60_000;
const HALF_HOUR_MS = 30 * MINUTE_MS;

function periods(firstFromMs: number, count: number, value: number) {
  return Array.from({length: count}, (_, position) => {
    const fromMs = firstFromMs + position * HALF_HOUR_MS;
    return {
      from: new Date(fromMs).toISOString().slice(0, 16) + 'Z',
      to: new Date(fromMs + HALF_HOUR_MS).toISOString().slice(0, 16) + 'Z',
      intensity: {forecast: value + position, actual: null,
        index: 'moderate'},
    };
  });
}

describe('UK Carbon Intensity provider over loopback', function () {
  let fake: FakeCarbonApis;

  before(async () => {
    fake = await startFakeCarbonApis({nowMs: Date.now()});
  });
  afterEach(() => fake.reset());
  after(() => fake.close());

  function provider(
    nowMs: number,
    overrides: Partial<UkCarbonIntensityProviderOptions> = {},
  ) {
    fake.nowMs = nowMs;
    return createUkCarbonIntensityProvider({baseUrl: fake.baseUrl,
      clock: createSteppingClock(nowMs), random: () => 0, ...overrides});
  }

  describe('the last completed half hour (C04)', () => {
    const nowMs = Date.parse('2025-02-03T08:57:00Z');

    beforeEach(() => {
      fake.answer({path: '/intensity', response: {status: 200, body: {data: [
        {from: '2025-02-03T08:00Z', to: '2025-02-03T08:30Z',
          intensity: {forecast: 210, actual: 204, index: 'moderate'}}]}}});
      fake.answer({path: '/intensity/2025-02-03T08:30Z/fw24h', response: {
        status: 200, body: {data: [
          {from: '2025-02-03T08:30Z', to: '2025-02-03T09:00Z',
            intensity: {forecast: 230, actual: null, index: 'moderate'}},
          {from: '2025-02-03T09:00Z', to: '2025-02-03T09:30Z',
            intensity: {forecast: 190, actual: null, index: 'moderate'}}]}}});
    });

    it('reads /intensity as settled 08:00-08:30, 204 actual, 27 min old, ' +
      'not current', async () => {
      const settled = await provider(nowMs).lastSettled('GB');

      assert.deepEqual(settled, {zone: 'GB',
        startMs: Date.parse('2025-02-03T08:00:00Z'),
        endMs: Date.parse('2025-02-03T08:30:00Z'),
        gramsPerKilowattHour: 204, valueKind: 'actual',
        isCurrentPeriod: false, ageMinutes: 27});
    });

    it('takes the current period from the forecast: 230 for 08:30-09:00, ' +
      'not 204', async () => {
      const reading = await provider(nowMs).latest('GB');

      assert.equal(reading.gramsPerKilowattHour, 230);
      assert.equal(reading.kind, 'forecast');
      assert.equal(reading.startMs, Date.parse('2025-02-03T08:30:00Z'));
      assert.equal(reading.durationMs, HALF_HOUR_MS);
      assert.equal(fake.callCount('/intensity/2025-02-03T08:30Z/fw24h'), 1);
      // A monitor resuming below 220 stays paused on this value.
      assert.ok(!(reading.gramsPerKilowattHour! < 220));
    });
  });

  describe('short forecasts and empty answers (C05)', () => {
    const nowMs = Date.parse('2025-11-10T08:13:00Z');
    const nationalPath = '/intensity/2025-11-10T08:00Z/fw48h';
    const regionalPath =
      '/regional/intensity/2025-11-10T08:00Z/fw48h/regionid/13';

    beforeEach(() => {
      fake.answer({path: nationalPath, response: {status: 200, body: {
        data: periods(Date.parse('2025-11-10T09:00:00Z'), 27, 120)}}});
    });

    it('keeps a 27-point national forecast as it is, ending 22:30Z, ' +
      'with no NaN', async () => {
      const series = await provider(nowMs).forecast('GB');

      assert.equal(series.points.length, 27);
      assert.equal(series.points[0]!.startMs,
        Date.parse('2025-11-10T09:00:00Z'));
      const last = series.points.at(-1)!;
      assert.equal(last.startMs + last.durationMs,
        Date.parse('2025-11-10T22:30:00Z'));
      assert.ok(series.points.every((p) =>
        Number.isFinite(p.gramsPerKilowattHour)));
      // A 6 h job (12 slots) fits 16 starts, 09:00Z to 16:30Z.
      const coverageEndMs = last.startMs + last.durationMs;
      const starts = series.points.filter((p) =>
        p.startMs + 12 * HALF_HOUR_MS <= coverageEndMs);
      assert.equal(starts.length, 16);
      assert.equal(starts.at(-1)!.startMs,
        Date.parse('2025-11-10T16:30:00Z'));
    });

    it('answers a regional {} with the national forecast and a warning',
      async () => {
        fake.answer({path: regionalPath,
          response: {status: 200, text: '{}'}});
        const logger = createMemoryLogger();

        const series = await provider(nowMs, {logger})
          .forecast(ukRegionZone(13));

        assert.equal(series.zone, 'GB-region-13');
        assert.equal(series.substitutedZone, 'GB');
        assert.equal(series.source,
          'uk-carbon-intensity:national-for-GB-region-13');
        assert.equal(series.points.length, 27);
        assert.equal(logger.entries[0]!.severity, 'WARNING');
      });

    it('returns an empty forecast, not an exception, for a regional {} ' +
      'without the national fallback', async () => {
      fake.answer({path: regionalPath, response: {status: 200, text: '{}'}});

      const series = await provider(nowMs, {nationalFallback: false})
        .forecast(ukRegionZone(13));

      assert.deepEqual(series.points, []);
      assert.equal(series.kind, 'forecast');
    });

    it('returns an empty forecast for a 200 with no body', async () => {
      fake.addFault({path: nationalPath, fault: {kind: 'empty-body'}});

      const series = await provider(nowMs).forecast('GB');

      assert.deepEqual(series.points, []);
    });
  });

  it('reads a regional forecast in the array and the bare-object form',
    async () => {
      const nowMs = Date.parse('2025-03-01T10:05:00Z');
      const source = provider(nowMs);
      const arrayForm = await source.forecast(ukRegionZone(13),
        {horizonHours: 2});
      fake.answer({path:
        '/regional/intensity/2025-03-01T10:00Z/fw48h/regionid/13',
      response: {status: 200, body: {data: {regionid: 13,
        shortname: 'London',
        data: periods(Date.parse('2025-03-01T10:00:00Z'), 4, 150)}}}});
      const bareForm = await source.forecast(ukRegionZone(13));

      assert.equal(arrayForm.points.length, 4);
      assert.equal(arrayForm.points[0]!.startMs,
        Date.parse('2025-03-01T10:00:00Z'));
      assert.deepEqual(bareForm.points.map((p) => p.gramsPerKilowattHour),
        [150, 151, 152, 153]);
    });

  it('turns null forecasts into null values, never 0', async () => {
    const nowMs = Date.parse('2025-03-01T10:05:00Z');
    fake.addFault({path: '/intensity/2025-03-01T10:00Z/fw48h',
      fault: {kind: 'nulls'}});

    const series = await provider(nowMs).forecast('GB');

    assert.equal(series.points.length, 96);
    assert.ok(series.points.every((p) => p.gramsPerKilowattHour === null));
  });

  it('labels every value average-direct', async () => {
    const source = provider(Date.parse('2025-03-01T10:05:00Z'));

    const series = await source.forecast('GB');
    const reading = await source.latest(ukRegionZone(1));

    assert.equal(series.basis, 'average-direct');
    assert.equal(reading.basis, 'average-direct');
    assert.equal(series.points.length, 96);
  });

  it('keeps history half-open: a period ending at the start is left out',
    async () => {
      const nowMs = Date.parse('2025-03-01T12:00:00Z');
      fake.answer({path: '/intensity/2025-03-01T08:00Z/2025-03-01T09:00Z',
        response: {status: 200, body: {data: [
          ...periods(Date.parse('2025-03-01T07:30:00Z'), 3, 100)]
          .map((period) => ({...period, intensity: {...period.intensity,
            actual: period.intensity.forecast - 1}}))}}});

      const series = await provider(nowMs).history('GB',
        Date.parse('2025-03-01T08:00:00Z'), Date.parse('2025-03-01T09:00:00Z'));

      assert.deepEqual(series.points.map((p) => p.startMs), [
        Date.parse('2025-03-01T08:00:00Z'),
        Date.parse('2025-03-01T08:30:00Z')]);
      assert.deepEqual(series.points.map((p) => p.gramsPerKilowattHour),
        [100, 101]);
      assert.equal(series.points[0]!.isEstimated, false);
    });

  it('marks regional history, which has only forecasts, as estimated',
    async () => {
      const nowMs = Date.parse('2025-03-01T12:00:00Z');
      const series = await provider(nowMs).history(ukRegionZone(4),
        nowMs - 2 * HALF_HOUR_MS, nowMs);

      assert.equal(series.points.length, 2);
      assert.ok(series.points.every((p) => p.isEstimated === true));
    });

  it('reports a zone outside Great Britain as no signal, without a call ' +
    '(C33)', async () => {
    const source = provider(Date.parse('2025-03-01T10:05:00Z'));

    await assert.rejects(source.forecast('FR'), NoSignalForZoneError);
    await assert.rejects(source.latest('GB-region-19'),
      NoSignalForZoneError);
    assert.equal(fake.calls.length, 0);
  });

  it('refuses a body of the wrong shape as malformed', async () => {
    const nowMs = Date.parse('2025-03-01T10:05:00Z');
    fake.answer({path: '/intensity/2025-03-01T10:00Z/fw48h',
      response: {status: 200, body: {data: 5}}});

    await assert.rejects(provider(nowMs).forecast('GB'),
      ProviderMalformedBodyError);
  });
});
