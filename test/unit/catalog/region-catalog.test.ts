import assert from 'node:assert/strict';

import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import {
  isVertexAcceleratorType,
} from '../../../shared/catalog/accelerator-types.js';
import {UnknownRegionError} from '../../../shared/catalog/catalog-errors.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';
import {ReplayProvider} from '../../../shared/signals/replay-provider.js';

describe('loadRegionCatalog', () => {
  const catalog = loadRegionCatalog();
  const withTraces2022 = catalog.regions.filter((region) =>
    region.intensitySource?.replayYears.includes(2022));

  it('lists at least 40 regions, sorted and unique', () => {
    const ids = catalog.regions.map((region) => region.id);

    assert.ok(ids.length >= 40, `only ${ids.length} regions`);
    assert.deepEqual(ids, [...new Set(ids)].sort());
  });

  it('returns the same catalog on every call', () => {
    assert.equal(loadRegionCatalog(), catalog);
  });

  it('maps us-east4 to PJM with H100 or A100 offered', () => {
    const region = catalog.require('us-east4');
    const types = region.accelerators;

    assert.equal(region.electricityMapsZone, 'US-MIDA-PJM');
    assert.ok(types.includes('NVIDIA_H100_80GB') ||
      types.includes('NVIDIA_TESLA_A100'));
    assert.deepEqual(region.residencyGroups, ['US']);
  });

  it('replays every region whose zone has 2022 traces', async () => {
    const provider = new ReplayProvider({
      clock: new VirtualClock(Date.UTC(2022, 6, 1, 9, 30)),
    });
    for (const region of withTraces2022) {
      const reading = await provider.latest(region.intensitySource!.zone);
      assert.equal(typeof reading.gramsPerKilowattHour, 'number',
        region.id);
    }
  });

  it('has 2022 traces for six regions across EU and US residency', () => {
    const counts = ['EU', 'US'].map((group) => withTraces2022
      .filter((region) => region.residencyGroups.includes(group)).length);

    assert.ok(counts.every((count) => count >= 3), counts.join(', '));
    assert.ok(counts[0]! + counts[1]! >= 6, counts.join(', '));
  });

  it('corrects the sign of the africa-south1 latitude', () => {
    const region = catalog.require('africa-south1');

    assert.ok(region.latitude !== null && region.latitude < 0);
    assert.match(region.sources.coordinates ?? '', /corrected/);
  });

  it('puts a country code and its bloc in the residency groups', () => {
    assert.deepEqual(catalog.require('europe-west4').residencyGroups,
      ['EU', 'NL']);
    assert.deepEqual(catalog.require('europe-west2').residencyGroups,
      ['UK', 'GB']);
    assert.deepEqual(catalog.require('europe-west6').residencyGroups,
      ['CH']);
  });

  it('applies the national UK Carbon Intensity to europe-west2 only', () => {
    const applicable = catalog.regions
      .filter((region) => region.ukCarbonIntensity !== null)
      .map((region) => region.id);

    assert.deepEqual(applicable, ['europe-west2']);
    assert.equal(catalog.require('europe-west2').ukCarbonIntensity?.scope,
      'national');
  });

  it('marks a region without a grid zone as excluded', () => {
    const region = catalog.require('europe-west5');

    assert.equal(region.intensitySource, null);
    assert.equal(region.excludedReason, 'no-intensity-source');
    for (const other of catalog.regions) {
      assert.equal(other.intensitySource === null,
        other.excludedReason === 'no-intensity-source', other.id);
    }
  });

  it('records the chosen zone and its alternative for us-central1', () => {
    const region = catalog.require('us-central1');

    assert.equal(region.electricityMapsZone, 'US-MIDW-MISO');
    assert.equal(region.alternativeZone, 'US-CENT-SWPP');
    assert.ok(region.sources.alternativeZone);
  });

  it('keeps unpublished yearly figures null', () => {
    const madrid2021 = catalog.require('europe-southwest1').googleYearly
      .find((figures) => figures.year === 2021);
    const paris2019 = catalog.require('europe-west9').googleYearly
      .find((figures) => figures.year === 2019);

    assert.equal(madrid2021?.carbonFreeEnergyFraction, null);
    assert.equal(madrid2021?.gridGramsPerKilowattHour, 121);
    assert.equal(paris2019?.gridGramsPerKilowattHour, null);
    assert.equal(paris2019?.carbonFreeEnergyFraction, null);
  });

  it('reads the 2019 lifecycle column as the grid intensity', () => {
    const iowa2019 = catalog.require('us-central1').googleYearly
      .find((figures) => figures.year === 2019);

    assert.equal(iowa2019?.gridGramsPerKilowattHour, 479);
    assert.equal(iowa2019?.carbonFreeEnergyFraction, 0.78);
  });

  it('uses a regional PUE where published and the fleet one elsewhere', () => {
    assert.deepEqual(
      pick(catalog.require('europe-west1').powerUsageEffectiveness),
      {value: 1.08, scope: 'region'});
    assert.deepEqual(
      pick(catalog.require('europe-west4').powerUsageEffectiveness),
      {value: 1.12, scope: 'fleet'});
  });

  it('names accelerators by Vertex AI enum values only', () => {
    for (const region of catalog.regions) {
      assert.deepEqual(region.accelerators,
        region.acceleratorOffers.map((offer) => offer.type));
      for (const offer of region.acceleratorOffers) {
        assert.ok(isVertexAcceleratorType(offer.type), offer.type);
        assert.ok(offer.zones.every((zone) => zone.startsWith(region.id)));
      }
    }
    assert.ok(catalog.require('europe-west4').acceleratorsWithoutVertexType
      .includes('TPU v5p'));
  });

  it('gives every region a source for each value it states', () => {
    for (const region of catalog.regions) {
      assert.equal(region.countryCode === null,
        region.sources.countryCode === null, region.id);
      assert.equal(region.latitude === null,
        region.sources.coordinates === null, region.id);
      assert.equal(region.electricityMapsZone === null,
        region.sources.electricityMapsZone === null, region.id);
      assert.ok(region.powerUsageEffectiveness.source.length > 0);
    }
  });

  it('throws UnknownRegionError naming valid ids', () => {
    assert.equal(catalog.get('mars-north1'), undefined);
    assert.throws(() => catalog.require('mars-north1'),
      (error: unknown) => error instanceof UnknownRegionError &&
        error.regionId === 'mars-north1' &&
        /africa-south1/.test(error.message));
  });

  it('finds the regions of one grid zone', () => {
    assert.deepEqual(
      catalog.regionsInZone('US-MIDA-PJM').map((region) => region.id),
      ['us-east4', 'us-east5']);
  });
});

function pick(pue: {value: number; scope: string}) {
  return {value: pue.value, scope: pue.scope};
}
