import {resolveRunDirectory} from './run-directory.js';
import {statSync} from 'node:fs';
import path from 'node:path';
import type {Command} from 'commander';

import {DirectoryBlobStore} from '../adapters/local/directory-blob-store.js';
import {FileLedger} from '../adapters/local/ledger/file-ledger.js';
import {loadBudgetsConfig} from '../shared/budgets/budget-source.js';
import {readBudgetUse} from '../shared/budgets/budget-use.js';
import {SchedulerError} from '../shared/errors.js';
import {
  buildJobReport,
  buildProjectMonthReport,
  buildRegionReport,
  type JobReport,
  type ProjectMonthReport,
  type RegionReportRow,
  type ReportQuery,
} from '../shared/ledger/ledger-reports.js';
import {DUCKDB_DIALECT} from '../shared/ledger/sql-dialect.js';

/** The options of `report`, as given. */
export interface ReportOptions {
  readonly job?: string;
  readonly project?: string;
  readonly month?: string;
  readonly by?: string;
  readonly runDir?: string;
  readonly carbonFootprintExport?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
}

/** Where a command's text goes. */
export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
}

/** A report option that cannot be used (exit code 2). */
class ReportUsageError extends Error {}

/**
 * Adds `report`: a job's footprint, a project's month (with its budget
 * use) or the regions, from the local ledger of a demo run, through
 * DuckDB and the same report SQL as BigQuery.
 */
export function registerReportCommand(
  program: Command,
  setExitCode: (code: number) => void,
): void {
  program
    .command('report')
    .description(
      'Report footprints from the ledger of a demo run: one job (its ' +
        'segments add up to its total; a running job shows its footprint ' +
        'to date and a projection, marked), one project and month with ' +
        'its carbon budget use, or totals by region.')
    .option('--job <id>', 'one job')
    .option('--project <projectId>', 'one project (with --month)')
    .option('--month <YYYY-MM>', 'the usage month of --project (UTC)')
    .option('--by <dimension>', 'totals by a dimension: region')
    .option('--run-dir <folder>',
      'the demo run to read (default: the latest under .local/runs)')
    .option('--carbon-footprint-export <file>',
      'Carbon Footprint export rows (JSON) to put beside --project')
    .option('--json', 'print one JSON object', false)
    .option('--csv', 'print CSV (segments, jobs or regions)', false)
    .addHelpText('after', '\nExamples:\n' +
      '  carbon-scheduler report --job fine-tune-llama-demo --json\n' +
      '  carbon-scheduler report --project demo-research --month 2022-06\n' +
      '  carbon-scheduler report --by region --csv\n')
    .action(async (raw: ReportOptions) => {
      setExitCode(await runReportCommand(raw, {
        out: (text) => process.stdout.write(text),
        err: (text) => process.stderr.write(text),
      }));
    });
}

/**
 * Runs `report` and returns its exit code: 0 done, 1 nothing found,
 * 2 an option that cannot be used.
 */
export async function runReportCommand(
  options: ReportOptions,
  output: CommandOutput,
): Promise<number> {
  try {
    const request = checkOptions(options);
    const runDirectory = options.runDir ?? latestDemoRun(output);
    const ledger = new FileLedger({
      ledgerDirectory: path.join(runDirectory, 'ledger'),
      carbonFootprintExportFile: options.carbonFootprintExport ?? null,
    });
    const query: ReportQuery = (sql, parameters) =>
      ledger.query(sql, parameters);
    const format = options.json ? 'json' : options.csv ? 'csv' : 'text';
    if (request.kind === 'job') {
      const report = await buildJobReport(query, DUCKDB_DIALECT,
        request.jobId);
      output.out(renderJob(report, format));
    } else if (request.kind === 'project') {
      const blobs = new DirectoryBlobStore(path.join(runDirectory, 'blobs'));
      const config = await loadBudgetsConfig(blobs);
      const budget = await readBudgetUse(blobs, config, request.projectId,
        request.month);
      const report = await buildProjectMonthReport(query, DUCKDB_DIALECT, {
        projectId: request.projectId, month: request.month,
        budget: budget.carbonBudgetKg === null && budget.jobs.length === 0
          ? null : budget,
        withExport: options.carbonFootprintExport !== undefined,
      });
      if (report.jobCount === 0) {
        output.err(`--project/--month: no jobs of "${request.projectId}" ` +
          `started in ${request.month} in ${runDirectory}; check the ` +
          'project id and the month (YYYY-MM, UTC)\n');
        return 1;
      }
      output.out(renderProject(report, format));
    } else {
      output.out(renderRegions(await buildRegionReport(query,
        DUCKDB_DIALECT), format));
    }
    return 0;
  } catch (error) {
    if (error instanceof ReportUsageError) {
      output.err(`${error.message}\n`);
      return 2;
    }
    if (error instanceof SchedulerError) {
      output.err(`${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

type ReportRequest =
  | {kind: 'job'; jobId: string}
  | {kind: 'project'; projectId: string; month: string}
  | {kind: 'region'};

function checkOptions(options: ReportOptions): ReportRequest {
  const chosen = [options.job !== undefined, options.project !== undefined,
    options.by !== undefined].filter(Boolean).length;
  if (chosen !== 1) {
    throw new ReportUsageError('report: give exactly one of --job ID, ' +
      '--project P --month YYYY-MM, or --by region');
  }
  if (options.json && options.csv) {
    throw new ReportUsageError('--json, --csv: choose one output format');
  }
  if (options.runDir !== undefined && !isDirectory(options.runDir)) {
    throw new ReportUsageError(`--run-dir: "${options.runDir}" is not a ` +
      'folder; give the folder a demo run wrote (demo --run-dir)');
  }
  if (options.job !== undefined) {
    if (options.job.trim() === '') {
      throw new ReportUsageError('--job: empty; give a job id');
    }
    return {kind: 'job', jobId: options.job};
  }
  if (options.project !== undefined) {
    if (options.month === undefined || options.month === '') {
      throw new ReportUsageError('--month: required with --project; give ' +
        'the usage month as YYYY-MM (UTC), e.g. --month 2022-06');
    }
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(options.month)) {
      throw new ReportUsageError(`--month: "${options.month}" is ` +
        'not a month; give YYYY-MM (UTC), e.g. 2022-06');
    }
    return {kind: 'project', projectId: options.project,
      month: options.month};
  }
  if (options.by !== 'region') {
    throw new ReportUsageError(`--by: "${options.by}" is not supported; ` +
      'allowed: region');
  }
  return {kind: 'region'};
}

// The newest demo run with jobs, or a usage error saying to run the demo.
function latestDemoRun(output: CommandOutput): string {
  try {
    return resolveRunDirectory(undefined, process.cwd(),
      (line) => output.err(line + '\n'));
  } catch (error) {
    throw new ReportUsageError((error as Error).message);
  }
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

type Format = 'json' | 'csv' | 'text';

function renderJob(report: JobReport, format: Format): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'csv') {
    return toCsv(report.segments.map((segment) => ({
      jobId: report.jobId, ...segment})));
  }
  const lines = [
    `job ${report.jobId} (project ${report.project}): ${report.status}`,
    `emissions ${kg(report.emissionsKg)} (${report.totalsLabel}): scope 2 ` +
      `location-based ${kg(report.scope2LocationBasedKg)}, scope 3 ` +
      `embodied ${kg(report.scope3EmbodiedKg)}; IT energy ` +
      `${report.energyKwh.toFixed(3)} kWh`,
  ];
  if (report.status === 'completed') {
    lines.push(`counterfactual ${kg(report.counterfactualEmissionsKg)}; ` +
      `saved ${percent(report.savedPercent)} (scope 2: ` +
      `${percent(report.savedScope2Percent)})`);
  }
  if (report.projection) {
    lines.push(`projection to completion (not measured): ` +
      `${kg(report.projection.emissionsKg)} by ` +
      `${report.projection.completionTime ?? 'unknown'}`);
  }
  for (const segment of report.segments) {
    // Hardware held from launch; a final row ends at the last step.
    const end = segment.status === 'to date'
      ? `${segment.end} (to date)` : `${segment.end} (last step)`;
    lines.push(`  segment ${segment.segmentIndex} ${segment.region} ` +
      `held from ${segment.start}, trained until ${end}: ` +
      `${segment.energyKwh.toFixed(3)} kWh, ${kg(segment.emissionsKg)}` +
      (segment.incomplete ? ' (incomplete intensity)' : ''));
  }
  return lines.join('\n') + '\n';
}

function renderProject(report: ProjectMonthReport, format: Format): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'csv') {
    return toCsv(report.jobs.map((job) => ({project: report.project,
      month: report.month, ...job})));
  }
  const lines = [
    `project ${report.project}, ${report.month}: ${report.jobCount} ` +
      `job(s), ${report.segmentCount} segment(s)`,
    `emissions ${kg(report.emissionsKg)} (scope 2 ` +
      `${kg(report.scope2LocationBasedKg)}, scope 3 ` +
      `${kg(report.scope3EmbodiedKg)}); counterfactual ` +
      `${kg(report.counterfactualEmissionsKg)}; saved ` +
      `${percent(report.savedPercent)}`,
  ];
  if (report.rowsMissingScope2 > 0) {
    lines.push(`${report.rowsMissingScope2} segment(s) without a scope 2 ` +
      'figure are left out of the sums');
  }
  const budget = report.budget;
  lines.push(budget === null ? 'no carbon budget configured'
    : `carbon budget ${kg(budget.carbonBudgetKg)} (${budget.basis}): ` +
      `${kg(budget.usedKg)} used (${percent(budget.usedPercent)}), ` +
      `${kg(budget.reservedKg)} of it reserved by running jobs`);
  for (const job of report.jobs) {
    lines.push(`  ${job.jobId}: ${kg(job.emissionsKg)} against ` +
      `${kg(job.counterfactualEmissionsKg)} (saved ` +
      `${percent(job.savedPercent)})`);
  }
  return lines.join('\n') + '\n';
}

function renderRegions(rows: RegionReportRow[], format: Format): string {
  if (format === 'json') {
    return JSON.stringify({regions: rows}, null, 2) + '\n';
  }
  if (format === 'csv') return toCsv(rows);
  return rows.map((row) => `${row.region}: ${row.segmentCount} ` +
    `segment(s), ${kg(row.emissionsKg)}, ` +
    `${row.intensityGramsPerKwh?.toFixed(0) ?? 'n/a'} gCO2e/kWh`)
    .join('\n') + '\n';
}

/** Rows as CSV with a header; nested values as JSON text. */
export function toCsv(rows: readonly object[]): string {
  const first = rows[0];
  if (!first) return '';
  const columns = Object.keys(first);
  const cell = (value: unknown) => {
    if (value === null || value === undefined) return '';
    const text = typeof value === 'object' ? JSON.stringify(value)
      : String(value);
    return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [columns.join(',')];
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    lines.push(columns.map((column) => cell(record[column])).join(','));
  }
  return lines.join('\n') + '\n';
}

function kg(value: number | null): string {
  return value === null ? 'unknown' : `${value.toFixed(4)} kgCO2e`;
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${value.toFixed(1)} %`;
}
