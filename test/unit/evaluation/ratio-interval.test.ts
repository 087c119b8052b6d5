import assert from 'node:assert/strict';
import {
  bootstrapRatioInterval,
} from '../../../shared/evaluation/ratio-interval.js';

// Instants whose ratios scatter around 0.8 (saved / oracle saved).
const scattered = Array.from({length: 40}, (_, index) => ({
  savedGrams: 80 + 30 * Math.sin(index * 1.7),
  oracleSavedGrams: 100 + 10 * Math.cos(index * 0.9)}));

const pointRatio = (instants: typeof scattered) =>
  instants.reduce((t, i) => t + i.savedGrams, 0) /
  instants.reduce((t, i) => t + i.oracleSavedGrams, 0);

describe('bootstrapRatioInterval', () => {
  it('brackets the ratio of the totals', () => {
    const interval = bootstrapRatioInterval(scattered)!;
    const ratio = pointRatio(scattered);
    assert.ok(interval.low < ratio && ratio < interval.high,
      `${interval.low} < ${ratio} < ${interval.high}`);
    assert.equal(interval.level, 0.95);
  });

  it('gives the same bounds on every run (seeded)', () => {
    assert.deepEqual(bootstrapRatioInterval(scattered),
      bootstrapRatioInterval(scattered));
  });

  it('narrows as instants with the same spread are added', () => {
    const wide = bootstrapRatioInterval(scattered.slice(0, 10))!;
    const narrow = bootstrapRatioInterval([...scattered, ...scattered,
      ...scattered, ...scattered])!;
    assert.ok(narrow.high - narrow.low < (wide.high - wide.low) / 2,
      `${narrow.high - narrow.low} vs ${wide.high - wide.low}`);
  });

  it('collapses to the ratio when every instant has the same one', () => {
    const same = Array.from({length: 12}, (_, index) => ({
      savedGrams: 9 * (index + 1), oracleSavedGrams: 10 * (index + 1)}));
    const interval = bootstrapRatioInterval(same)!;
    assert.ok(Math.abs(interval.low - 0.9) < 1e-12);
    assert.ok(Math.abs(interval.high - 0.9) < 1e-12);
  });

  it('has no interval for one instant or an oracle that never saves', () => {
    assert.equal(bootstrapRatioInterval(scattered.slice(0, 1)), null);
    assert.equal(bootstrapRatioInterval([
      {savedGrams: 0, oracleSavedGrams: 0},
      {savedGrams: 0, oracleSavedGrams: 0}]), null);
  });
});
