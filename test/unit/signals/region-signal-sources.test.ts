import assert from 'node:assert/strict';

import {
  InvalidCoordinatesError,
  nearestRegion,
} from '../../../shared/catalog/nearest-region.js';
import {loadRegionCatalog} from '../../../shared/catalog/region-catalog.js';

describe('region catalog: signal sources and exclusions', () => {
  const catalog = loadRegionCatalog();

  it('gives every excluded region the reason in words (case C33)', () => {
    const excluded = catalog.regions.filter(
      (region) => region.excludedReason !== null);

    assert.ok(excluded.length > 0);
    for (const region of excluded) {
      assert.match(region.excludedDetail ?? '', /no grid zone/, region.id);
    }
    assert.ok(catalog.regions.every((region) =>
      (region.excludedReason === null) === (region.excludedDetail === null)));
  });

  it('states where each signal zone and residency group came from', () => {
    for (const region of catalog.regions) {
      assert.ok(region.sources.residencyGroups.length > 0, region.id);
      assert.equal(region.sources.intensitySource === null,
        region.intensitySource === null, region.id);
    }
    assert.match(catalog.require('europe-west3').sources.intensitySource!,
      /gcp-region-grid-zones\.csv/);
  });
});

describe('nearestRegion', () => {
  const regions = loadRegionCatalog().regions;

  it('finds europe-west3 for Frankfurt and us-east4 for Ashburn', () => {
    assert.equal(nearestRegion(regions, 50.11, 8.68)?.region.id,
      'europe-west3');
    assert.equal(nearestRegion(regions, 39.04, -77.49)?.region.id,
      'us-east4');
  });

  it('reports the distance in kilometres', () => {
    const found = nearestRegion(regions, 50.11, 8.68)!;

    assert.ok(found.distanceKilometres < 50, `${found.distanceKilometres}`);
  });

  it('refuses a latitude off the globe', () => {
    assert.throws(() => nearestRegion(regions, 91, 0),
      InvalidCoordinatesError);
  });
});
