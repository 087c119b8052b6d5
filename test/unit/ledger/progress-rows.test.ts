import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {computeFootprintToDate} from
  '../../../shared/footprint/footprint-to-date.js';
import {
  computeSegmentFootprint,
  type SegmentFootprintInputs,
} from '../../../shared/footprint/segment-footprint.js';
import {
  toFootprintRow,
  toProgressRow,
} from '../../../shared/ledger/footprint-rows.js';
import {buildJobReport} from '../../../shared/ledger/ledger-reports.js';
import {JOB_TOTALS_SQL} from '../../../shared/ledger/report-queries.js';
import {DUCKDB_DIALECT} from '../../../shared/ledger/sql-dialect.js';
import type {IntensitySeries} from
  '../../../shared/signals/intensity-series.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2025-03-01T10:00:00Z');

// Hourly values from T0: 100, 200, 300, 400 g/kWh.
function series(kind: 'observed' | 'forecast'): IntensitySeries {
  return {
    zone: 'NL', basis: 'average-lifecycle', kind, source: `test:${kind}`,
    points: [100, 200, 300, 400].map((value, index) => ({
      startMs: T0 + index * HOUR_MS, durationMs: HOUR_MS,
      gramsPerKilowattHour: value})),
  };
}

const segment = (endMs: number): SegmentFootprintInputs => ({
  regionId: 'europe-west4', startMs: T0, endMs, itPowerWatts: 2000,
  powerUsageEffectiveness: 1.1, intensity: series('observed'),
  embodied: null,
});

const context = {jobId: 'j-run', projectId: 'ml-prod', recordedAtMs: T0};

describe('footprint to date of a running segment', () => {
  it('is the footprint so far, and projects the rest at the forecast',
    () => {
      const progress = computeFootprintToDate({
        segment: segment(T0 + HOUR_MS),
        remainingWorkMs: 2 * HOUR_MS,
        forecast: series('forecast'),
      });
      // 2 kW x 1 h x 1.1 x 100 g/kWh so far.
      assert.ok(Math.abs(progress.toDate.locationBasedGrams! - 220) < 1e-9);
      // Then 2 kW x 1.1 x (200 + 300) g/kWh for two more hours.
      assert.ok(Math.abs(progress.projection.locationBasedGrams! -
        (220 + 1100)) < 1e-9);
      assert.equal(progress.projection.completionMs, T0 + 3 * HOUR_MS);
      assert.equal(progress.projection.label,
        'projection to completion, not measured');
      assert.equal(progress.label, 'to date, segment still running');
      const whole = computeSegmentFootprint(segment(T0 + 3 * HOUR_MS));
      assert.ok(Math.abs(progress.projection.itEnergyKilowattHours -
        whole.itEnergyKilowattHours) < 1e-9);
    });

  it('leaves the projected grams unknown, never 0, past the forecast',
    () => {
      const progress = computeFootprintToDate({
        segment: segment(T0 + HOUR_MS),
        remainingWorkMs: 10 * HOUR_MS,
        forecast: series('forecast'),
      });
      assert.equal(progress.projection.locationBasedGrams, null);
      assert.ok(progress.projection.itEnergyKilowattHours > 0);
      const noForecast = computeFootprintToDate({
        segment: segment(T0 + HOUR_MS), remainingWorkMs: HOUR_MS,
        forecast: null,
      });
      assert.equal(noForecast.projection.locationBasedGrams, null);
    });

  it('becomes a progress row with a per-poll insert id', () => {
    const progress = computeFootprintToDate({
      segment: segment(T0 + HOUR_MS), remainingWorkMs: HOUR_MS,
      forecast: series('forecast'),
    });
    const row = toProgressRow(progress, context,
      {segmentIndex: 1, pollSequence: 7});
    assert.equal(row.insert_id, 'j-run:1:progress:7');
    assert.equal(row.footprint_kind, 'progress');
    assert.equal(row.projected_completion_time, '2025-03-01T12:00:00.000Z');
    assert.ok(Math.abs(row.projected_scope2_location_based_kgco2e! -
      (0.22 + 0.44)) < 1e-12);
  });
});

describe('job report of a running job', () => {
  let ledgerDirectory: string;
  let ledger: FileLedger;

  beforeEach(async () => {
    ledgerDirectory = await mkdtemp(join(tmpdir(), 'ledger-progress-'));
    ledger = new FileLedger({ledgerDirectory});
  });

  afterEach(async () => {
    await rm(ledgerDirectory, {recursive: true, force: true});
  });

  const poll = (hours: number, sequence: number) => toProgressRow(
    computeFootprintToDate({
      segment: segment(T0 + hours * HOUR_MS),
      remainingWorkMs: (3 - hours) * HOUR_MS,
      forecast: series('forecast'),
    }),
    {...context, recordedAtMs: T0 + hours * HOUR_MS},
    {segmentIndex: 0, pollSequence: sequence});

  it('shows the latest figure to date and the projection, marked',
    async () => {
      await ledger.append('footprints', [poll(1, 3)]);
      await ledger.append('footprints', [poll(2, 4)]);
      const report = await buildJobReport(
        (sql, parameters) => ledger.query(sql, parameters), DUCKDB_DIALECT,
        'j-run');
      assert.equal(report.status, 'running');
      assert.equal(report.totalsLabel, 'to date, job still running');
      assert.equal(report.segments.length, 1);
      assert.equal(report.segments[0]?.status, 'to date');
      // 2 kW x 1.1 x (100 + 200) g/kWh so far; 300 more to come.
      assert.ok(Math.abs(report.scope2LocationBasedKg! - 0.66) < 1e-12);
      assert.ok(Math.abs(report.projection!.scope2LocationBasedKg! - 1.32) <
        1e-12);
      assert.equal(report.projection!.completionTime,
        '2025-03-01T13:00:00.000Z');
      // No embodied coefficient: the total is unknown, never 0.
      assert.equal(report.emissionsKg, null);
      assert.equal(report.counterfactualEmissionsKg, null);
      assert.equal(report.savedPercent, null);
    });

  it('counts progress rows nowhere once the segment is recorded',
    async () => {
      await ledger.append('footprints', [poll(2, 4)]);
      const final = toFootprintRow(
        computeSegmentFootprint(segment(T0 + 3 * HOUR_MS)), context,
        {footprintKind: 'actual', segmentIndex: 0});
      await ledger.append('footprints', [final]);
      const [totals] = await ledger.query(JOB_TOTALS_SQL);
      assert.equal(totals?.['segment_count'], 1);
      const report = await buildJobReport(
        (sql, parameters) => ledger.query(sql, parameters), DUCKDB_DIALECT,
        'j-run');
      assert.equal(report.status, 'completed');
      assert.deepEqual(report.segments.map((s) => s.status), ['final']);
      assert.equal(report.projection, null);
    });
});
