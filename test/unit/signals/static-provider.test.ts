import assert from 'node:assert/strict';

import {
  fixedClock,
} from '../../../adapters/signals-wiring/fixed-clock.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {
  AmbiguousZoneFigureError,
  StaticProvider,
} from '../../../shared/signals/static-provider.js';
import {
  NoSignalDataError,
  NoSignalForZoneError,
} from '../../../shared/signals/signal-errors.js';

const HOUR_MS = 3_600_000;

function providerAt(isoInstant: string): StaticProvider {
  return new StaticProvider({clock: fixedClock(Date.parse(isoInstant))});
}

// The catalog's published figure, read independently of the provider.
function publishedFigure(regionId: string, year: number) {
  return loadRegionCatalog().require(regionId).googleYearly
    .find((figures) => figures.year === year)!;
}

describe('StaticProvider', () => {
  it('gives the region\'s Google grid figure for the year asked', async () => {
    const reading = await providerAt('2022-06-01T12:00:00Z')
      .latest('europe-west1');
    const published = publishedFigure('europe-west1', 2022);

    assert.equal(reading.gramsPerKilowattHour,
      published.gridGramsPerKilowattHour);
    assert.equal(reading.carbonFreeEnergyFraction,
      published.carbonFreeEnergyFraction);
    assert.equal(reading.basis, 'average-lifecycle');
    assert.equal(reading.kind, 'observed');
    assert.equal(reading.figureYear, 2022);
    assert.equal(reading.startMs, Date.UTC(2022, 0, 1));
  });

  it('uses the newest published year for a year not yet published',
    async () => {
      const reading = await providerAt('2031-03-01T00:00:00Z')
        .latest('europe-west1');
      const newest = Math.max(...loadRegionCatalog().require('europe-west1')
        .googleYearly.map((figures) => figures.year));

      assert.equal(reading.figureYear, newest);
      assert.equal(reading.gramsPerKilowattHour,
        publishedFigure('europe-west1', newest).gridGramsPerKilowattHour);
      assert.match(reading.note, /2031 not yet published/);
    });

  it('refuses a published year without a value rather than give 0',
    async () => {
      // africa-south1 has no 2022 figure in Google's files.
      assert.equal(publishedFigure('africa-south1', 2022)
        .gridGramsPerKilowattHour, null);

      await assert.rejects(
        providerAt('2022-06-01T12:00:00Z').latest('africa-south1'),
        NoSignalDataError);
    });

  it('leaves a missing year null in a series that spans it', async () => {
    const provider = providerAt('2023-01-01T02:00:00Z');
    const series = await provider.history('africa-south1',
      Date.UTC(2022, 11, 31, 22), Date.UTC(2023, 0, 1, 2));
    const values = series.points.map((point) => point.gramsPerKilowattHour);

    assert.deepEqual(values, [null, null,
      publishedFigure('africa-south1', 2023).gridGramsPerKilowattHour,
      publishedFigure('africa-south1', 2023).gridGramsPerKilowattHour]);
  });

  it('answers a zone when its regions agree, naming them', async () => {
    const reading = await providerAt('2022-06-01T12:00:00Z').latest('DE');

    // europe-west10 has no 2022 figure, so only europe-west3 speaks.
    assert.deepEqual(reading.regionIds, ['europe-west3']);
    assert.equal(reading.gramsPerKilowattHour,
      publishedFigure('europe-west3', 2022).gridGramsPerKilowattHour);
  });

  it('refuses a zone whose regions publish different figures', () => {
    const provider = providerAt('2022-06-01T12:00:00Z');
    const region = loadRegionCatalog().require('europe-west3');
    const fakeCatalog = {
      ...loadRegionCatalog(),
      get: () => undefined,
      regionsInZone: () => [region, {...region, id: 'europe-west99',
        googleYearly: region.googleYearly.map((figures) =>
          ({...figures, gridGramsPerKilowattHour: 1}))}],
    };
    const disagreeing = new StaticProvider({
      clock: fixedClock(Date.UTC(2022, 5, 1)), catalog: fakeCatalog,
    });

    assert.throws(() => disagreeing.valueAt('DE', Date.UTC(2022, 5, 1)),
      AmbiguousZoneFigureError);
    assert.ok(provider.keys().includes('DE'));
  });

  it('throws NoSignalForZoneError for a key it does not know', async () => {
    await assert.rejects(
      providerAt('2022-06-01T12:00:00Z').latest('XX-NOWHERE'),
      NoSignalForZoneError);
  });

  it('forecasts a flat hourly series from the current hour', async () => {
    const provider = providerAt('2022-06-01T12:30:00Z');
    const series = await provider.forecast('europe-west4',
      {horizonHours: 3});

    assert.equal(series.kind, 'forecast');
    assert.equal(series.issuedAtMs, Date.parse('2022-06-01T12:30:00Z'));
    assert.deepEqual(series.points.map((point) => point.startMs), [0, 1, 2]
      .map((hours) => Date.UTC(2022, 5, 1, 12) + hours * HOUR_MS));
    assert.ok(series.points.every((point) => point.gramsPerKilowattHour ===
      publishedFigure('europe-west4', 2022).gridGramsPerKilowattHour));
  });

  it('keeps history at or before now', async () => {
    const provider = providerAt('2022-06-01T12:00:00Z');
    const series = await provider.history('europe-west4',
      Date.UTC(2022, 5, 1, 10), Date.UTC(2022, 5, 1, 20));

    assert.equal(series.points.length, 2);
  });
});
