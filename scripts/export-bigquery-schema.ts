/**
 * Writes the ledger's BigQuery table schemas, defined once in
 * shared/ledger/schema.ts, as JSON for Terraform:
 * `terraform/schemas/<table>.json` holds the column list (the form
 * `google_bigquery_table.schema` and `bq mk --schema` take),
 * `terraform/schemas/<table>.layout.json` its description, day
 * partitioning and clustering, and `terraform/schemas/views/<name>.sql`
 * the parameterless report queries as BigQuery views, with `${dataset}`
 * standing for `project.dataset`. Run:
 * `node --import tsx scripts/export-bigquery-schema.ts [--check]`; with
 * --check it only reports files that differ.
 */
import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {
  jobTotalsSql,
  latestFootprintsSql,
  projectMonthTotalsSql,
  regionTotalsSql,
} from '../shared/ledger/report-queries.js';
import {
  LEDGER_TABLES,
  toBigQueryLayout,
  toBigQuerySchema,
} from '../shared/ledger/schema.js';
import {bigQueryDialect} from '../shared/ledger/sql-dialect.js';

/** The repository's schema folder. */
export const SCHEMA_DIRECTORY = path.join(
  path.dirname(fileURLToPath(import.meta.url)), '..', 'terraform', 'schemas');

/** The report queries that become views, by view name. */
const VIEWS = {
  latest_footprints: latestFootprintsSql,
  job_totals: jobTotalsSql,
  project_month_totals: projectMonthTotalsSql,
  region_totals: regionTotalsSql,
};

// Stand-ins rendered into the SQL, then replaced by `${dataset}`.
const PROJECT_MARK = 'schema-export-project';
const DATASET_MARK = 'schema_export_dataset';

/** Every file the export writes, relative path to text. */
export function renderBigQuerySchemaFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const table of Object.values(LEDGER_TABLES)) {
    files.set(`${table.name}.json`,
      JSON.stringify(toBigQuerySchema(table), null, 2) + '\n');
    files.set(`${table.name}.layout.json`,
      JSON.stringify(toBigQueryLayout(table), null, 2) + '\n');
  }
  const dialect = bigQueryDialect({
    projectId: PROJECT_MARK, datasetId: DATASET_MARK});
  for (const [name, render] of Object.entries(VIEWS)) {
    const sql = render(dialect)
      .replaceAll(`${PROJECT_MARK}.${DATASET_MARK}.`, '${dataset}.')
      .trim();
    files.set(path.join('views', `${name}.sql`), sql + '\n');
  }
  return files;
}

/**
 * Writes the files under `directory` (or, with `check`, lists the ones
 * that are missing or differ, writing nothing).
 *
 * @returns relative paths written, or found stale when checking
 */
export async function exportBigQuerySchemas(
  directory: string = SCHEMA_DIRECTORY,
  options: {check?: boolean} = {},
): Promise<string[]> {
  const changed: string[] = [];
  for (const [relative, text] of renderBigQuerySchemaFiles()) {
    const target = path.join(directory, relative);
    const current = await readFile(target, 'utf8').catch(() => undefined);
    if (current === text) continue;
    changed.push(relative);
    if (options.check) continue;
    await mkdir(path.dirname(target), {recursive: true});
    await writeFile(target, text);
  }
  return changed;
}

if (process.argv[1] &&
    path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const changed = await exportBigQuerySchemas(SCHEMA_DIRECTORY, {check});
  if (check && changed.length > 0) {
    process.stderr.write(`terraform/schemas: out of date: ` +
      `${changed.join(', ')}; run node --import tsx ` +
      'scripts/export-bigquery-schema.ts\n');
    process.exitCode = 1;
  } else {
    process.stdout.write(JSON.stringify({
      directory: SCHEMA_DIRECTORY, written: check ? [] : changed}) + '\n');
  }
}
