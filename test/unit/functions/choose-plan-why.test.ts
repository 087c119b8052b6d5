import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';

import {choosePlan} from '../../../functions/optimize-slot/choose-plan.js';
import type {ForecastBundle} from '../../../shared/jobs/forecast-bundle.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const T0 = Date.parse('2022-06-14T00:00:00Z');
const CLEAN_HOURS = new Set([2, 3, 9, 10]);

// Two clean two-hour spells apart: a four-hour job that may pause once
// does better in both than in any four contiguous hours.
const bundle: ForecastBundle = {
  jobId: 'job-why', requestId: 'job-why:plan:1', issuedAtMs: T0,
  provider: 'test', excluded: [],
  regions: [{
    regionId: 'us-east4', zone: 'us-east4', powerUsageEffectiveness: 1.1,
    series: {zone: 'us-east4', basis: 'average-lifecycle', kind: 'forecast',
      source: 'test', issuedAtMs: T0,
      points: Array.from({length: 24}, (_, hour) => ({
        startMs: T0 + hour * HOUR_MS, durationMs: HOUR_MS,
        gramsPerKilowattHour: CLEAN_HOURS.has(hour) ? 10 : 500,
      }))},
  }],
};

async function plan(interruptible: boolean) {
  const example = JSON.parse(await readFile(
    'examples/jobs/fine-tune-h100.json', 'utf8'));
  const job = jobRequestSchema.parse({
    ...example, jobId: 'job-why', homeRegion: 'us-east4',
    durationHours: 4, interruptible, checkpointEveryMinutes: 30,
    minRunMinutes: 60,
    constraints: {deadline: new Date(T0 + 20 * HOUR_MS).toISOString(),
      residency: ['any'], maxPauses: 1},
  });
  return choosePlan({...job, jobId: 'job-why'}, bundle, {
    requestId: 'job-why:plan:1', forecastsPointer: 'forecasts',
    submittedAtMs: T0, nowMs: T0, stepsPerHour: 12,
    checkpointOverheadMs: 2 * MINUTE_MS, restartOverheadMs: 5 * MINUTE_MS,
    gpuUtilisationFraction: 0.9, expectedSpotPreemptions: 0,
  });
}

describe('the why of a chosen plan', () => {
  it('describes the segments chosen, their pauses and expected grams',
    async () => {
      const chosen = await plan(true);
      assert.equal(chosen.mode, 'segments');
      assert.equal(chosen.segments.length, 2);
      const grams = chosen.expectedEmissionsGrams.toFixed(0);

      assert.match(chosen.why, new RegExp(
        `^2 segments in us-east4 with 1 pause \\(2022-06-14T\\d\\d:\\d\\dZ ` +
        'to 2022-06-14T\\d\\d:\\d\\dZ, .*\\) had the lowest expected ' +
        `emissions: ${grams} g`));
    });

  it('names the contiguous window only as a labelled comparison',
    async () => {
      const chosen = await plan(true);
      const contiguousGrams =
        chosen.contiguousExpectedEmissionsGrams.toFixed(0);

      assert.match(chosen.why, new RegExp('; for comparison \\(not ' +
        'chosen\\), the best contiguous window, us-east4 from \\S+, ' +
        `expected ${contiguousGrams} g`));
      assert.doesNotMatch(chosen.why, /^us-east4 had the lowest/);
    });

  it('explains a contiguous plan by its window', async () => {
    const chosen = await plan(false);
    assert.equal(chosen.mode, 'contiguous');

    assert.match(chosen.why, new RegExp('^us-east4 had the lowest ' +
      'expected emissions of its best contiguous window ' +
      `\\(${chosen.expectedEmissionsGrams.toFixed(0)} g: `));
    assert.doesNotMatch(chosen.why, /comparison|segment/);
  });
});
