import assert from 'node:assert/strict';
import {
  findUncovered,
  windowAverage,
} from '../../../shared/planner/window-average.js';
import {
  at,
  HOUR_MS,
  MINUTE_MS,
  regularSeries,
  seriesOf,
} from './series-fixtures.js';

describe('windowAverage', () => {
  // C09: two 8 h points stamped at 05:20:07Z and 13:20:07Z.
  const c09 = seriesOf([
    [at('2025-05-01T05:20:07Z'), 8 * HOUR_MS, 300],
    [at('2025-05-01T13:20:07Z'), 8 * HOUR_MS, 100],
  ]);
  const c09Cases = [
    {name: 'excludes a point that ends at the window start (C09 Q1)',
      from: '2025-05-01T13:20:07Z', to: '2025-05-01T14:20:07Z',
      average: 100, points: 1},
    {name: 'excludes a point that starts at the window end (C09 Q2)',
      from: '2025-05-01T05:20:07Z', to: '2025-05-01T13:20:07Z',
      average: 300, points: 1},
    {name: 'weights a window straddling two points by overlap (C09 Q3)',
      from: '2025-05-01T13:00:00Z', to: '2025-05-01T14:00:00Z',
      average: (1207 * 300 + 2393 * 100) / 3600, points: 2},
  ];
  for (const c of c09Cases) {
    it(c.name, () => {
      const result = windowAverage(c09, at(c.from), at(c.to));
      assert.equal(result.eligible, true);
      if (!result.eligible) return;
      assert.ok(Math.abs(result.averageGramsPerKilowattHour - c.average) <
        1e-9);
      assert.equal(result.pointCount, c.points);
    });
  }

  it('rounds the straddling C09 window to 167.06', () => {
    const result = windowAverage(c09, at('2025-05-01T13:00:00Z'),
      at('2025-05-01T14:00:00Z'));
    assert.ok(result.eligible);
    assert.equal(result.averageGramsPerKilowattHour.toFixed(2), '167.06');
  });

  const resolutions = [5, 15, 30, 60];
  for (const minutes of resolutions) {
    it(`averages partial first and last ${minutes}-minute points`, () => {
      const stepMs = minutes * MINUTE_MS;
      const values = Array.from({length: 12}, (_, i) => 100 + 10 * i);
      const series = regularSeries(0, stepMs, values);
      // From a third into point 1 to two thirds into point 4.
      const result = windowAverage(series, stepMs + stepMs / 3,
        4 * stepMs + (2 * stepMs) / 3);
      const expected = ((2 / 3) * 110 + 120 + 130 + (2 / 3) * 140) /
        (2 / 3 + 1 + 1 + 2 / 3);
      assert.ok(result.eligible);
      assert.ok(Math.abs(result.averageGramsPerKilowattHour - expected) <
        1e-9);
    });
  }

  it('averages a series that mixes hourly and 15-minute points', () => {
    const series = seriesOf([
      [0, HOUR_MS, 200],
      [HOUR_MS, 15 * MINUTE_MS, 100],
      [HOUR_MS + 15 * MINUTE_MS, 15 * MINUTE_MS, 40],
      [HOUR_MS + 30 * MINUTE_MS, 30 * MINUTE_MS, 60],
    ]);
    const result = windowAverage(series, 30 * MINUTE_MS, 2 * HOUR_MS);
    assert.ok(result.eligible);
    const expected = (30 * 200 + 15 * 100 + 15 * 40 + 30 * 60) / 90;
    assert.ok(Math.abs(result.averageGramsPerKilowattHour - expected) < 1e-9);
  });

  it('refuses a window over a null value and names the stretch', () => {
    const series = regularSeries(0, HOUR_MS, [100, null, 100]);
    const result = windowAverage(series, 0, 3 * HOUR_MS);
    assert.equal(result.eligible, false);
    assert.ok(!result.eligible);
    assert.equal(result.reason, 'missing-value');
    assert.deepEqual(result.uncovered, [
      {startMs: HOUR_MS, endMs: 2 * HOUR_MS, reason: 'missing-value'},
    ]);
  });

  it('refuses a window over a gap between points', () => {
    const series = seriesOf([[0, HOUR_MS, 100], [2 * HOUR_MS, HOUR_MS, 100]]);
    const result = windowAverage(series, 30 * MINUTE_MS, 150 * MINUTE_MS);
    assert.ok(!result.eligible);
    assert.deepEqual(result.uncovered, [
      {startMs: HOUR_MS, endMs: 2 * HOUR_MS, reason: 'gap'},
    ]);
  });

  it('refuses a window that runs before or beyond the coverage', () => {
    const series = regularSeries(HOUR_MS, HOUR_MS, [100, 100]);
    const result = windowAverage(series, 0, 4 * HOUR_MS);
    assert.ok(!result.eligible);
    assert.equal(result.reason, 'before-coverage');
    assert.deepEqual(result.uncovered.map((u) => u.reason),
      ['before-coverage', 'beyond-coverage']);
  });

  it('refuses an empty window instead of dividing by zero', () => {
    const series = regularSeries(0, HOUR_MS, [100]);
    const result = windowAverage(series, HOUR_MS / 2, HOUR_MS / 2);
    assert.ok(!result.eligible);
    assert.equal(result.reason, 'empty-window');
  });

  it('merges adjacent null points into one uncovered stretch', () => {
    const series = regularSeries(0, HOUR_MS, [100, null, null, 100]);
    assert.deepEqual(findUncovered(series.points, 0, 4 * HOUR_MS), [
      {startMs: HOUR_MS, endMs: 3 * HOUR_MS, reason: 'missing-value'},
    ]);
  });
});
