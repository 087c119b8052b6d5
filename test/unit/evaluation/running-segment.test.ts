import assert from 'node:assert/strict';
import {DEFAULT_JOB_MIX} from '../../../shared/evaluation/job-mix.js';
import {HonestForecasts} from '../../../shared/evaluation/honest-forecasts.js';
import {
  HourlyValues,
} from '../../../shared/evaluation/hourly-values.js';
import type {ReplayContext} from '../../../shared/evaluation/replay-context.js';
import {runSegment} from '../../../shared/evaluation/running-segment.js';
import {INITIAL_MEMORY} from '../../../shared/policy/policy-types.js';

const HOUR_MS = 3_600_000;
const FIRST_MS = Date.UTC(2022, 4, 2);
const DAYS = 30;

// Clean from midnight to noon, four times dirtier after, every day.
const values = Float64Array.from({length: DAYS * 24},
  (_, hour) => hour % 24 < 12 ? 100 : 400);
const observed = new Map([['AA', new HourlyValues(FIRST_MS, values)]]);
const context: ReplayContext = {
  regions: new Map([['europe-test1', {id: 'europe-test1', zone: 'AA',
    residencyGroups: ['EU'], powerUsageEffectiveness: 1.1,
    yearlyGridGramsPerKilowattHour: new Map(), timeZone: 'UTC'}]]),
  observed, forecasts: new HonestForecasts(observed, 96),
  itPowerKilowatts: 1, replanImprovementFraction: 0,
  replanLeadErrorFraction: 0};

// A 12 h segment planned across the dirty afternoon, a day of slack.
const startMs = FIRST_MS + 20 * 24 * HOUR_MS + 10 * HOUR_MS;
const job = {scenario: 'test', kind: 'interruptible' as const,
  homeRegionId: 'europe-test1', allowedRegionIds: ['europe-test1'],
  submittedAtMs: startMs, workMs: 12 * HOUR_MS,
  deadlineMs: startMs + 40 * HOUR_MS, checkpointEveryMs: HOUR_MS,
  maxPauses: DEFAULT_JOB_MIX.maxPauses, minRunMs: HOUR_MS,
  checkpointOverheadMs: 5 * 60_000, restartOverheadMs: 10 * 60_000};
const planned = {regionId: 'europe-test1', startMs,
  endMs: startMs + 12 * HOUR_MS, workMs: 12 * HOUR_MS};
const state = {restartMs: 0, remainingMs: 12 * HOUR_MS,
  memory: INITIAL_MEMORY};

describe('runSegment (the monitor\'s pause policy in the replay)', () => {
  it('pauses a segment once the grid has turned dirty and stays so', () => {
    const run = runSegment(context, job, planned, {...state, pausesLeft: 1});
    assert.ok(run.segment.endMs < planned.endMs, 'ended early');
    assert.ok(run.workMs < planned.workMs && run.workMs >= HOUR_MS);
    assert.equal((run.segment.endMs - job.checkpointOverheadMs) % HOUR_MS,
      0, 'pauses on a poll, then writes its checkpoint');
  });

  it('runs to the planned end when no pause is left', () => {
    const run = runSegment(context, job, planned, {...state, pausesLeft: 0});
    assert.equal(run.segment.endMs, planned.endMs);
    assert.equal(run.workMs, planned.workMs);
  });
});
