import assert from 'node:assert/strict';
import {planInterruptible} from '../../../shared/planner/interruptible-plan.js';
import type {
  InterruptiblePlanInput,
} from '../../../shared/planner/interruptible-plan.js';
import type {PlanCandidate} from '../../../shared/planner/plan-types.js';
import {windowAverage} from '../../../shared/planner/window-average.js';
import {
  HOUR_MS,
  MINUTE_MS,
  regularSeries,
  seededRandom,
} from './series-fixtures.js';

const HALF_HOUR_MS = 30 * MINUTE_MS;
const job = {earliestStartMs: 0, itPowerKilowatts: 10, workMs: 2 * HOUR_MS,
  checkpointEveryMs: HALF_HOUR_MS, minRunMs: HALF_HOUR_MS, maxPauses: 2,
  checkpointOverheadMs: 0, restartOverheadMs: 0};
const region = (regionId: string, values: number[]): PlanCandidate => ({
  regionId, powerUsageEffectiveness: 1,
  series: regularSeries(0, HALF_HOUR_MS, values)});

describe('planInterruptible', () => {
  it('pauses over a dirty stretch and reports the contiguous cost', () => {
    const plan = planInterruptible({...job, deadlineMs: 4 * HOUR_MS,
      candidates: [region('r', [50, 50, 900, 900, 900, 900, 50, 50])]});
    assert.ok(plan.feasible);
    assert.equal(plan.source, 'dynamic-programming');
    assert.equal(plan.pauses, 1);
    assert.deepEqual(plan.segments.map((s) => [s.startMs, s.endMs]),
      [[0, HOUR_MS], [3 * HOUR_MS, 4 * HOUR_MS]]);
    assert.equal(plan.totalEmissionsGrams, 10 * 2 * 50);
    assert.equal(plan.contiguous?.averageGramsPerKilowattHour, 475);
    assert.equal(plan.savingVersusContiguousGrams, 10 * 2 * (475 - 50));
  });

  it('counts overhead time and energy in each resumed segment', () => {
    const plan = planInterruptible({...job, deadlineMs: 4 * HOUR_MS,
      checkpointOverheadMs: 6 * MINUTE_MS, restartOverheadMs: 9 * MINUTE_MS,
      candidates: [region('r', [50, 50, 900, 900, 900, 50, 50, 50])]});
    assert.ok(plan.feasible && plan.pauses === 1);
    const [first, second] = plan.segments;
    assert.equal(first!.endMs - first!.startMs, HOUR_MS + 6 * MINUTE_MS);
    assert.equal(first!.checkpointOverheadMs, 6 * MINUTE_MS);
    assert.equal(second!.endMs - second!.startMs, HOUR_MS + 9 * MINUTE_MS);
    const workedMs = plan.segments.reduce((sum, s) => sum + s.workMs, 0);
    assert.equal(workedMs, 2 * HOUR_MS);
  });

  it('runs straight through when the deadline leaves no slack', () => {
    const plan = planInterruptible({...job, deadlineMs: 2 * HOUR_MS,
      candidates: [region('r', [50, 900, 900, 50, 50, 50])]});
    assert.ok(plan.feasible);
    assert.equal(plan.pauses, 0);
    assert.equal(plan.finishMs, 2 * HOUR_MS);
  });

  it('never pauses more than maxPauses, and more pauses never cost more',
    () => {
      const values = [50, 900, 50, 900, 50, 900, 50, 900, 50, 900];
      const scores = [0, 1, 2, 3].map((maxPauses) => {
        const plan = planInterruptible({...job, maxPauses,
          deadlineMs: 5 * HOUR_MS, candidates: [region('r', values)]});
        assert.ok(plan.feasible);
        assert.ok(plan.pauses <= maxPauses);
        return plan.score;
      });
      // Runs of 4, 1+3, 1+3 (a tie keeps fewer pauses), 1+1+1+1 units.
      assert.deepEqual(scores, [10 * 2 * 475, 10 * 2 * 262.5,
        10 * 2 * 262.5, 10 * 2 * 50]);
    });

  it('keeps every segment at least minRunMs long', () => {
    const plan = planInterruptible({...job, minRunMs: HOUR_MS,
      deadlineMs: 5 * HOUR_MS,
      candidates: [region('r', [50, 900, 50, 900, 50, 50, 900, 50, 50, 50])]});
    assert.ok(plan.feasible);
    for (const segment of plan.segments) {
      assert.ok(segment.endMs - segment.startMs >= HOUR_MS);
    }
  });

  it('moves between regions only when the transfer pays', () => {
    const candidates = [region('a', [50, 50, 900, 900]),
      region('b', [900, 900, 50, 50])];
    const cheapMove = planInterruptible({...job, deadlineMs: 2 * HOUR_MS,
      candidates, checkpointGigabytes: 1});
    assert.ok(cheapMove.feasible);
    assert.deepEqual(cheapMove.segments.map((s) => s.regionId), ['a', 'b']);
    assert.equal(cheapMove.segments[1]?.transferEmissionsGrams, 0.001 * 50);
    const dearMove = planInterruptible({...job, deadlineMs: 2 * HOUR_MS,
      candidates, checkpointGigabytes: 100_000_000});
    assert.ok(dearMove.feasible);
    assert.equal(new Set(dearMove.segments.map((s) => s.regionId)).size, 1);
  });

  it('matches brute force on random small inputs', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 40; trial += 1) {
      const input = randomInput(random);
      const plan = planInterruptible(input);
      const expected = bruteForce(input);
      const actual = plan.feasible ? plan.dynamicProgrammingScore : null;
      if (expected === null || actual === null) {
        assert.equal(actual, expected, `trial ${trial}`);
        continue;
      }
      assert.ok(Math.abs(actual - expected) <= 1e-9 * expected,
        `trial ${trial}: ${actual} vs ${expected}`);
    }
  });
});

function randomInput(random: () => number): InterruptiblePlanInput {
  const pick = <T>(options: T[]) =>
    options[Math.floor(random() * options.length)] as T;
  const values = () => Array.from({length: 14}, () =>
    random() < 0.05 ? null : Math.round(30 + random() * 600));
  return {
    candidates: ['a', 'b'].map((regionId) => ({regionId,
      powerUsageEffectiveness: pick([1, 1.1, 1.4]),
      series: regularSeries(0, HALF_HOUR_MS, values())})),
    earliestStartMs: pick([0, 10 * MINUTE_MS]), itPowerKilowatts: 3,
    deadlineMs: pick([4, 5, 6]) * HOUR_MS,
    workMs: pick([50, 90, 120]) * MINUTE_MS,
    checkpointEveryMs: HALF_HOUR_MS, gridStepMs: pick([15, 30]) * MINUTE_MS,
    minRunMs: pick([0, 40, 60]) * MINUTE_MS, maxPauses: pick([0, 1, 2]),
    checkpointOverheadMs: pick([0, 5]) * MINUTE_MS,
    restartOverheadMs: pick([0, 10]) * MINUTE_MS,
    checkpointGigabytes: pick([0, 5000]), datasetRegionId: 'a',
    datasetGigabytes: pick([0, 20000]),
  };
}

// Enumerates every segment sequence directly from the model's rules.
function bruteForce(input: InterruptiblePlanInput): number | null {
  const stepMs = input.gridStepMs ?? input.checkpointEveryMs;
  const units = Math.ceil(input.workMs / input.checkpointEveryMs);
  let best: number | null = null;
  const visit = (done: number, pauses: number, freeMs: number,
    last: string | null, score: number) => {
    for (let startMs = input.earliestStartMs; startMs <= input.deadlineMs;
      startMs += stepMs) {
      if (startMs < freeMs) continue;
      for (const candidate of input.candidates) {
        for (let k = 1; done + k <= units; k += 1) {
          const isFirst = last === null;
          const isLast = done + k === units;
          const workMs = Math.min(k * input.checkpointEveryMs,
            input.workMs - done * input.checkpointEveryMs);
          const lengthMs = workMs + (isFirst ? 0 : input.restartOverheadMs) +
            (isLast ? 0 : input.checkpointOverheadMs);
          const endMs = startMs + lengthMs;
          if (endMs > input.deadlineMs) continue;
          if (!(isFirst && isLast) && lengthMs < input.minRunMs) continue;
          if (!isLast && pauses + (isFirst ? 0 : 1) >= input.maxPauses) {
            continue;
          }
          const window = windowAverage(candidate.series, startMs, endMs);
          if (!window.eligible) continue;
          const moved = candidate.regionId !== last;
          const transferKilowattHours = !moved ? 0 :
            (isFirst ? 0 : (input.checkpointGigabytes ?? 0) * 0.001) +
            (candidate.regionId === input.datasetRegionId ? 0 :
              (input.datasetGigabytes ?? 0) * 0.001);
          const average = window.averageGramsPerKilowattHour;
          const cost = score + average * (transferKilowattHours +
            input.itPowerKilowatts * candidate.powerUsageEffectiveness *
              lengthMs / HOUR_MS);
          if (isLast) {
            if (best === null || cost < best) best = cost;
          } else {
            visit(done + k, pauses + (isFirst ? 0 : 1), endMs,
              candidate.regionId, cost);
          }
        }
      }
    }
  };
  visit(0, 0, -Infinity, null, 0);
  return best;
}
