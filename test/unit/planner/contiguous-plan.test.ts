import assert from 'node:assert/strict';
import {planContiguous} from '../../../shared/planner/contiguous-plan.js';
import type {
  ContiguousPlanInput,
} from '../../../shared/planner/contiguous-plan.js';
import {filterRegions} from '../../../shared/planner/region-filter.js';
import {at, HOUR_MS, MINUTE_MS, regularSeries} from './series-fixtures.js';

const base = {itPowerKilowatts: 10};

function chosenOf(input: ContiguousPlanInput) {
  const plan = planContiguous(input);
  assert.equal(plan.feasible, true);
  if (!plan.feasible) throw new Error('unreachable');
  return plan;
}

describe('planContiguous', () => {
  it('filters by residency first, then ranks windows not points (C06)', () => {
    const regions = [
      {id: 'europe-west4', countryCode: 'NL', residencyGroups: ['EU'],
        accelerators: [], electricityMapsZone: 'NL'},
      {id: 'us-central1', countryCode: 'US', residencyGroups: ['US'],
        accelerators: [], electricityMapsZone: 'US-MIDW-MISO'},
    ];
    const series = {
      'europe-west4': [50, 400, 120, 110, 130],
      'us-central1': [40, 40, 40, 40, 40],
    };
    const {eligible, excluded} = filterRegions(regions, {residency: ['EU']});
    assert.deepEqual(excluded.map((e) => [e.region.id, e.reason]),
      [['us-central1', 'residency']]);

    const plan = chosenOf({...base, durationMs: 2 * HOUR_MS,
      earliestStartMs: at('2025-03-03T12:00:00Z'),
      deadlineMs: at('2025-03-03T17:00:00Z'), listCandidates: true,
      candidates: eligible.map((region) => ({regionId: region.id,
        powerUsageEffectiveness: 1.1,
        series: regularSeries(at('2025-03-03T12:00:00Z'), HOUR_MS,
          series[region.id as keyof typeof series])}))});
    assert.equal(plan.chosen.regionId, 'europe-west4');
    assert.equal(plan.chosen.startMs, at('2025-03-03T14:00:00Z'));
    assert.equal(plan.chosen.averageGramsPerKilowattHour, 115);
    assert.deepEqual(plan.regions[0]?.candidates?.map((c) =>
      c.averageGramsPerKilowattHour), [225, 260, 115, 120]);
    assert.equal(plan.chosen.expectedEmissionsGrams, 10 * 2 * 1.1 * 115);
  });

  it('keeps the cheap window at the horizon edge whole (C07)', () => {
    const startMs = at('2025-03-01T00:00:00Z');
    const values = Array.from({length: 96}, (_, i) => (i >= 92 ? 20 : 200));
    const plan = chosenOf({...base, durationMs: 3 * HOUR_MS,
      earliestStartMs: startMs, deadlineMs: startMs + 50 * HOUR_MS,
      listCandidates: true, candidates: [{regionId: 'europe-north1',
        powerUsageEffectiveness: 1.1,
        series: regularSeries(startMs, 30 * MINUTE_MS, values)}]});
    const region = plan.regions[0];
    assert.equal(region?.eligibleStartCount, 91);
    assert.equal(plan.chosen.startMs, at('2025-03-02T21:00:00Z'));
    assert.equal(plan.chosen.averageGramsPerKilowattHour, 80);
    assert.equal(plan.chosen.endMs, at('2025-03-03T00:00:00Z'));
    const runnerUp = region?.candidates?.find((c) =>
      c.startMs === at('2025-03-02T20:30:00Z'));
    assert.equal(runnerUp?.averageGramsPerKilowattHour, 110);
  });

  it('considers only starts whose window the short forecast covers (C05)',
    () => {
      const first = at('2025-11-10T09:00:00Z');
      const values = Array.from({length: 27}, (_, i) => 150 + (i % 5) * 7);
      const plan = chosenOf({...base, durationMs: 6 * HOUR_MS,
        earliestStartMs: at('2025-11-10T08:13:00Z'),
        deadlineMs: at('2025-11-11T18:00:00Z'), listCandidates: true,
        candidates: [{regionId: 'europe-west2', powerUsageEffectiveness: 1.1,
          series: regularSeries(first, 30 * MINUTE_MS, values)}]});
      const region = plan.regions[0];
      assert.equal(plan.coverageEndMs, at('2025-11-10T22:30:00Z'));
      assert.equal(plan.deadlineBeyondCoverage, true);
      assert.equal(region?.eligibleStartCount, 16);
      assert.equal(region?.firstEligibleStartMs, first);
      assert.equal(region?.lastEligibleStartMs, at('2025-11-10T16:30:00Z'));
      for (const candidate of region?.candidates ?? []) {
        assert.ok(!Number.isNaN(candidate.averageGramsPerKilowattHour));
        assert.ok(candidate.startMs <= at('2025-11-10T16:30:00Z'));
      }
    });

  it('counts a 25 h window across the autumn clock change (C10)', () => {
    const earliestStartMs = at('2025-10-25T06:00:00+02:00');
    const deadlineMs = at('2025-10-26T06:00:00+01:00');
    assert.equal(deadlineMs - earliestStartMs, 25 * HOUR_MS);
    const seriesStartMs = at('2025-10-25T00:00:00Z');
    const values = Array.from({length: 36}, (_, i) => 300 - ((i * 37) % 90));
    const series = regularSeries(seriesStartMs, HOUR_MS, values);
    const slotsInWindow = series.points.filter((p) =>
      p.startMs >= earliestStartMs && p.startMs < deadlineMs);
    assert.equal(slotsInWindow.length, 25);

    const plan = chosenOf({...base, durationMs: 3 * HOUR_MS, earliestStartMs,
      deadlineMs, listCandidates: true, candidates: [{regionId:
        'europe-west3', powerUsageEffectiveness: 1.1, series}]});
    const region = plan.regions[0];
    assert.equal(region?.eligibleStartCount, 23);
    assert.equal(region?.lastEligibleStartMs, at('2025-10-26T02:00:00Z'));
    const starts = new Set(region?.candidates?.map((c) => c.startMs));
    assert.ok(starts.has(at('2025-10-26T00:00:00Z')));
    assert.ok(starts.has(at('2025-10-26T01:00:00Z')));
  });

  it('skips windows over a gap and notes the gap (C11)', () => {
    const day = '2025-06-02T';
    const series = {zone: 'X', basis: 'average-lifecycle' as const,
      kind: 'forecast' as const, source: 'test', points: [
        {startMs: at(`${day}00:00:00Z`), durationMs: HOUR_MS,
          gramsPerKilowattHour: 300},
        {startMs: at(`${day}01:00:00Z`), durationMs: HOUR_MS,
          gramsPerKilowattHour: 100},
        {startMs: at(`${day}03:00:00Z`), durationMs: HOUR_MS,
          gramsPerKilowattHour: 100},
        {startMs: at(`${day}04:00:00Z`), durationMs: HOUR_MS,
          gramsPerKilowattHour: 250},
      ]};
    const plan = chosenOf({...base, durationMs: 2 * HOUR_MS,
      earliestStartMs: at(`${day}00:00:00Z`),
      deadlineMs: at(`${day}05:00:00Z`), listCandidates: true,
      candidates: [{regionId: 'r', powerUsageEffectiveness: 1, series}]});
    const averages = Object.fromEntries((plan.regions[0]?.candidates ?? [])
      .map((c) => [new Date(c.startMs).toISOString().slice(11, 16),
        c.averageGramsPerKilowattHour]));
    assert.deepEqual(averages,
      {'00:00': 200, '01:00': null, '02:00': null, '03:00': 175});
    assert.equal(plan.chosen.startMs, at(`${day}03:00:00Z`));
    assert.equal(plan.chosen.averageGramsPerKilowattHour, 175);
    assert.deepEqual(plan.dataQualityNotes, [{regionId: 'r',
      startMs: at(`${day}02:00:00Z`), endMs: at(`${day}03:00:00Z`),
      reason: 'gap'}]);
  });
});
