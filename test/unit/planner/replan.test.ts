import assert from 'node:assert/strict';
import {
  replanThresholdAt,
  shouldReplace,
} from '../../../shared/planner/replan.js';
import {HOUR_MS} from './series-fixtures.js';

const deadlineMs = 48 * HOUR_MS;
const plan = (startHour: number, hours: number, grams: number | null) => ({
  startMs: startHour * HOUR_MS, finishMs: (startHour + hours) * HOUR_MS,
  expectedEmissionsGrams: grams});

describe('shouldReplace', () => {
  it('replaces when the fresh plan is better by more than the threshold',
    () => {
      const decision = shouldReplace(plan(10, 8, 1000), plan(20, 8, 900),
        0.05, deadlineMs, 2 * HOUR_MS);
      assert.equal(decision.replace, true);
      assert.equal(decision.reason, 'better-by-threshold');
      assert.equal(decision.savingGrams, 100);
      assert.equal(decision.savingFraction, 0.1);
    });

  it('keeps the current plan when the gain is within the threshold', () => {
    const decision = shouldReplace(plan(10, 8, 1000), plan(20, 8, 960),
      0.05, deadlineMs, 2 * HOUR_MS);
    assert.equal(decision.replace, false);
    assert.equal(decision.reason, 'not-better-enough');
  });

  it('keeps the current plan at exactly the threshold', () => {
    const decision = shouldReplace(plan(10, 8, 1000), plan(20, 8, 950),
      0.05, deadlineMs, 2 * HOUR_MS);
    assert.equal(decision.replace, false);
  });

  it('never takes a fresh plan that ends after the deadline', () => {
    const decision = shouldReplace(plan(10, 8, 1000), plan(41, 8, 10),
      0.05, deadlineMs, 2 * HOUR_MS);
    assert.equal(decision.replace, false);
    assert.equal(decision.reason, 'fresh-misses-deadline');
  });

  it('takes a feasible fresh plan when the current one would end late',
    () => {
      const decision = shouldReplace(plan(42, 8, 500), plan(30, 8, 900),
        0.05, deadlineMs, 2 * HOUR_MS);
      assert.equal(decision.replace, true);
      assert.equal(decision.reason, 'current-misses-deadline');
    });

  it('refuses a fresh plan that starts before now', () => {
    const decision = shouldReplace(plan(10, 8, 1000), plan(1, 8, 10),
      0.05, deadlineMs, 2 * HOUR_MS);
    assert.equal(decision.reason, 'fresh-starts-in-the-past');
    assert.equal(decision.replace, false);
  });

  it('never replaces on an unpriced fresh plan, keeps an unpriced current',
    () => {
      assert.equal(shouldReplace(plan(10, 8, 1000), plan(20, 8, null),
        0, deadlineMs, 0).reason, 'fresh-unpriced');
      const kept = shouldReplace(plan(10, 8, null), plan(20, 8, 1), 0,
        deadlineMs, 0);
      assert.equal(kept.replace, false);
      assert.equal(kept.reason, 'current-unpriced');
      assert.equal(kept.savingGrams, null);
    });

  it('launches a plan whose start has arrived instead of postponing it',
    () => {
      const decision = shouldReplace(plan(10, 8, 1000), plan(20, 8, 100),
        0.05, deadlineMs, 10 * HOUR_MS, HOUR_MS);
      assert.equal(decision.replace, false);
      assert.equal(decision.reason, 'current-start-arrived');
      assert.equal(decision.savingGrams, 900);
    });

  it('still moves a plan whose start lies beyond the launch lead', () => {
    const decision = shouldReplace(plan(11, 8, 1000), plan(20, 8, 100),
      0.05, deadlineMs, 10 * HOUR_MS, HOUR_MS);
    assert.equal(decision.replace, true);
    assert.equal(decision.reason, 'better-by-threshold');
  });

  it('gives way at the slot when the current plan would end late', () => {
    const decision = shouldReplace(plan(44, 8, 1000), plan(44, 4, 100),
      0.05, deadlineMs, 44 * HOUR_MS, HOUR_MS);
    assert.equal(decision.replace, true);
    assert.equal(decision.reason, 'current-misses-deadline');
  });

  it('names the launch lead when it is negative', () => {
    assert.throws(() => shouldReplace(plan(1, 1, 1), plan(1, 1, 1), 0,
      deadlineMs, 0, -1), /launchLeadMs: -1 is unusable/);
  });

  it('asks a move a day out for the lead error margin on top', () => {
    // Now is hour 2; the fresh plan starts at hour 26, saving 4 %.
    const withoutMargin = shouldReplace(plan(10, 8, 1000),
      plan(26, 8, 960), 0.01, deadlineMs, 2 * HOUR_MS, 0, 0);
    const withMargin = shouldReplace(plan(10, 8, 1000), plan(26, 8, 960),
      0.01, deadlineMs, 2 * HOUR_MS, 0, 0.05);
    assert.equal(withoutMargin.replace, true);
    assert.equal(withMargin.replace, false);
    assert.equal(withMargin.reason, 'not-better-enough');
    assert.ok(Math.abs(withMargin.thresholdFraction - 0.06) < 1e-12);
  });

  it('grows the margin with the square root of lead, flat past 96 h',
    () => {
      assert.equal(replanThresholdAt(0.01, 0.05, 0, 0), 0.01);
      assert.ok(Math.abs(replanThresholdAt(0.01, 0.05, 96 * HOUR_MS, 0) -
        0.11) < 1e-12);
      assert.equal(replanThresholdAt(0.01, 0.05, 200 * HOUR_MS, 0),
        replanThresholdAt(0.01, 0.05, 96 * HOUR_MS, 0));
    });

  it('names the lead error field when it is out of range', () => {
    assert.throws(() => shouldReplace(plan(1, 1, 1), plan(1, 1, 1), 0,
      deadlineMs, 0, 0, -0.1), /leadErrorFraction: -0.1 is unusable/);
  });

  it('names the threshold field when it is out of range', () => {
    assert.throws(() => shouldReplace(plan(1, 1, 1), plan(1, 1, 1), 1.5,
      deadlineMs), /thresholdFraction: 1.5 is unusable/);
  });
});
