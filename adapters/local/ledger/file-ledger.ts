/**
 * The local ledger: each appended batch becomes a new JSON-lines file under
 * `<ledgerDirectory>/<table>/`, written to a temporary name and renamed, so
 * several processes can write at once and nothing is ever rewritten.
 * Queries run in an in-memory DuckDB over one view per table, plus a
 * `carbon_footprint_export` view over a file of Google's Carbon Footprint
 * export rows (nested records, as BigQuery exports them) when one is given.
 */
import {randomUUID} from 'node:crypto';
import {mkdir, open, readdir, rename} from 'node:fs/promises';
import {join} from 'node:path';

import {checkLedgerRows} from '../../../shared/ledger/row-check.js';
import {
  LEDGER_TABLES,
  toDuckDbColumns,
  type LedgerRow,
  type LedgerTable,
  type LedgerTableName,
} from '../../../shared/ledger/schema.js';

/** Where a finished batch file ends. Temporary files never match it. */
const BATCH_SUFFIX = '.jsonl';

/** What one append wrote. */
export interface AppendResult {
  /** The batch file; null when there were no rows. */
  readonly filePath: string | null;
  readonly rowCount: number;
}

/** One query result row; integers come back as numbers when safe. */
export type LedgerQueryRow = Record<string, unknown>;

/** Values for a query's `$name` parameters. */
export type LedgerQueryParameters = Readonly<
  Record<string, string | number | boolean | null>
>;

// The export's columns, for an empty view when no export file is given.
const EMPTY_EXPORT_COLUMNS = [
  'CAST(NULL AS DATE) AS usage_month',
  'CAST(NULL AS VARCHAR) AS billing_account_id',
  'CAST(NULL AS STRUCT(id VARCHAR, number VARCHAR)) AS project',
  'CAST(NULL AS STRUCT(id VARCHAR, description VARCHAR)) AS service',
  'CAST(NULL AS STRUCT(location VARCHAR, region VARCHAR)) AS location',
  'CAST(NULL AS BIGINT) AS carbon_model_version',
  'CAST(NULL AS STRUCT(scope1 DOUBLE, scope2 STRUCT(location_based ' +
    'DOUBLE, market_based DOUBLE), scope3 DOUBLE)) AS ' +
    '"carbon_footprint_kgCO2e"',
  'CAST(NULL AS STRUCT(location_based DOUBLE, market_based DOUBLE, ' +
    'after_offsets DOUBLE)) AS "carbon_footprint_total_kgCO2e"',
];

/** An append-only ledger in a directory, read through DuckDB. */
export class FileLedger {
  readonly ledgerDirectory: string;
  readonly carbonFootprintExportFile: string | null;

  /**
   * @param options.ledgerDirectory - root folder, created on first write
   * @param options.carbonFootprintExportFile - a JSON array (or JSON
   *   lines) of Carbon Footprint export rows, read as
   *   `carbon_footprint_export`
   */
  constructor(options: {
    ledgerDirectory: string;
    carbonFootprintExportFile?: string | null;
  }) {
    this.ledgerDirectory = options.ledgerDirectory;
    this.carbonFootprintExportFile =
      options.carbonFootprintExportFile ?? null;
  }

  /**
   * Writes the rows as one new batch file (atomic: write, sync, rename).
   *
   * @throws UnknownLedgerTableError, LedgerRowError - before writing
   */
  async append<T extends LedgerTableName>(
    table: T,
    rows: readonly LedgerRow<T>[],
  ): Promise<AppendResult> {
    const plainRows = rows as readonly Record<string, unknown>[];
    checkLedgerRows(table, plainRows);
    if (plainRows.length === 0) return {filePath: null, rowCount: 0};
    const directory = join(this.ledgerDirectory, table);
    await mkdir(directory, {recursive: true});
    const name = `${Date.now()}-${process.pid}-${randomUUID()}`;
    const temporaryPath = join(directory, `.${name}.tmp`);
    const filePath = join(directory, name + BATCH_SUFFIX);
    const text = plainRows.map((row) => JSON.stringify(row)).join('\n') +
      '\n';
    const handle = await open(temporaryPath, 'wx');
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, filePath);
    return {filePath, rowCount: plainRows.length};
  }

  /**
   * Runs SQL over views named after the tables (jobs, plans, segments,
   * footprints, intensity_samples, carbon_footprint_export); an empty
   * table still has its columns.
   *
   * @param parameters - values of the `$name` parameters in `sql`
   */
  async query(
    sql: string,
    parameters?: LedgerQueryParameters,
  ): Promise<LedgerQueryRow[]> {
    // Loaded here so that writers never pay for DuckDB.
    const {DuckDBInstance} = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      for (const table of Object.values(LEDGER_TABLES)) {
        await connection.run(await this.viewSql(table));
      }
      await connection.run(this.exportViewSql());
      const reader = parameters
        ? await connection.runAndReadAll(sql, {...parameters})
        : await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map(toPlainRow);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }

  // Google's export rows as nested structs, or a typed empty relation.
  private exportViewSql(): string {
    const file = this.carbonFootprintExportFile;
    if (file === null) {
      return 'CREATE VIEW carbon_footprint_export AS SELECT ' +
        EMPTY_EXPORT_COLUMNS.join(', ') + ' WHERE FALSE';
    }
    return 'CREATE VIEW carbon_footprint_export AS SELECT * FROM ' +
      `read_json(${sqlString(file)}, format = 'auto')`;
  }

  // A view over the table's batch files, or a typed empty relation.
  private async viewSql(table: LedgerTable): Promise<string> {
    const columns = toDuckDbColumns(table);
    const directory = join(this.ledgerDirectory, table.name);
    if (!(await hasBatchFiles(directory))) {
      const casts = Object.entries(columns)
        .map(([name, type]) => `CAST(NULL AS ${type}) AS "${name}"`)
        .join(', ');
      return `CREATE VIEW "${table.name}" AS SELECT ${casts} WHERE FALSE`;
    }
    const columnList = Object.entries(columns)
      .map(([name, type]) => `"${name}": '${type}'`)
      .join(', ');
    const pattern = sqlString(join(directory, '*' + BATCH_SUFFIX));
    return `CREATE VIEW "${table.name}" AS SELECT * FROM read_json(` +
      `${pattern}, format = 'newline_delimited', ` +
      `columns = {${columnList}})`;
  }
}

async function hasBatchFiles(directory: string): Promise<boolean> {
  try {
    const names = await readdir(directory);
    return names.some((name) => name.endsWith(BATCH_SUFFIX) &&
      !name.startsWith('.'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function toPlainRow(row: Record<string, unknown>): LedgerQueryRow {
  const plain: LedgerQueryRow = {};
  for (const [name, value] of Object.entries(row)) {
    plain[name] =
      typeof value === 'bigint' &&
      value <= BigInt(Number.MAX_SAFE_INTEGER) &&
      value >= BigInt(Number.MIN_SAFE_INTEGER)
        ? Number(value)
        : value;
  }
  return plain;
}
