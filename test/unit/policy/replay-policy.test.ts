import assert from 'node:assert/strict';
import {decidePauseOrContinue} from '../../../shared/policy/pause-policy.js';
import {INITIAL_MEMORY} from '../../../shared/policy/policy-types.js';
import {replayPolicy} from '../../../shared/policy/replay-policy.js';
import type {ReplayInput} from '../../../shared/policy/replay-policy.js';
import {
  at,
  HOUR_MS,
  MINUTE_MS,
  regularSeries,
} from '../planner/series-fixtures.js';

const QUARTER_MS = 15 * MINUTE_MS;
const noonMs = at('2025-02-03T12:00:00Z');
// C15: 15-minute readings 12:00 ... 15:00, a 38 dip every 45 minutes.
const c15Values = [410, 405, 38, 400, 398, 38, 402, 399, 38, 401, 400, 38,
  405];
const c15 = regularSeries(noonMs, QUARTER_MS, c15Values);

function replayOf(overrides: Partial<ReplayInput>): ReplayInput {
  return {initialState: 'paused', workMs: 6 * HOUR_MS,
    readings: c15.points, forecastAt: () => c15,
    deadlineMs: noonMs + 48 * HOUR_MS,
    checkpoint: {durationMs: 5 * MINUTE_MS},
    restart: {durationMs: 10 * MINUTE_MS},
    itPowerKilowatts: 10, powerUsageEffectiveness: 1.1,
    config: {pauseAboveGramsPerKilowattHour: 350,
      resumeBelowGramsPerKilowattHour: 250, consecutiveReadings: 2,
      minimumDwellMs: 30 * MINUTE_MS},
    ...overrides};
}

describe('replayPolicy', () => {
  it('does not thrash on single-sample dips (C15)', () => {
    const result = replayOf({});
    const replay = replayPolicy(result);
    assert.equal(replay.resumes, 0);
    assert.equal(replay.pauses, 0);
    assert.equal(replay.checkpoints, 0);
    assert.equal(replay.finalState, 'paused');
    assert.ok(replay.decisions.every((d) => d.nextState === 'paused'));
    assert.deepEqual(replay.rejectedTransients.map((r) =>
      new Date(r.startMs).toISOString().slice(11, 16)),
    ['12:30', '13:15', '14:00', '14:45']);
    assert.ok(replay.rejectedTransients.every((r) =>
      r.gramsPerKilowattHour === 38));
  });

  it('acts on the first dip without persistence; defaults do not (C15)',
    () => {
    const replay = replayPolicy(replayOf({config: {
      pauseAboveGramsPerKilowattHour: 350,
      resumeBelowGramsPerKilowattHour: 250, consecutiveReadings: 1,
      minimumDwellMs: 0}}));
    const firstResume = replay.decisions.find((d) => d.action === 'resume');
    assert.equal(firstResume?.inputs.nowMs, noonMs + 2 * QUARTER_MS);
    const defaults = replayPolicy(replayOf({config: {
      pauseAboveGramsPerKilowattHour: 350,
      resumeBelowGramsPerKilowattHour: 250}}));
    assert.equal(defaults.resumes, 0);
    });

  it('rejects a single dirty spike while running', () => {
    const values = [100, 100, 600, 100, 100, 100];
    const series = regularSeries(noonMs, QUARTER_MS, values);
    const replay = replayPolicy(replayOf({initialState: 'running',
      readings: series.points, forecastAt: () => series}));
    assert.equal(replay.pauses, 0);
    assert.deepEqual(replay.rejectedTransients.map((r) => r.startMs),
      [noonMs + 2 * QUARTER_MS]);
  });

  it('pauses through a dirty stretch and resumes when it is clean', () => {
    const values = [100, 600, 600, 600, 600, 600, 600, 600, 600, 100, 100,
      100, 100, 100, 100, 100];
    const series = regularSeries(noonMs, QUARTER_MS, values);
    const replay = replayPolicy(replayOf({initialState: 'running',
      workMs: 2 * HOUR_MS, readings: series.points,
      forecastAt: () => series}));
    assert.equal(replay.pauses, 1);
    assert.equal(replay.resumes, 1);
    const resume = replay.decisions.find((d) => d.action === 'resume');
    assert.equal(resume?.inputs.nowMs, noonMs + 9 * QUARTER_MS);
    assert.equal(resume?.reason, 'planned-resume');
  });

  it('matches the live policy decision by decision', () => {
    const input = replayOf({});
    const replay = replayPolicy(input);
    let memory = INITIAL_MEMORY;
    replay.decisions.forEach((decision, index) => {
      const live = decidePauseOrContinue({...decision.inputs, memory});
      assert.equal(live.action, decision.action, `poll ${index}`);
      assert.deepEqual(live.numbers, decision.numbers);
      memory = live.memory;
    });
  });
});
