import assert from 'node:assert/strict';

import {residencyGroupsFor} from '../../../shared/catalog/residency.js';

describe('residencyGroupsFor', () => {
  const cases = [
    {name: 'an EU member', countryCode: 'DE', expected: ['EU', 'DE']},
    {name: 'the United States', countryCode: 'US', expected: ['US']},
    {name: 'Great Britain', countryCode: 'GB', expected: ['UK', 'GB']},
    {name: 'a country outside any bloc', countryCode: 'CH',
      expected: ['CH']},
    {name: 'an unknown country', countryCode: null, expected: []},
  ];
  for (const testCase of cases) {
    it(`groups ${testCase.name}`, () => {
      assert.deepEqual(residencyGroupsFor(testCase.countryCode),
        testCase.expected);
    });
  }
});
