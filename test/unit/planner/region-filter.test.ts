import assert from 'node:assert/strict';
import {filterRegions} from '../../../shared/planner/region-filter.js';

const regions = [
  {id: 'europe-west4', countryCode: 'NL', residencyGroups: ['EU'],
    accelerators: ['NVIDIA_H100_80GB', 'NVIDIA_L4'],
    electricityMapsZone: 'NL'},
  {id: 'europe-west3', countryCode: 'DE', residencyGroups: ['EU'],
    accelerators: ['NVIDIA_L4'], electricityMapsZone: 'DE'},
  {id: 'us-central1', countryCode: 'US', residencyGroups: ['US'],
    accelerators: ['NVIDIA_H100_80GB'], electricityMapsZone: 'US-MIDW-MISO'},
  {id: 'northamerica-south1', countryCode: 'MX', residencyGroups: [],
    accelerators: ['NVIDIA_H100_80GB'], electricityMapsZone: null},
];

const cases = [
  {name: 'keeps only allow-listed regions',
    constraints: {allowList: ['europe-west4', 'us-central1']},
    eligible: ['europe-west4', 'us-central1'],
    excluded: [['europe-west3', 'not-in-allow-list'],
      ['northamerica-south1', 'not-in-allow-list']]},
  {name: 'keeps a residency group',
    constraints: {residency: ['EU']},
    eligible: ['europe-west4', 'europe-west3'],
    excluded: [['us-central1', 'residency'],
      ['northamerica-south1', 'residency']]},
  {name: 'keeps a country code, in any letter case',
    constraints: {residency: ['de']},
    eligible: ['europe-west3'],
    excluded: [['europe-west4', 'residency'], ['us-central1', 'residency'],
      ['northamerica-south1', 'residency']]},
  {name: 'treats `any` residency as no limit but still needs a source',
    constraints: {residency: ['any']},
    eligible: ['europe-west4', 'europe-west3', 'us-central1'],
    excluded: [['northamerica-south1', 'no-intensity-source']]},
  {name: 'drops regions without the accelerator',
    constraints: {acceleratorType: 'NVIDIA_H100_80GB'},
    eligible: ['europe-west4', 'us-central1'],
    excluded: [['europe-west3', 'accelerator-unavailable'],
      ['northamerica-south1', 'no-intensity-source']]},
  {name: 'drops an unmapped region instead of scoring it 0 (C33)',
    constraints: {allowList: ['europe-west4', 'northamerica-south1']},
    eligible: ['europe-west4'],
    excluded: [['europe-west3', 'not-in-allow-list'],
      ['us-central1', 'not-in-allow-list'],
      ['northamerica-south1', 'no-intensity-source']]},
];

describe('filterRegions', () => {
  for (const c of cases) {
    it(c.name, () => {
      const result = filterRegions(regions, c.constraints);
      assert.deepEqual(result.eligible.map((r) => r.id), c.eligible);
      assert.deepEqual(result.excluded.map((e) => [e.region.id, e.reason]),
        c.excluded);
    });
  }

  it('explains each exclusion in words that name the region', () => {
    const result = filterRegions(regions, {residency: ['EU'],
      acceleratorType: 'NVIDIA_H100_80GB'});
    for (const exclusion of result.excluded) {
      assert.match(exclusion.message, new RegExp(exclusion.region.id));
    }
    assert.match(result.excluded[0]?.message ?? '', /NVIDIA_H100_80GB/);
  });

  it('fails a country-code residency when the country is unknown', () => {
    const unknown = {...regions[0]!, id: 'x1', countryCode: null};
    const result = filterRegions([unknown], {residency: ['NL']});
    assert.equal(result.excluded[0]?.reason, 'residency');
    assert.equal(filterRegions([unknown], {residency: ['EU']})
      .eligible.length, 1);
  });

  it('leaves the catalog untouched', () => {
    const before = JSON.stringify(regions);
    filterRegions(regions, {residency: ['US']});
    assert.equal(JSON.stringify(regions), before);
  });
});
