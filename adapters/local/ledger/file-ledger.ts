/**
 * The local ledger: each appended batch becomes a new JSON-lines file under
 * `<ledgerDirectory>/<table>/`, written to a temporary name and renamed, so
 * several processes can write at once and nothing is ever rewritten.
 * Queries run in an in-memory DuckDB over one view per table.
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

/** An append-only ledger in a directory, read through DuckDB. */
export class FileLedger {
  readonly ledgerDirectory: string;

  /** @param options.ledgerDirectory - root folder, created on first write */
  constructor(options: {ledgerDirectory: string}) {
    this.ledgerDirectory = options.ledgerDirectory;
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
   * footprints, intensity_samples); an empty table still has its columns.
   */
  async query(sql: string): Promise<LedgerQueryRow[]> {
    // Loaded here so that writers never pay for DuckDB.
    const {DuckDBInstance} = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      await connection.run(`SET TimeZone = 'UTC'`);
      for (const table of Object.values(LEDGER_TABLES)) {
        await connection.run(await this.viewSql(table));
      }
      const reader = await connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map(toPlainRow);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
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
