import assert from 'node:assert/strict';
import {readFile} from 'node:fs/promises';

import {choosePlan} from '../../../functions/optimize-slot/choose-plan.js';
import type {
  ForecastBundle,
  RegionForecast,
} from '../../../shared/jobs/forecast-bundle.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const T0 = Date.parse('2022-06-14T00:00:00Z');

function forecast(regionId: string, grams: number): RegionForecast {
  return {regionId, zone: regionId, powerUsageEffectiveness: 1.2,
    series: {zone: regionId, basis: 'average-lifecycle', kind: 'forecast',
      source: 'test', issuedAtMs: T0,
      points: Array.from({length: 24}, (_, hour) => ({
        startMs: T0 + hour * HOUR_MS, durationMs: HOUR_MS,
        gramsPerKilowattHour: grams}))}};
}

// Home (europe-west3) was left out by the filters: only the counterfactual
// may read it.
function bundleWith(home: RegionForecast | undefined): ForecastBundle {
  return {jobId: 'job-away', requestId: 'job-away:plan:1', issuedAtMs: T0,
    provider: 'test', regions: [forecast('europe-north1', 50)],
    excluded: [{regionId: 'europe-west3', reason: 'accelerator',
      message: 'europe-west3 offers no such accelerator'}],
    ...(home === undefined ? {} : {home})};
}

async function plan(bundle: ForecastBundle) {
  const example = JSON.parse(await readFile(
    'examples/jobs/fine-tune-h100.json', 'utf8'));
  const job = jobRequestSchema.parse({
    ...example, jobId: 'job-away', homeRegion: 'europe-west3',
    durationHours: 4, interruptible: false,
    constraints: {deadline: new Date(T0 + 20 * HOUR_MS).toISOString(),
      residency: ['any'], maxPauses: 0},
  });
  return choosePlan({...job, jobId: 'job-away'}, bundle, {
    requestId: 'job-away:plan:1', forecastsPointer: 'forecasts',
    submittedAtMs: T0, nowMs: T0, stepsPerHour: 12,
    checkpointOverheadMs: 2 * MINUTE_MS, restartOverheadMs: 5 * MINUTE_MS,
    gpuUtilisationFraction: 0.9, expectedSpotPreemptions: 0,
  });
}

describe('the counterfactual of an optimize-slot plan', () => {
  it('is priced at home from the bundle\'s home forecast when the ' +
    'filters left home out', async () => {
    const chosen = await plan(bundleWith(forecast('europe-west3', 400)));
    assert.equal(chosen.segments[0]!.regionId, 'europe-north1');
    assert.equal(chosen.counterfactual.regionId, 'europe-west3');
    // 4 h at the plan's IT power, PUE 1.2, 400 g/kWh at home against
    // 50 g/kWh where it runs: the same energy, eight times the grams
    const grams = chosen.counterfactual.expectedEmissionsGrams!;
    assert.ok(Math.abs(grams / chosen.expectedEmissionsGrams - 8) < 1e-9,
      `${grams} / ${chosen.expectedEmissionsGrams}`);
  });

  it('is unknown (null, never 0) when the bundle has no home forecast',
    async () => {
      const chosen = await plan(bundleWith(undefined));
      assert.equal(chosen.counterfactual.expectedEmissionsGrams, null);
    });

  it('ignores a home forecast for another region than the job\'s home',
    async () => {
      const chosen = await plan(bundleWith(forecast('us-east4', 400)));
      assert.equal(chosen.counterfactual.expectedEmissionsGrams, null);
    });
});
