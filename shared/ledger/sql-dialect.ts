/**
 * The few places where the report SQL differs between BigQuery and the
 * local DuckDB views: how a table is named, how a query parameter is
 * written, and how an instant or a month is turned into text. Everything
 * else in the report queries is the same text on both.
 */
import {SchedulerError} from '../errors.js';
import type {LedgerTableName} from './schema.js';

/** A table the reports read: a ledger table or Google's export. */
export type ReportTableName = LedgerTableName | 'carbon_footprint_export';

/** One SQL dialect the reports are rendered in. */
export interface SqlDialect {
  readonly name: 'bigquery' | 'duckdb';
  /** A reference to a table, quoted for the dialect. */
  table(name: ReportTableName): string;
  /** A named query parameter (`@name` or `$name`). */
  parameter(name: string): string;
  /** An instant column as RFC 3339 text in UTC, with milliseconds. */
  isoTimestamp(expression: string): string;
  /** A DATE column as YYYY-MM text. */
  monthText(expression: string): string;
}

/** The local dialect: DuckDB views named after the tables. */
export const DUCKDB_DIALECT: SqlDialect = {
  name: 'duckdb',
  table: (name) => `"${name}"`,
  parameter: (name) => `$${checkParameterName(name)}`,
  isoTimestamp: (expression) =>
    `strftime(${expression}, '%Y-%m-%dT%H:%M:%S.%gZ')`,
  monthText: (expression) => `strftime(${expression}, '%Y-%m')`,
};

/** Where the ledger and the Carbon Footprint export live in BigQuery. */
export interface BigQueryLocation {
  readonly projectId: string;
  readonly datasetId: string;
  /**
   * The Carbon Footprint export table as `project.dataset.table`; by
   * default `carbon_footprint` in the ledger dataset.
   */
  readonly carbonFootprintExportTable?: string;
}

const IDENTIFIER = /^[A-Za-z0-9_-]+$/;

/**
 * The BigQuery dialect for a ledger dataset.
 *
 * @throws InvalidSqlIdentifierError - a project, dataset or table name
 *   with characters outside letters, digits, `_` and `-`
 */
export function bigQueryDialect(location: BigQueryLocation): SqlDialect {
  checkIdentifier('projectId', location.projectId);
  checkIdentifier('datasetId', location.datasetId);
  const exportTable = location.carbonFootprintExportTable ??
    `${location.projectId}.${location.datasetId}.carbon_footprint`;
  exportTable.split('.').forEach((part) =>
    checkIdentifier('carbonFootprintExportTable', part));
  return {
    name: 'bigquery',
    table: (name) => name === 'carbon_footprint_export'
      ? `\`${exportTable}\``
      : `\`${location.projectId}.${location.datasetId}.${name}\``,
    parameter: (name) => `@${checkParameterName(name)}`,
    isoTimestamp: (expression) =>
      `FORMAT_TIMESTAMP('%Y-%m-%dT%H:%M:%E3SZ', ${expression}, 'UTC')`,
    monthText: (expression) => `FORMAT_DATE('%Y-%m', ${expression})`,
  };
}

/** A name that cannot be put into a table reference safely. */
export class InvalidSqlIdentifierError extends SchedulerError {
  constructor(field: string, value: string) {
    super('invalid-sql-identifier',
      `${field}: "${value}" may only hold letters, digits, _ and -; ` +
        'give the BigQuery project, dataset or table id as shown in ' +
        'the console');
  }
}

function checkIdentifier(field: string, value: string): void {
  if (!IDENTIFIER.test(value)) {
    throw new InvalidSqlIdentifierError(field, value);
  }
}

function checkParameterName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new InvalidSqlIdentifierError('parameter', name);
  }
  return name;
}
