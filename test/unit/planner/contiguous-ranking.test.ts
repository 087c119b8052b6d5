import assert from 'node:assert/strict';
import {planContiguous} from '../../../shared/planner/contiguous-plan.js';
import {
  BasisMismatchError,
  MissingPriceError,
  PlannerInputError,
} from '../../../shared/planner/planner-errors.js';
import {
  referenceWindowSearch,
} from '../../../shared/planner/reference-window-search.js';
import type {PlanCandidate} from '../../../shared/planner/plan-types.js';
import {windowAverage} from '../../../shared/planner/window-average.js';
import {
  HOUR_MS,
  MINUTE_MS,
  regularSeries,
  seededRandom,
  seriesOf,
} from './series-fixtures.js';

const hourly = (values: number[], basis?: 'average-direct') =>
  regularSeries(0, HOUR_MS, values, basis ? {basis} : {});
const job = {durationMs: HOUR_MS, earliestStartMs: 0,
  deadlineMs: 3 * HOUR_MS, itPowerKilowatts: 8};

describe('planContiguous ranking', () => {
  it('ranks regions on one basis and flags the mismatch (C13)', () => {
    const candidates: PlanCandidate[] = [
      {regionId: 'europe-west2', powerUsageEffectiveness: 1.1,
        series: hourly([150, 150, 150], 'average-direct')},
      {regionId: 'europe-west1', powerUsageEffectiveness: 1.1,
        series: hourly([170, 170, 170])},
    ];
    const plan = planContiguous({...job, candidates,
      basis: 'average-lifecycle'});
    assert.ok(plan.feasible);
    assert.equal(plan.chosen.regionId, 'europe-west1');
    assert.equal(plan.basisMismatch, true);
    const london = plan.regions.find((r) => r.regionId === 'europe-west2');
    assert.equal(london?.excluded, 'basis-mismatch');
  });

  it('picks the lifecycle ranking when both regions share it (C13)', () => {
    const plan = planContiguous({...job, candidates: [
      {regionId: 'europe-west2', powerUsageEffectiveness: 1.1,
        series: hourly([230, 230, 230])},
      {regionId: 'europe-west1', powerUsageEffectiveness: 1.1,
        series: hourly([170, 170, 170])}]});
    assert.ok(plan.feasible);
    assert.equal(plan.chosen.regionId, 'europe-west1');
    assert.equal(plan.basisMismatch, false);
  });

  it('refuses mixed bases when no basis is named', () => {
    assert.throws(() => planContiguous({...job, candidates: [
      {regionId: 'a', powerUsageEffectiveness: 1,
        series: hourly([1, 1, 1], 'average-direct')},
      {regionId: 'b', powerUsageEffectiveness: 1, series: hourly([1, 1, 1])},
    ]}), BasisMismatchError);
  });

  it('breaks ties by start, then home, then name, in any order', () => {
    const flat = hourly([100, 100, 100]);
    const candidates: PlanCandidate[] = [
      {regionId: 'c', powerUsageEffectiveness: 1, series: flat},
      {regionId: 'b', powerUsageEffectiveness: 1, series: flat, isHome: true},
      {regionId: 'a', powerUsageEffectiveness: 1,
        series: hourly([100 * (1 + 1e-12), 100, 100])},
    ];
    for (const order of [candidates, [...candidates].reverse()]) {
      const plan = planContiguous({...job, candidates: order});
      assert.ok(plan.feasible);
      assert.deepEqual([plan.chosen.regionId, plan.chosen.startMs], ['b', 0]);
    }
    const noHome = candidates.map((c) => ({...c, isHome: false}));
    const plan = planContiguous({...job, candidates: noHome.reverse()});
    assert.ok(plan.feasible);
    assert.equal(plan.chosen.regionId, 'a');
  });

  it('throws a typed error for a missing price under costWeight', () => {
    const candidates: PlanCandidate[] = [
      {regionId: 'a', powerUsageEffectiveness: 1, series: hourly([1, 1, 1]),
        pricePerHour: 3},
      {regionId: 'b', powerUsageEffectiveness: 1, series: hourly([1, 1, 1])},
    ];
    assert.throws(() => planContiguous({...job, candidates, costWeight: 2}),
      (error: unknown) => error instanceof MissingPriceError &&
        error.regionId === 'b' && /pricePerHour/.test(error.message));
    assert.ok(planContiguous({...job, candidates}).feasible);
  });

  it('trades grams against price with costWeight', () => {
    const candidates: PlanCandidate[] = [
      {regionId: 'clean', powerUsageEffectiveness: 1,
        series: hourly([100, 100, 100]), pricePerHour: 50},
      {regionId: 'cheap', powerUsageEffectiveness: 1,
        series: hourly([110, 110, 110]), pricePerHour: 10},
    ];
    const carbonOnly = planContiguous({...job, candidates});
    const weighted = planContiguous({...job, candidates, costWeight: 10});
    assert.ok(carbonOnly.feasible && weighted.feasible);
    assert.equal(carbonOnly.chosen.regionId, 'clean');
    assert.equal(weighted.chosen.regionId, 'cheap');
  });

  it('adds dataset transfer energy away from the dataset region', () => {
    const candidates: PlanCandidate[] = [
      {regionId: 'home', powerUsageEffectiveness: 1,
        series: hourly([100, 100, 100])},
      {regionId: 'away', powerUsageEffectiveness: 1,
        series: hourly([99, 99, 99])},
    ];
    const plan = planContiguous({...job, candidates,
      datasetRegionId: 'home', datasetGigabytes: 10_000});
    assert.ok(plan.feasible);
    assert.equal(plan.chosen.regionId, 'home');
    const away = plan.regions.find((r) => r.regionId === 'away');
    assert.equal(away?.best?.transferEmissionsGrams, 10 * 99);
  });

  it('finds an optimum whose end, not start, sits on a boundary', () => {
    const series = regularSeries(0, 30 * MINUTE_MS, [200, 200, 100, 500]);
    const plan = planContiguous({...job, deadlineMs: 2 * HOUR_MS,
      earliestStartMs: 7 * MINUTE_MS, durationMs: 45 * MINUTE_MS,
      candidates: [{regionId: 'r', powerUsageEffectiveness: 1, series}]});
    assert.ok(plan.feasible);
    // Start 45 min is no boundary; the window's end (90 min) is one.
    assert.equal(plan.chosen.startMs, 45 * MINUTE_MS);
    assert.ok(Math.abs(plan.chosen.averageGramsPerKilowattHour -
      (15 * 200 + 30 * 100) / 45) < 1e-9);
    for (let startMs = 7 * MINUTE_MS; startMs <= 75 * MINUTE_MS;
      startMs += MINUTE_MS) {
      const window = windowAverage(series, startMs, startMs + 45 * MINUTE_MS);
      assert.ok(window.eligible);
      assert.ok(window.averageGramsPerKilowattHour >=
        plan.chosen.averageGramsPerKilowattHour - 1e-9);
    }
  });

  it('agrees with the point-by-point reference on random series', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 60; trial += 1) {
      const candidates = randomCandidates(random);
      const durationMs = (20 + Math.floor(random() * 200)) * MINUTE_MS;
      const earliestStartMs = Math.floor(random() * 90) * MINUTE_MS;
      const deadlineMs = earliestStartMs + durationMs +
        Math.floor(random() * 600) * MINUTE_MS;
      const plan = planContiguous({candidates, durationMs, earliestStartMs,
        deadlineMs, itPowerKilowatts: 5});
      const reference = referenceWindowSearch(candidates, durationMs,
        earliestStartMs, deadlineMs, 5);
      assert.equal(plan.feasible, reference !== null, `trial ${trial}`);
      if (!plan.feasible || reference === null) continue;
      assert.equal(plan.chosen.regionId, reference.regionId);
      assert.equal(plan.chosen.startMs, reference.startMs);
      assert.ok(Math.abs(plan.chosen.score - reference.score) <=
        1e-9 * reference.score);
      // Every breakpoint is on a whole minute here: a minute scan is exact.
      const scanned = minuteScanBest(candidates, durationMs,
        earliestStartMs, deadlineMs);
      assert.ok(Math.abs(plan.chosen.averageGramsPerKilowattHour - scanned) <=
        1e-9 * scanned, `trial ${trial}`);
    }
  });

  it('names the field of an unusable input', () => {
    assert.throws(() => planContiguous({...job, durationMs: 0,
      candidates: []}), (error: unknown) =>
      error instanceof PlannerInputError && error.field === 'durationMs');
    assert.throws(() => planContiguous({...job, candidates: [{regionId: 'a',
      powerUsageEffectiveness: 1, series: seriesOf([[0, HOUR_MS, NaN]])}]}),
    PlannerInputError);
  });
});

// Mixed 15/30/60-minute points with gaps and nulls, three regions.
function randomCandidates(random: () => number): PlanCandidate[] {
  return ['r1', 'r2', 'r3'].map((regionId, index) => {
    const points: [number, number, number | null][] = [];
    let cursorMs = Math.floor(random() * 4) * 15 * MINUTE_MS;
    while (cursorMs < 14 * HOUR_MS) {
      const stepMs = [15, 30, 60][Math.floor(random() * 3)]! * MINUTE_MS;
      const roll = random();
      if (roll < 0.03) cursorMs += stepMs;
      const value = roll > 0.97 ? null : Math.round(50 + random() * 400);
      points.push([cursorMs, stepMs, value]);
      cursorMs += stepMs;
    }
    return {regionId, powerUsageEffectiveness: 1, isHome: index === 1,
      series: seriesOf(points)};
  });
}

// The lowest window average over starts on every whole minute.
function minuteScanBest(
  candidates: readonly PlanCandidate[],
  durationMs: number,
  earliestStartMs: number,
  deadlineMs: number,
): number {
  let best = Infinity;
  for (const candidate of candidates) {
    for (let startMs = earliestStartMs; startMs + durationMs <= deadlineMs;
      startMs += MINUTE_MS) {
      const window = windowAverage(candidate.series, startMs,
        startMs + durationMs);
      if (window.eligible) {
        best = Math.min(best, window.averageGramsPerKilowattHour);
      }
    }
  }
  return best;
}
