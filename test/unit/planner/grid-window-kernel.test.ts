import assert from 'node:assert/strict';
import fc from 'fast-check';
import {planContiguous} from '../../../shared/planner/contiguous-plan.js';
import type {
  ContiguousPlanInput,
  ContiguousPlanResult,
} from '../../../shared/planner/contiguous-plan.js';
import {
  referenceWindowSearch,
} from '../../../shared/planner/reference-window-search.js';
import type {PlanCandidate} from '../../../shared/planner/plan-types.js';
import {scoresTie} from '../../../shared/planner/window-order.js';
import {HOUR_MS, MINUTE_MS, regularSeries} from './series-fixtures.js';

// Few distinct values, so equal windows (exact ties) are common.
const value = fc.oneof(
  {weight: 1, arbitrary: fc.constant(null)},
  {weight: 12, arbitrary: fc.constantFrom(100, 150, 200, 350)},
);

const regularInput = fc.record({
  stepMinutes: fc.constantFrom(5, 15, 30, 60),
  originSteps: fc.integer({min: 0, max: 3}),
  regions: fc.array(fc.record({
    offsetSteps: fc.integer({min: 0, max: 2}),
    values: fc.array(value, {minLength: 2, maxLength: 40}),
    powerUsageEffectiveness: fc.constantFrom(1, 1.1),
    isHome: fc.boolean(),
  }), {minLength: 1, maxLength: 3}),
  durationMinutes: fc.integer({min: 1, max: 400}),
  earliestMinutes: fc.integer({min: 0, max: 200}),
  earliestExtraMs: fc.constantFrom(0, 0, 1, 29_999),
  slackMinutes: fc.integer({min: 0, max: 2000}),
}).map((drawn): ContiguousPlanInput => {
  const stepMs = drawn.stepMinutes * MINUTE_MS;
  const originMs = Date.UTC(2025, 2, 30) + drawn.originSteps * stepMs;
  const candidates: PlanCandidate[] = drawn.regions.map((region, index) =>
    ({regionId: `region-${index}`,
      powerUsageEffectiveness: region.powerUsageEffectiveness,
      isHome: region.isHome,
      series: regularSeries(originMs + region.offsetSteps * stepMs, stepMs,
        region.values)}));
  const durationMs = drawn.durationMinutes * MINUTE_MS;
  const earliestStartMs = originMs + drawn.earliestMinutes * MINUTE_MS +
    drawn.earliestExtraMs;
  return {candidates, durationMs, earliestStartMs,
    deadlineMs: earliestStartMs + durationMs +
      drawn.slackMinutes * MINUTE_MS, itPowerKilowatts: 4};
});

// A region summary without the listing, for comparing the two paths.
function withoutListing(plan: ContiguousPlanResult) {
  return {...plan, regions: plan.regions.map((region) => {
    const {candidates: listedStarts, ...rest} = region;
    assert.ok(listedStarts !== undefined);
    return rest;
  })};
}

describe('contiguous sweep on a regular grid', () => {
  it('finds what pricing each listed start one at a time finds', () => {
    fc.assert(fc.property(regularInput, (input) => {
      const fast = planContiguous(input);
      const listed = planContiguous({...input, listCandidates: true});
      assert.deepStrictEqual(withoutListing(listed), fast);

      for (const region of listed.regions) {
        const starts = region.candidates ?? [];
        const eligible = starts.filter((start) =>
          start.averageGramsPerKilowattHour !== null);
        assert.equal(region.evaluatedStartCount, starts.length);
        assert.equal(region.eligibleStartCount, eligible.length);
        assert.equal(region.firstEligibleStartMs,
          eligible[0]?.startMs ?? null);
        assert.equal(region.lastEligibleStartMs,
          eligible[eligible.length - 1]?.startMs ?? null);
        for (let i = 1; i < starts.length; i += 1) {
          assert.ok(starts[i]!.startMs > starts[i - 1]!.startMs);
        }
      }
    }), {numRuns: 400});
  });

  it('agrees with the point-by-point reference search', () => {
    fc.assert(fc.property(regularInput, (input) => {
      const plan = planContiguous(input);
      const reference = referenceWindowSearch(input.candidates,
        input.durationMs, input.earliestStartMs, input.deadlineMs,
        input.itPowerKilowatts);
      assert.equal(plan.feasible, reference !== null);
      if (!plan.feasible || reference === null) return;
      assert.equal(plan.chosen.regionId, reference.regionId);
      assert.equal(plan.chosen.startMs, reference.startMs);
      assert.ok(scoresTie(plan.chosen.score, reference.score));
    }), {numRuns: 400});
  });

  it('skips windows touching a null and keeps the earliest tie', () => {
    const series = regularSeries(0, HOUR_MS, [300, 100, 100, null, 100,
      100, 100]);
    const plan = planContiguous({durationMs: 2 * HOUR_MS,
      earliestStartMs: 0, deadlineMs: 7 * HOUR_MS, itPowerKilowatts: 1,
      candidates: [{regionId: 'r', powerUsageEffectiveness: 1, series}]});
    assert.ok(plan.feasible);
    // 01:00 and 04:00 and 05:00 tie at 100; 02:00 and 03:00 touch null.
    assert.equal(plan.chosen.startMs, HOUR_MS);
    assert.equal(plan.chosen.averageGramsPerKilowattHour, 100);
    const region = plan.regions[0];
    assert.equal(region?.evaluatedStartCount, 6);
    assert.equal(region?.eligibleStartCount, 4);
    assert.equal(region?.lastEligibleStartMs, 5 * HOUR_MS);
  });

  it('prices a start off the grid by the overlap of partial points', () => {
    const series = regularSeries(0, 15 * MINUTE_MS, [400, 100, 100, 100,
      100, 400]);
    const plan = planContiguous({durationMs: 50 * MINUTE_MS,
      earliestStartMs: 2 * MINUTE_MS, deadlineMs: 90 * MINUTE_MS,
      itPowerKilowatts: 1,
      candidates: [{regionId: 'r', powerUsageEffectiveness: 1, series}]});
    assert.ok(plan.feasible);
    // Any start in [15, 25] min sees only 100s; the earliest is 15 min.
    assert.equal(plan.chosen.startMs, 15 * MINUTE_MS);
    assert.equal(plan.chosen.averageGramsPerKilowattHour, 100);
    const region = plan.regions[0];
    // Starts: 2 (the earliest), 15 and 30 (grid), 10, 25 and 40 (ends
    // on the grid; 40 is also the latest).
    assert.equal(region?.evaluatedStartCount, 6);
  });
});
