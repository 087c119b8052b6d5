/**
 * The ledger port on BigQuery: streaming inserts (`table.insert(rows,
 * {raw: true})`) where each row's insertId is its deterministic
 * `insert_id` (from job id, segment and row kind), so a retried insert
 * repeats the same ids. BigQuery's insertId de-duplication is best
 * effort only; the report queries de-duplicate again on each table's key.
 *
 * Values go over the wire as the legacy streaming API reads them:
 * TIMESTAMP as RFC 3339 text in UTC with milliseconds (never a number,
 * whose unit BigQuery would take as seconds), DATE as YYYY-MM-DD, JSON
 * columns as JSON text.
 */
import {BigQuery} from '@google-cloud/bigquery';

import {SchedulerError} from '../../shared/errors.js';
import {checkLedgerRows} from '../../shared/ledger/row-check.js';
import {
  LEDGER_TABLES,
  type LedgerColumn,
  type LedgerTableName,
} from '../../shared/ledger/schema.js';
import type {LedgerWriter} from '../../shared/ports/ledger-writer.js';
import type {Logger} from '../../shared/ports/logger.js';

/** One row as `table.insert(rows, {raw: true})` takes it. */
export interface RawInsertRow {
  readonly insertId: string;
  readonly json: Record<string, unknown>;
}

/** The one method of a BigQuery `Table` the writer calls. */
export interface InsertableTable {
  insert(
    rows: RawInsertRow[],
    options: {raw: true; skipInvalidRows: false; ignoreUnknownValues: false},
  ): Promise<unknown>;
}

/** How the writer reaches BigQuery. */
export interface BigQueryLedgerWriterOptions {
  /** The ledger dataset, e.g. `carbon_ledger`. */
  readonly datasetId: string;
  /** The project of the dataset; the client's default when absent. */
  readonly projectId?: string;
  /** Where rows of a table go; by default the client's table. */
  readonly tableFor?: (table: LedgerTableName) => InsertableTable;
  /** Attempts per batch, the first included (default 4). */
  readonly maxAttempts?: number;
  /** Waits between attempts (default: 200 ms doubling). */
  readonly sleep?: (milliseconds: number) => Promise<void>;
  readonly logger?: Logger;
}

/** What one append wrote. */
export interface BigQueryAppendResult {
  readonly rowCount: number;
  readonly attempts: number;
}

/** The ledger port on BigQuery, saying what each append did. */
export interface BigQueryLedgerWriter extends LedgerWriter {
  append(
    table: LedgerTableName,
    rows: readonly Record<string, unknown>[],
  ): Promise<BigQueryAppendResult>;
}

/** Streaming insert limits keep a batch well under 10 MB and 50,000 rows. */
const ROWS_PER_INSERT = 500;

/** A batch BigQuery refused or that kept failing. */
export class BigQueryInsertError extends SchedulerError {
  constructor(
    table: string,
    message: string,
    options: {retryable: boolean; cause?: unknown},
  ) {
    super('bigquery-insert-failed', `${table}: ${message}`, options);
  }
}

/**
 * Creates the BigQuery ledger writer.
 *
 * @throws (from append) UnknownLedgerTableError, LedgerRowError before any
 *   insert; BigQueryInsertError when BigQuery rejects rows (permanent) or
 *   keeps failing (retryable: redelivery repeats the same insertIds)
 */
export function createBigQueryLedgerWriter(
  options: BigQueryLedgerWriterOptions,
): BigQueryLedgerWriter {
  const maxAttempts = options.maxAttempts ?? 4;
  const sleep = options.sleep ??
    ((milliseconds: number) =>
      new Promise<void>((resolve) => setTimeout(resolve, milliseconds)));
  let client: BigQuery | undefined;
  const tableFor = options.tableFor ?? ((name: LedgerTableName) => {
    client ??= new BigQuery(
      options.projectId ? {projectId: options.projectId} : {});
    return client.dataset(options.datasetId).table(name) as
      unknown as InsertableTable;
  });

  return {
    async append(table, rows) {
      checkLedgerRows(table, rows);
      const rawRows = rows.map((row) => toRawInsertRow(table, row));
      let attempts = 0;
      for (let start = 0; start < rawRows.length; start += ROWS_PER_INSERT) {
        const batch = rawRows.slice(start, start + ROWS_PER_INSERT);
        attempts += await insertWithRetries(tableFor(table), table, batch,
          {maxAttempts, sleep, logger: options.logger});
      }
      return {rowCount: rawRows.length, attempts};
    },
  };
}

/**
 * A ledger row as a raw streaming-insert row: insertId from `insert_id`,
 * values in the wire form of their column types.
 */
export function toRawInsertRow(
  table: LedgerTableName,
  row: Readonly<Record<string, unknown>>,
): RawInsertRow {
  const columns: readonly LedgerColumn[] = LEDGER_TABLES[table].columns;
  const json: Record<string, unknown> = {};
  for (const column of columns) {
    const value = row[column.name];
    if (value === undefined) continue;
    json[column.name] = wireValue(column, value);
  }
  return {insertId: String(row.insert_id), json};
}

function wireValue(column: LedgerColumn, value: unknown): unknown {
  if (value === null) return null;
  switch (column.type) {
    case 'TIMESTAMP':
      // The row check allows any offset; BigQuery gets one form, in UTC.
      return new Date(String(value)).toISOString();
    case 'JSON':
      return JSON.stringify(value);
    default:
      return value;
  }
}

async function insertWithRetries(
  target: InsertableTable,
  table: string,
  batch: RawInsertRow[],
  policy: {
    maxAttempts: number;
    sleep: (milliseconds: number) => Promise<void>;
    logger: Logger | undefined;
  },
): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await target.insert(batch, {
        raw: true,
        skipInvalidRows: false,
        ignoreUnknownValues: false,
      });
      return attempt;
    } catch (error) {
      const rejected = rowRejections(error);
      if (rejected !== null) {
        throw new BigQueryInsertError(table,
          `BigQuery rejected rows: ${rejected}`,
          {retryable: false, cause: error});
      }
      if (!isTransient(error) || attempt >= policy.maxAttempts) {
        throw new BigQueryInsertError(table,
          `insert failed after ${attempt} attempt(s): ${messageOf(error)}`,
          {retryable: isTransient(error), cause: error});
      }
      policy.logger?.log('WARNING', 'ledger insert retried', {
        table, attempt, rowCount: batch.length,
        insertIds: batch.map((row) => row.insertId).slice(0, 20),
        error: messageOf(error),
      });
      await policy.sleep(200 * 2 ** (attempt - 1));
    }
  }
}

const TRANSIENT_CODES = new Set([
  408, 429, 500, 502, 503, 504, 'ETIMEDOUT', 'ECONNRESET', 'ECONNREFUSED',
  'EPIPE', 'EAI_AGAIN', 'DEADLINE_EXCEEDED', 'UNAVAILABLE',
]);
const TRANSIENT_ROW_REASONS = new Set([
  'backendError', 'internalError', 'timeout', 'stopped',
]);

function isTransient(error: unknown): boolean {
  const fields = error as {code?: unknown; name?: unknown} | null;
  // Row failures that are all transient (rowRejections found none else).
  if (fields?.name === 'PartialFailureError') return true;
  if (fields?.name === 'AbortError' || fields?.name === 'TimeoutError') {
    return true;
  }
  return TRANSIENT_CODES.has(fields?.code as string | number);
}

// Row-level refusals (PartialFailureError) that no retry can fix.
function rowRejections(error: unknown): string | null {
  const failures = (error as {name?: unknown; errors?: unknown} | null);
  if (failures?.name !== 'PartialFailureError' ||
      !Array.isArray(failures.errors)) {
    return null;
  }
  const reasons: string[] = [];
  let permanent = false;
  for (const failure of failures.errors as {
    row?: {insertId?: string};
    errors?: {reason?: string; message?: string}[];
  }[]) {
    for (const problem of failure.errors ?? []) {
      if (!TRANSIENT_ROW_REASONS.has(problem.reason ?? '')) permanent = true;
      reasons.push(`${failure.row?.insertId ?? '?'}: ` +
        `${problem.reason ?? 'unknown'} ${problem.message ?? ''}`.trim());
    }
  }
  return permanent ? reasons.join('; ') : null;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
