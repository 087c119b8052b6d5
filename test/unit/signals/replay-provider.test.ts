import assert from 'node:assert/strict';

import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {
  ElectricityMapsTraces,
} from '../../../shared/signals/electricity-maps-traces.js';
import {
  ReplayProvider,
  replaySourceName,
} from '../../../shared/signals/replay-provider.js';
import type {
  ReplayForecaster,
} from '../../../shared/signals/replay-provider.js';
import {
  ForecastHorizonError,
  NoSignalDataError,
  NoSignalForZoneError,
} from '../../../shared/signals/signal-errors.js';
import {
  HOUR_MS,
  patternedHours,
  removeTraceFolders,
  traceText,
  writeTraceFolder,
} from './trace-fixture.js';
import type {FixtureHour} from './trace-fixture.js';

const FIRST_HOUR_MS = Date.UTC(2022, 0, 1);
const DAYS = 30;

function providerOver(
  hours: readonly FixtureHour[],
  nowMs: number,
  forecaster: ReplayForecaster = 'honest',
): ReplayProvider {
  const directory = writeTraceFolder([
    {zone: 'XX', year: 2022, text: traceText('XX', FIRST_HOUR_MS, hours)},
  ]);
  return new ReplayProvider({
    clock: new VirtualClock(nowMs),
    traces: new ElectricityMapsTraces({directory, years: [2022]}),
    forecaster,
  });
}

// The same hours with every hour from `fromMs` on replaced.
function alteredFrom(hours: readonly FixtureHour[], fromMs: number) {
  return hours.map((hour, offset) =>
    FIRST_HOUR_MS + offset * HOUR_MS >= fromMs
      ? {lifecycle: 999 - offset % 7, direct: 5}
      : hour);
}

describe('ReplayProvider', () => {
  after(removeTraceFolders);

  const hours = patternedHours(DAYS * 24);
  const nowMs = FIRST_HOUR_MS + 20 * 24 * HOUR_MS + 30 * 60_000;
  const currentHourMs = nowMs - 30 * 60_000;

  it('forecasts the same whatever the data after now holds', async () => {
    const original = await providerOver(hours, nowMs).forecast('XX');
    const altered = await providerOver(
      alteredFrom(hours, currentHourMs), nowMs).forecast('XX');

    assert.deepEqual(altered.points, original.points);
    assert.ok(original.points.every((p) => p.gramsPerKilowattHour !== null));
  });

  it('lets an oracle forecast see the data after now', async () => {
    const original = await providerOver(hours, nowMs, 'oracle')
      .forecast('XX', {horizonHours: 3});
    const altered = await providerOver(
      alteredFrom(hours, currentHourMs), nowMs, 'oracle')
      .forecast('XX', {horizonHours: 3});

    assert.notDeepEqual(altered.points, original.points);
    assert.equal(altered.points[0]?.gramsPerKilowattHour, 999 - 480 % 7);
    assert.equal(altered.source, 'replay:electricitymaps-2022:oracle');
  });

  it('starts the forecast at the interval containing now', async () => {
    const forecast = await providerOver(hours, nowMs).forecast('XX');

    assert.equal(forecast.points[0]?.startMs, currentHourMs);
    assert.equal(forecast.points.length, 72);
    assert.equal(forecast.kind, 'forecast');
    assert.equal(forecast.issuedAtMs, nowMs);
    assert.equal(forecast.source, 'replay:electricitymaps-2022');
    assert.equal(forecast.basis, 'average-lifecycle');
  });

  it('cuts the forecast at the end of the data', async () => {
    const lateMs = FIRST_HOUR_MS + (DAYS * 24 - 5) * HOUR_MS;
    const forecast = await providerOver(hours, lateMs)
      .forecast('XX', {horizonHours: 24});

    assert.equal(forecast.points.length, 5);
  });

  it('reports as latest the hour whose half-open interval holds now',
    async () => {
      const boundaryMs = FIRST_HOUR_MS + 10 * HOUR_MS;
      const atBoundary = await providerOver(hours, boundaryMs).latest('XX');
      const justBefore = await providerOver(hours, boundaryMs - 1)
        .latest('XX');

      assert.equal(atBoundary.startMs, boundaryMs);
      assert.equal(atBoundary.gramsPerKilowattHour, hours[10]?.lifecycle);
      assert.equal(justBefore.startMs, boundaryMs - HOUR_MS);
      assert.equal(atBoundary.kind, 'observed');
    });

  it('clips history at now', async () => {
    const boundaryMs = FIRST_HOUR_MS + 10 * HOUR_MS;
    const history = await providerOver(hours, boundaryMs)
      .history('XX', FIRST_HOUR_MS + 8 * HOUR_MS, boundaryMs + 5 * HOUR_MS);

    assert.deepEqual(history.points.map((p) => p.startMs),
      [FIRST_HOUR_MS + 8 * HOUR_MS, FIRST_HOUR_MS + 9 * HOUR_MS]);
    assert.equal(history.kind, 'observed');
  });

  it('includes an hour that ends exactly at fromMs in no history',
    async () => {
      const history = await providerOver(hours, nowMs)
        .history('XX', FIRST_HOUR_MS + HOUR_MS, FIRST_HOUR_MS + 2 * HOUR_MS);

      assert.deepEqual(history.points.map((p) => p.startMs),
        [FIRST_HOUR_MS + HOUR_MS]);
    });

  it('keeps missing values null in latest, history and forecast',
    async () => {
      const withGap = hours.map((hour, offset) =>
        offset >= 100 && offset < 103 ? {lifecycle: null, direct: null}
          : hour);
      const gapMs = FIRST_HOUR_MS + 101 * HOUR_MS;
      const latest = await providerOver(withGap, gapMs).latest('XX');
      const history = await providerOver(withGap, gapMs + HOUR_MS)
        .history('XX', FIRST_HOUR_MS + 99 * HOUR_MS, gapMs + HOUR_MS);
      const oracle = await providerOver(withGap, gapMs, 'oracle')
        .forecast('XX', {horizonHours: 3});

      assert.equal(latest.gramsPerKilowattHour, null);
      assert.deepEqual(history.points.map((p) => p.gramsPerKilowattHour),
        [hours[99]?.lifecycle, null, null]);
      assert.deepEqual(oracle.points.map((p) => p.gramsPerKilowattHour),
        [null, null, hours[103]?.lifecycle]);
    });

  it('forecasts from the newest known hour across a gap', async () => {
    const withGap = hours.map((hour, offset) =>
      offset >= 470 && offset < 481 ? {lifecycle: null, direct: null}
        : hour);
    const forecast = await providerOver(withGap, nowMs)
      .forecast('XX', {horizonHours: 6});

    assert.ok(forecast.points.every((p) =>
      typeof p.gramsPerKilowattHour === 'number'));
  });

  it('forecasts nothing known as null, not 0', async () => {
    const forecast = await providerOver(hours, FIRST_HOUR_MS + 1000)
      .forecast('XX', {horizonHours: 2});

    assert.deepEqual(forecast.points.map((p) => p.gramsPerKilowattHour),
      [null, null]);
  });

  it('throws NoSignalForZoneError for a zone without traces', async () => {
    await assert.rejects(providerOver(hours, nowMs).latest('YY'),
      (error: unknown) => error instanceof NoSignalForZoneError &&
        error.zone === 'YY' && /XX/.test(error.message));
  });

  it('throws NoSignalDataError outside the recorded time', async () => {
    const provider = providerOver(hours, FIRST_HOUR_MS - 1);

    await assert.rejects(provider.latest('XX'), NoSignalDataError);
    await assert.rejects(provider.forecast('XX'), NoSignalDataError);
  });

  it('refuses a horizon that is not positive', async () => {
    await assert.rejects(
      providerOver(hours, nowMs).forecast('XX', {horizonHours: 0}),
      ForecastHorizonError);
  });

  it('gives its name, its readings and its series one source name, ' +
    'from the years its traces hold', async () => {
      const directory = writeTraceFolder([
        {zone: 'XX', year: 2022, text: traceText('XX', FIRST_HOUR_MS,
          patternedHours(48))},
      ]);
      const traces = new ElectricityMapsTraces({directory,
        years: [2021, 2022]});
      const provider = new ReplayProvider({
        clock: new VirtualClock(FIRST_HOUR_MS + 30 * HOUR_MS), traces});
      const history = await provider.history('XX', FIRST_HOUR_MS,
        FIRST_HOUR_MS + 3 * HOUR_MS);
      const latest = await provider.latest('XX');

      assert.equal(replaySourceName(traces), 'replay:electricitymaps-2022');
      assert.equal(provider.name, replaySourceName(traces));
      assert.equal(history.source, provider.name);
      assert.equal(latest.source, provider.name);
    });

  it('replays the shipped 2022 traces by default', async () => {
    const provider = new ReplayProvider({
      clock: new VirtualClock(Date.UTC(2022, 5, 1, 12, 15)),
    });
    const latest = await provider.latest('GB');
    const forecast = await provider.forecast('GB', {horizonHours: 24});

    assert.equal(latest.startMs, Date.UTC(2022, 5, 1, 12));
    assert.equal(typeof latest.gramsPerKilowattHour, 'number');
    assert.equal(latest.source, 'replay:electricitymaps-2022');
    assert.equal(forecast.points.length, 24);
  });
});
