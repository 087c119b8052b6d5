import assert from 'node:assert/strict';

import {parseInstantWithOffset} from '../../../shared/time/instant.js';

describe('parseInstantWithOffset', () => {
  it('reads an instant in any offset as UTC', () => {
    assert.equal(parseInstantWithOffset('2022-06-14T02:00:00+02:00'),
      Date.parse('2022-06-14T00:00:00Z'));
    assert.equal(parseInstantWithOffset('2022-06-14T00:00Z'),
      Date.parse('2022-06-14T00:00:00Z'));
  });

  it('refuses a day the calendar does not have', () => {
    assert.equal(parseInstantWithOffset('2022-02-30T12:00:00Z'), null);
    assert.equal(parseInstantWithOffset('2021-02-29T00:00:00Z'), null);
    assert.notEqual(parseInstantWithOffset('2024-02-29T00:00:00Z'), null);
  });

  it('refuses a time without an offset or out of range', () => {
    assert.equal(parseInstantWithOffset('2022-06-14T00:00:00'), null);
    assert.equal(parseInstantWithOffset('2022-06-14T24:00:00Z'), null);
    assert.equal(parseInstantWithOffset('yesterday'), null);
  });
});
