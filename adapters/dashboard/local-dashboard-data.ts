/**
 * The dashboard's data on one machine: the run folder's ledger (DuckDB
 * over the append-only files), its job snapshots, plans and forecast
 * bundles, the operator's budgets, and the grid at one instant from the
 * recorded traces (falling back to Google's yearly figures).
 */
import path from 'node:path';

import {loadRegionCatalog} from '../../shared/catalog/region-catalog.js';
import {loadBudgetsConfig} from '../../shared/budgets/budget-source.js';
import {budgetOf} from '../../shared/budgets/budget-config.js';
import type {ForecastBundle} from '../../shared/jobs/forecast-bundle.js';
import {readSnapshot} from '../../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import {
  buildJobReport,
  type JobReport,
} from '../../shared/ledger/ledger-reports.js';
import {projectMonthTotalsSql} from '../../shared/ledger/report-queries.js';
import {DUCKDB_DIALECT} from '../../shared/ledger/sql-dialect.js';
import {readJson} from '../../shared/ports/blob-store.js';
import type {
  DashboardData,
  DashboardJob,
  DashboardJobDetail,
  DashboardMonth,
  DashboardRegion,
} from '../../shared/ports/dashboard-data.js';
import {rankRegions} from '../../shared/signals/region-ranking.js';
import {DirectoryBlobStore} from '../local/directory-blob-store.js';
import {FileLedger} from '../local/ledger/file-ledger.js';
import {fixedClock} from '../signals-wiring/fixed-clock.js';
import {createProviderChain} from
  '../signals-wiring/signal-provider-factory.js';

/** Options of {@link createLocalDashboardData}. */
export interface LocalDashboardOptions {
  /** A run folder as `carbon-scheduler demo` leaves it. */
  readonly runDirectory: string;
  /** The instant the region ranking shows. */
  readonly atMs: number;
}

export function createLocalDashboardData(
  options: LocalDashboardOptions,
): DashboardData {
  const blobs = new DirectoryBlobStore(
    path.join(options.runDirectory, 'blobs'));
  const ledger = new FileLedger({
    ledgerDirectory: path.join(options.runDirectory, 'ledger'),
  });
  const query = (sql: string, parameters?: Readonly<Record<string, string>>) =>
    ledger.query(sql, parameters);
  const reports = new Map<string, Promise<JobReport>>();
  const reportOf = (jobId: string) => {
    if (!reports.has(jobId)) {
      reports.set(jobId, buildJobReport(query, DUCKDB_DIALECT, jobId));
    }
    return reports.get(jobId)!;
  };

  return {
    asOf: new Date(options.atMs).toISOString(),

    async regions() {
      return regionsAt(options.atMs);
    },

    async jobs() {
      const rows = await query(
        'SELECT DISTINCT job_id FROM footprints ORDER BY job_id');
      const jobs: DashboardJob[] = [];
      for (const row of rows) {
        jobs.push(summaryOf(await reportOf(String(row.job_id))));
      }
      return jobs;
    },

    async job(jobId) {
      let report: JobReport;
      try {
        report = await reportOf(jobId);
      } catch {
        return undefined;
      }
      return detailOf(report, blobs);
    },

    async months() {
      const rows = await query(projectMonthTotalsSql(DUCKDB_DIALECT));
      const budgets = await loadBudgetsConfig(blobs, {});
      return rows.map((row): DashboardMonth => {
        const project = String(row.project_id);
        return {
          project,
          month: monthOf(row.usage_month),
          emissionsKg: numberOrNull(row.actual_total_kgco2e),
          scope2LocationBasedKg:
            numberOrNull(row.actual_scope2_location_based_kgco2e),
          counterfactualEmissionsKg:
            numberOrNull(row.counterfactual_total_kgco2e),
          budgetKg: budgetOf(budgets, project)?.carbonBudgetKg ?? null,
        };
      });
    },
  };
}

async function regionsAt(atMs: number): Promise<DashboardRegion[]> {
  const catalog = loadRegionCatalog();
  const chain = await createProviderChain(['replay', 'static'], {
    clock: fixedClock(atMs),
    environment: {},
  });
  const ranking = await rankRegions(catalog.regions, chain, atMs, true);
  const byId = new Map(catalog.regions.map((region) => [region.id, region]));
  const located = (id: string) => ({
    latitude: byId.get(id)?.latitude ?? null,
    longitude: byId.get(id)?.longitude ?? null,
  });
  return [
    ...[...ranking.regions, ...ranking.otherBasis].map((row) => ({
      region: row.region,
      location: row.location,
      ...located(row.region),
      zone: row.zone,
      carbonIntensity: row.carbonIntensity,
      basis: row.basis,
      provider: row.provider,
      carbonFreeEnergyPercent: row.carbonFreeEnergyPercent,
      mix: row.mix,
      reason: null,
    })),
    ...ranking.withoutData.map((row) => ({
      region: row.region,
      location: byId.get(row.region)?.location ?? null,
      ...located(row.region),
      zone: row.zone,
      carbonIntensity: null,
      basis: null,
      provider: null,
      carbonFreeEnergyPercent: null,
      mix: null,
      reason: row.reason,
    })),
  ];
}

function summaryOf(report: JobReport): DashboardJob {
  const first = report.segments[0];
  return {
    jobId: report.jobId,
    project: report.project,
    month: first ? first.start.slice(0, 7) : null,
    emissionsKg: report.emissionsKg,
    counterfactualEmissionsKg: report.counterfactualEmissionsKg,
    savedPercent: report.savedPercent,
  };
}

async function detailOf(
  report: JobReport,
  blobs: DirectoryBlobStore,
): Promise<DashboardJobDetail> {
  // Step 1: the segments as recorded, and the gaps between them.
  const segments = report.segments.map((segment) => ({
    region: segment.region,
    start: segment.start,
    end: segment.end,
    energyKwh: segment.energyKwh,
    emissionsKg: segment.emissionsKg,
  }));
  const pauses = segments.slice(1).map((segment, index) => ({
    start: segments[index]!.end,
    end: segment.start,
  })).filter((gap) => gap.start < gap.end);

  // Step 2: the plan the job was given and the forecast it was made on.
  const snapshot = await readSnapshot(blobs, report.jobId);
  const plan = snapshot?.planPointer
    ? await readJson<StoredPlan>(blobs, snapshot.planPointer)
    : undefined;
  const bundle = plan
    ? await readJson<ForecastBundle>(blobs, plan.forecastsPointer)
    : undefined;
  const plannedRegion = plan?.segments[0]?.regionId;
  const forecast = bundle?.regions.find((region) =>
    region.regionId === plannedRegion);

  return {
    ...summaryOf(report),
    segments,
    pauses,
    plannedSegments: (plan?.segments ?? []).map((segment) => ({
      region: segment.regionId,
      start: new Date(segment.startMs).toISOString(),
      end: new Date(segment.endMs).toISOString(),
    })),
    forecast: forecast ? {
      zone: forecast.zone,
      points: forecast.series.points.map((point) => ({
        start: new Date(point.startMs).toISOString(),
        gramsPerKilowattHour: point.gramsPerKilowattHour,
      })),
    } : null,
  };
}

function monthOf(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return text.slice(0, 7);
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : null;
}
