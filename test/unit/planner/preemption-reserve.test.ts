import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';

import {choosePlan} from '../../../functions/optimize-slot/choose-plan.js';
import type {ForecastBundle} from '../../../shared/jobs/forecast-bundle.js';
import {spotPreemptionReserveMs} from
  '../../../shared/planner/preemption-reserve.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const T0 = Date.parse('2022-06-14T00:00:00Z');
const DEADLINE_MS = T0 + 20 * HOUR_MS + 10 * MINUTE_MS;

// One region whose grid gets cleaner every hour: the greenest window is
// the latest one the deadline allows.
const bundle: ForecastBundle = {
  jobId: 'job-spot-plan', requestId: 'job-spot-plan:plan:1', issuedAtMs: T0,
  provider: 'test', excluded: [],
  regions: [{
    regionId: 'us-east4', zone: 'us-east4', powerUsageEffectiveness: 1.1,
    series: {zone: 'us-east4', basis: 'average-lifecycle', kind: 'forecast',
      source: 'test', issuedAtMs: T0,
      points: Array.from({length: 24}, (_, hour) => ({
        startMs: T0 + hour * HOUR_MS, durationMs: HOUR_MS,
        gramsPerKilowattHour: 500 - hour * 10,
      }))},
  }],
};

async function plan(strategy: 'SPOT' | 'STANDARD', expected = 1) {
  const example = JSON.parse(await readFile(
    'examples/jobs/fine-tune-h100.json', 'utf8'));
  const job = jobRequestSchema.parse({
    ...example, jobId: 'job-spot-plan', homeRegion: 'us-east4',
    durationHours: 2, interruptible: false, checkpointEveryMinutes: 30,
    constraints: {deadline: new Date(DEADLINE_MS).toISOString(),
      residency: ['any'], maxPauses: 0},
    scheduling: {strategy},
  });
  return choosePlan({...job, jobId: 'job-spot-plan'}, bundle, {
    requestId: 'job-spot-plan:plan:1', forecastsPointer: 'forecasts',
    submittedAtMs: T0, nowMs: T0, stepsPerHour: 12,
    checkpointOverheadMs: 2 * MINUTE_MS, restartOverheadMs: 5 * MINUTE_MS,
    gpuUtilisationFraction: 0.9, expectedSpotPreemptions: expected,
  });
}

describe('slack reserved for a SPOT job\'s expected preemptions', () => {
  it('reserves the restart overhead plus half a checkpoint interval per ' +
    'expected preemption', () => {
    assert.equal(spotPreemptionReserveMs({strategy: 'SPOT',
      expectedPreemptions: 2, restartOverheadMs: 5 * MINUTE_MS,
      checkpointEveryMs: 30 * MINUTE_MS}), 2 * 20 * MINUTE_MS);
  });

  it('reserves nothing for STANDARD or FLEX_START', () => {
    for (const strategy of ['STANDARD', 'FLEX_START']) {
      assert.equal(spotPreemptionReserveMs({strategy,
        expectedPreemptions: 2, restartOverheadMs: 5 * MINUTE_MS,
        checkpointEveryMs: 30 * MINUTE_MS}), 0);
    }
  });

  it('reserves nothing when no preemption is expected', () => {
    assert.equal(spotPreemptionReserveMs({strategy: 'SPOT',
      expectedPreemptions: 0, restartOverheadMs: 5 * MINUTE_MS,
      checkpointEveryMs: 30 * MINUTE_MS}), 0);
  });

  it('ends a SPOT plan early enough for the reserve, and says so',
    async () => {
      const spot = await plan('SPOT');
      const standard = await plan('STANDARD');
      // restart 5 min before the work, then 20 min reserved.
      const latestSpotEndMs = DEADLINE_MS - 5 * MINUTE_MS - 20 * MINUTE_MS;
      assert.ok(spot.segments.at(-1)!.endMs <= latestSpotEndMs,
        `SPOT plan ends ${new Date(spot.segments.at(-1)!.endMs)
          .toISOString()}`);
      assert.ok(standard.segments.at(-1)!.endMs > latestSpotEndMs,
        'without SPOT the same window would run later');
      assert.match(spot.why, /SPOT: 20 min of deadline slack reserved for 1 /);
      assert.doesNotMatch(standard.why, /SPOT/);
    });

  it('reserves for as many preemptions as the setting expects',
    async () => {
      const twice = await plan('SPOT', 2);
      assert.ok(twice.segments.at(-1)!.endMs <=
        DEADLINE_MS - 5 * MINUTE_MS - 40 * MINUTE_MS);
      assert.match(twice.why, /40 min of deadline slack reserved for 2 /);
    });
});
