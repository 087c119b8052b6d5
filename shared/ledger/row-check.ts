/**
 * Checks a ledger row against its table before it is written, so a bad row
 * fails at the writer with every reason, not later in a report.
 */
import {SchedulerError} from '../errors.js';
import {
  LEDGER_TABLES,
  type LedgerColumn,
  type LedgerTableName,
} from './schema.js';

/** A row that does not fit its table. */
export class LedgerRowError extends SchedulerError {
  readonly problems: readonly string[];

  constructor(table: string, index: number, problems: readonly string[]) {
    super('invalid-ledger-row',
      `${table}[${index}]: ${problems.join('; ')}`);
    this.problems = problems;
  }
}

/** An unknown table name. */
export class UnknownLedgerTableError extends SchedulerError {
  constructor(table: string) {
    super('unknown-ledger-table',
      `table: "${table}" is not a ledger table; allowed: ` +
        Object.keys(LEDGER_TABLES).join(', '));
  }
}

/** Whether a name is a ledger table. */
export function isLedgerTableName(name: string): name is LedgerTableName {
  return Object.hasOwn(LEDGER_TABLES, name);
}

/**
 * Throws unless every row has exactly the table's columns with values of
 * their types (null only where the column is NULLABLE).
 *
 * @throws UnknownLedgerTableError, LedgerRowError
 */
export function checkLedgerRows(
  table: string,
  rows: readonly Record<string, unknown>[],
): void {
  if (!isLedgerTableName(table)) throw new UnknownLedgerTableError(table);
  const columns: readonly LedgerColumn[] = LEDGER_TABLES[table].columns;
  const known = new Set(columns.map((column) => column.name));
  rows.forEach((row, index) => {
    const problems = Object.keys(row)
      .filter((name) => !known.has(name))
      .map((name) => `${name}: not a column of ${table}`);
    for (const column of columns) {
      const problem = checkValue(column, row[column.name]);
      if (problem) problems.push(`${column.name}: ${problem}`);
    }
    if (problems.length > 0) throw new LedgerRowError(table, index, problems);
  });
}

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function checkValue(column: LedgerColumn, value: unknown): string | null {
  if (value === undefined || value === null) {
    return column.mode === 'REQUIRED' ? 'missing; it is REQUIRED' : null;
  }
  switch (column.type) {
    case 'STRING':
      return typeof value === 'string' ? null : 'expected a string';
    case 'INT64':
      return Number.isSafeInteger(value) ? null : 'expected an integer';
    case 'FLOAT64':
      return Number.isFinite(value) ? null : 'expected a finite number';
    case 'BOOL':
      return typeof value === 'boolean' ? null : 'expected true or false';
    case 'TIMESTAMP':
      return typeof value === 'string' && RFC3339.test(value)
        ? null : 'expected an RFC 3339 instant with offset';
    case 'DATE':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)
        ? null : 'expected YYYY-MM-DD';
    case 'JSON':
      return null;
  }
}
