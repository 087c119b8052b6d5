import assert from 'node:assert/strict';
import {decidePauseOrContinue} from '../../../shared/policy/pause-policy.js';
import type {
  PauseDecisionInput,
} from '../../../shared/policy/policy-types.js';
import {
  HOUR_MS,
  MINUTE_MS,
  regularSeries,
} from '../planner/series-fixtures.js';

const QUARTER_MS = 15 * MINUTE_MS;
// Dirty for two hours from 12:00, then clean (as 15-minute points).
const forecast = regularSeries(0, QUARTER_MS,
  [...Array<number>(8).fill(500), ...Array<number>(24).fill(100)]);
const reading = (startMs: number, value: number | null) =>
  ({startMs, durationMs: QUARTER_MS, gramsPerKilowattHour: value});
const running: PauseDecisionInput = {
  state: 'running', nowMs: 0, reading: reading(0, 500), forecast,
  remainingWorkMs: 2 * HOUR_MS, deadlineMs: 8 * HOUR_MS,
  checkpoint: {durationMs: 5 * MINUTE_MS},
  restart: {durationMs: 10 * MINUTE_MS},
  itPowerKilowatts: 10, powerUsageEffectiveness: 1.1,
  config: {pauseAboveGramsPerKilowattHour: 350,
    resumeBelowGramsPerKilowattHour: 250},
  memory: {aboveStreak: 1, belowStreak: 0, lastTransitionMs: null,
    plannedResumeMs: null},
};

describe('decidePauseOrContinue', () => {
  it('pauses on a confirmed dirty stretch and shows the arithmetic', () => {
    const decision = decidePauseOrContinue(running);
    assert.equal(decision.action, 'pause');
    assert.equal(decision.reason, 'saving');
    const n = decision.numbers;
    assert.equal(n.resumeAtMs, 2 * HOUR_MS);
    assert.equal(n.comparedWorkMs, 2 * HOUR_MS);
    assert.equal(n.emissionsNowGrams, 10 * 1.1 * 2 * 500);
    // Work starts after the 10 min restart: 110 min at 100, 10 at 100.
    assert.ok(Math.abs((n.emissionsLaterGrams ?? 0) - 10 * 1.1 * 2 * 100) <
      1e-9);
    const overhead = 10 * 1.1 * (5 / 60 * 500 + 10 / 60 * 100);
    assert.ok(Math.abs((n.overheadEmissionsGrams ?? 0) - overhead) < 1e-9);
    assert.ok(Math.abs((n.expectedSavingGrams ?? 0) -
      (11000 - 2200 - overhead)) < 1e-9);
    assert.equal(n.slackMs, 6 * HOUR_MS);
    assert.equal(decision.memory.plannedResumeMs, 2 * HOUR_MS);
    assert.equal(decision.memory.lastTransitionMs, 0);
    assert.equal(decision.inputs, running);
  });

  it('waits for a second dirty reading before pausing', () => {
    const decision = decidePauseOrContinue({...running, memory: undefined});
    assert.equal(decision.action, 'continue');
    assert.equal(decision.reason, 'awaiting-confirmation');
  });

  it('runs whatever the grid when pausing would miss the deadline', () => {
    const decision = decidePauseOrContinue({...running,
      deadlineMs: 2 * HOUR_MS + 20 * MINUTE_MS});
    assert.equal(decision.action, 'continue');
    assert.equal(decision.reason, 'no-slack');
    assert.ok((decision.numbers.slackAfterPauseMs ?? 0) < 0);
  });

  it('counts unsaved work as lost when checking the slack', () => {
    const deadlineMs = 2 * HOUR_MS + 40 * MINUTE_MS + 10 * MINUTE_MS;
    assert.equal(decidePauseOrContinue({...running, deadlineMs}).action,
      'pause');
    const decision = decidePauseOrContinue({...running, deadlineMs,
      unsavedWorkMs: 15 * MINUTE_MS});
    assert.equal(decision.reason, 'no-slack');
  });

  it('keeps running when the overheads eat the saving', () => {
    const decision = decidePauseOrContinue({...running,
      remainingWorkMs: 20 * MINUTE_MS,
      restart: {durationMs: 10 * MINUTE_MS, energyKilowattHours: 50}});
    assert.equal(decision.action, 'continue');
    assert.equal(decision.reason, 'no-saving');
    assert.ok((decision.numbers.expectedSavingGrams ?? 1) <= 0);
  });

  it('keeps running on a missing reading rather than reading it as 0', () => {
    const decision = decidePauseOrContinue({...running,
      reading: reading(0, null)});
    assert.equal(decision.action, 'continue');
    assert.equal(decision.reason, 'missing-reading');
    assert.equal(decision.memory.aboveStreak, 0);
  });

  it('holds a transition back until the dwell has passed', () => {
    const decision = decidePauseOrContinue({...running, nowMs: 0,
      memory: {...running.memory!, lastTransitionMs: -10 * MINUTE_MS}});
    assert.equal(decision.reason, 'dwell');
  });

  it('resumes a paused job when slack runs out, even on a dirty grid', () => {
    const decision = decidePauseOrContinue({...running, state: 'paused',
      nowMs: 4 * HOUR_MS, reading: reading(4 * HOUR_MS, 900),
      deadlineMs: 4 * HOUR_MS + 2 * HOUR_MS + 10 * MINUTE_MS + 10 * MINUTE_MS,
      memory: {aboveStreak: 0, belowStreak: 0,
        lastTransitionMs: 4 * HOUR_MS - MINUTE_MS, plannedResumeMs: null}});
    assert.equal(decision.action, 'resume');
    assert.equal(decision.reason, 'deadline');
    assert.equal(decision.nextState, 'running');
  });

  it('resumes at the planned time when the reading is clean', () => {
    const decision = decidePauseOrContinue({...running, state: 'paused',
      nowMs: 2 * HOUR_MS, reading: reading(2 * HOUR_MS, 100),
      memory: {aboveStreak: 0, belowStreak: 0, lastTransitionMs: 0,
        plannedResumeMs: 2 * HOUR_MS}});
    assert.equal(decision.action, 'resume');
    assert.equal(decision.reason, 'planned-resume');
  });

  it('stays paused when the current period is above the threshold (C04)',
    () => {
      const decision = decidePauseOrContinue({...running, state: 'paused',
        nowMs: 3 * HOUR_MS, reading: reading(3 * HOUR_MS, 230),
        config: {pauseAboveGramsPerKilowattHour: 350,
          resumeBelowGramsPerKilowattHour: 220},
        memory: {aboveStreak: 0, belowStreak: 1, lastTransitionMs: 0,
          plannedResumeMs: null}});
      assert.equal(decision.action, 'stay-paused');
      assert.equal(decision.reason, 'still-dirty');
    });
});
