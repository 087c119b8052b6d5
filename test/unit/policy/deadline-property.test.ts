import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ElectricityMapsTraces,
} from '../../../shared/signals/electricity-maps-traces.js';
import type {
  IntensityPoint,
  IntensitySeries,
} from '../../../shared/signals/intensity-series.js';
import {decidePauseOrContinue} from '../../../shared/policy/pause-policy.js';
import {INITIAL_MEMORY} from '../../../shared/policy/policy-types.js';
import type {
  JobState,
  PauseDecisionInput,
  PolicyMemory,
} from '../../../shared/policy/policy-types.js';
import {HOUR_MS, MINUTE_MS} from '../planner/series-fixtures.js';

// One simulated job: its poll interval, work, deadline and overheads.
interface SimulatedJob {
  readonly pollMs: number;
  readonly values: readonly (number | null)[];
  readonly forecastNoise: readonly number[];
  readonly initialState: JobState;
  readonly workMs: number;
  readonly slackMs: number;
  readonly checkpointEveryMs: number;
  readonly checkpointMs: number;
  readonly restartMs: number;
  readonly pauseAbove: number;
  readonly resumeGap: number;
  readonly consecutiveReadings: number;
  readonly minimumDwellMs: number;
}

/**
 * Runs the policy poll by poll, independently of replayPolicy: a running
 * job works at full speed after any restart; pausing loses the work since
 * the last periodic checkpoint and spends the checkpoint overhead. The
 * forecast is the recorded values with multiplicative noise, some holes.
 * Returns the instant the work is done, or null if it never is.
 */
function finishInstant(job: SimulatedJob): {finishMs: number | null;
  deadlineMs: number; pauses: number} {
  const startupMs = job.initialState === 'paused' ? job.restartMs : 0;
  const deadlineMs = startupMs + job.workMs + job.slackMs;
  const points: IntensityPoint[] = job.values.map((value, index) => ({
    startMs: index * job.pollMs, durationMs: job.pollMs,
    gramsPerKilowattHour: value}));
  const forecast: IntensitySeries = {zone: 'SIM', basis: 'average-lifecycle',
    kind: 'forecast', source: 'property-test', points: points.map((p, i) => ({
      ...p, gramsPerKilowattHour: p.gramsPerKilowattHour === null ||
        (job.forecastNoise[i] ?? 1) < 0.55 ? null :
        p.gramsPerKilowattHour * (job.forecastNoise[i] ?? 1)}))};

  let state = job.initialState;
  let memory: PolicyMemory = INITIAL_MEMORY;
  let remainingMs = job.workMs;
  let sinceCheckpointMs = 0;
  let workFromMs = 0; // no work before this instant (overheads)
  let pauses = 0;
  for (let index = 0; ; index += 1) {
    const nowMs = index * job.pollMs;
    const reading = points[index] ?? {startMs: nowMs,
      durationMs: job.pollMs, gramsPerKilowattHour: null};
    const input: PauseDecisionInput = {state, nowMs, reading, forecast,
      remainingWorkMs: remainingMs, unsavedWorkMs: sinceCheckpointMs,
      deadlineMs, checkpoint: {durationMs: job.checkpointMs},
      restart: {durationMs: job.restartMs}, itPowerKilowatts: 5,
      powerUsageEffectiveness: 1.1, pollIntervalMs: job.pollMs,
      config: {pauseAboveGramsPerKilowattHour: job.pauseAbove,
        resumeBelowGramsPerKilowattHour: job.pauseAbove - job.resumeGap,
        consecutiveReadings: job.consecutiveReadings,
        minimumDwellMs: job.minimumDwellMs}, memory};
    const decision = decidePauseOrContinue(input);
    memory = decision.memory;
    if (decision.action === 'pause') {
      pauses += 1;
      remainingMs += sinceCheckpointMs;
      sinceCheckpointMs = 0;
      workFromMs = nowMs + job.checkpointMs;
    } else if (decision.action === 'resume') {
      workFromMs = Math.max(workFromMs, nowMs) + job.restartMs;
    }
    state = decision.nextState;

    if (state === 'running') {
      const fromMs = Math.max(nowMs, workFromMs);
      const availableMs = Math.max(0, nowMs + job.pollMs - fromMs);
      if (remainingMs <= availableMs) {
        return {finishMs: fromMs + remainingMs, deadlineMs, pauses};
      }
      remainingMs -= availableMs;
      sinceCheckpointMs = (sinceCheckpointMs + availableMs) %
        job.checkpointEveryMs;
    }
    if (nowMs > deadlineMs + 10 * job.pollMs) {
      return {finishMs: null, deadlineMs, pauses};
    }
  }
}

const quarterHours = (from: number, to: number) =>
  fc.integer({min: from, max: to}).map((n) => n * 15 * MINUTE_MS);
const minutes = (from: number, to: number) =>
  fc.integer({min: from, max: to}).map((n) => n * MINUTE_MS);

// Job settings, for a trace of `length` readings.
function jobArbitrary(
  pollMs: number,
  values: fc.Arbitrary<readonly (number | null)[]>,
): fc.Arbitrary<SimulatedJob> {
  return fc.record({
    pollMs: fc.constant(pollMs), values,
    forecastNoise: fc.array(fc.double({min: 0.5, max: 1.5, noNaN: true}),
      {minLength: 200, maxLength: 200}),
    initialState: fc.constantFrom<JobState>('running', 'paused'),
    workMs: quarterHours(1, 24 * 4), slackMs: minutes(0, 36 * 60),
    checkpointEveryMs: quarterHours(1, 8), checkpointMs: minutes(0, 10),
    restartMs: minutes(0, 20), pauseAbove: fc.integer({min: 50, max: 600}),
    resumeGap: fc.integer({min: 0, max: 200}),
    consecutiveReadings: fc.integer({min: 1, max: 3}),
    minimumDwellMs: minutes(0, 60),
  });
}

const randomValues = fc.array(fc.option(fc.integer({min: 0, max: 900}),
  {freq: 8, nil: null}), {minLength: 200, maxLength: 200});

describe('pause policy deadline guarantee (property)', () => {
  it('finishes every random 15-minute trace by its deadline', () => {
    fc.assert(fc.property(jobArbitrary(15 * MINUTE_MS, randomValues),
      (job) => {
        const run = finishInstant(job);
        assert.notEqual(run.finishMs, null);
        assert.ok(run.finishMs! <= run.deadlineMs,
          `finished ${run.finishMs} after deadline ${run.deadlineMs}`);
      }), {numRuns: 300, seed: 20220614});
  });

  it('finishes every job on recorded hourly traces by its deadline', () => {
    const traces = new ElectricityMapsTraces({years: [2022]});
    const zones = traces.zones().slice(0, 6);
    const series = zones.map((zone) =>
      traces.observedSeries(zone, 'average-lifecycle')!.points);
    const recorded = fc.tuple(fc.integer({min: 0, max: series.length - 1}),
      fc.integer({min: 0, max: 8000})).map(([zone, offset]) =>
      series[zone]!.slice(offset, offset + 200)
        .map((p) => p.gramsPerKilowattHour));
    fc.assert(fc.property(jobArbitrary(HOUR_MS, recorded), (job) => {
      const run = finishInstant(job);
      assert.notEqual(run.finishMs, null);
      assert.ok(run.finishMs! <= run.deadlineMs,
        `finished ${run.finishMs} after deadline ${run.deadlineMs}`);
    }), {numRuns: 150, seed: 7});
  });

  it('reads a missing reading as unknown: no pause, no clean resume', () => {
    fc.assert(fc.property(jobArbitrary(15 * MINUTE_MS, randomValues),
      fc.constantFrom<JobState>('running', 'paused'),
      fc.integer({min: 0, max: 3}), (job, state, streak) => {
        const decision = decidePauseOrContinue({state, nowMs: 0,
          reading: {startMs: 0, durationMs: job.pollMs,
            gramsPerKilowattHour: null},
          forecast: {zone: 'SIM', basis: 'average-lifecycle',
            kind: 'forecast', source: 'property-test', points: []},
          remainingWorkMs: job.workMs, deadlineMs: job.workMs + job.slackMs +
            job.restartMs, checkpoint: {durationMs: job.checkpointMs},
          restart: {durationMs: job.restartMs}, itPowerKilowatts: 5,
          powerUsageEffectiveness: 1.1, pollIntervalMs: job.pollMs,
          config: {pauseAboveGramsPerKilowattHour: job.pauseAbove,
            resumeBelowGramsPerKilowattHour: job.pauseAbove - job.resumeGap,
            consecutiveReadings: job.consecutiveReadings},
          memory: {aboveStreak: streak, belowStreak: streak,
            lastTransitionMs: null, plannedResumeMs: 0}});
        assert.equal(decision.numbers.readingGramsPerKilowattHour, null);
        assert.equal(decision.memory.aboveStreak, 0);
        assert.equal(decision.memory.belowStreak, 0);
        assert.notEqual(decision.action, 'pause');
        if (decision.action === 'resume') {
          assert.equal(decision.reason, 'deadline');
        }
      }), {numRuns: 300, seed: 3});
  });
});
