/**
 * A small RFC 4180 reader for the shipped tables: comma-separated fields,
 * optional double quotes (a quote inside a quoted field is written twice),
 * CRLF or LF line ends, and an optional UTF-8 byte-order mark. A quote in
 * the middle of an unquoted field, or a quoted field that never closes, is
 * a syntax error rather than something guessed at.
 */
import {SchedulerError} from '../errors.js';

/** A table that does not follow the CSV rules above. */
export class CsvSyntaxError extends SchedulerError {
  readonly lineNumber: number;

  constructor(description: string, lineNumber: number, sourceName: string) {
    super(
      'csv-syntax',
      `${sourceName} line ${lineNumber}: ${description}; ` +
        'fields must be plain or wholly enclosed in double quotes',
    );
    this.lineNumber = lineNumber;
  }
}

/**
 * Splits CSV text into records of raw field strings.
 *
 * @param text - the file's text; a leading byte-order mark is ignored
 * @param sourceName - named in error messages
 * @returns one array of fields per record; a final line end adds nothing
 */
export function parseCsv(text: string, sourceName = 'csv'): string[][] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let lineNumber = 1;
  let index = 0;

  // Each pass reads one field and the separator after it.
  while (index < body.length) {
    if (body[index] === '"') {
      const closed = readQuoted(body, index + 1, lineNumber, sourceName);
      field = closed.value;
      lineNumber = closed.lineNumber;
      index = closed.nextIndex;
    } else {
      const end = findFieldEnd(body, index);
      field = body.slice(index, end);
      if (field.includes('"')) {
        throw new CsvSyntaxError('quote inside a plain field', lineNumber,
          sourceName);
      }
      index = end;
    }

    fields.push(field);
    const separator = body[index];
    if (separator === ',') {
      index++;
      if (index === body.length) fields.push('');
      continue;
    }
    if (separator === undefined || separator === '\n' || separator === '\r') {
      records.push(fields);
      fields = [];
      index += body.startsWith('\r\n', index) ? 2 : 1;
      lineNumber++;
      continue;
    }
    throw new CsvSyntaxError('text after a closing quote', lineNumber,
      sourceName);
  }
  if (fields.length > 0) records.push(fields);
  return records;
}

// Reads a quoted field that starts just after its opening quote.
function readQuoted(
  body: string,
  startIndex: number,
  lineNumber: number,
  sourceName: string,
): {value: string; nextIndex: number; lineNumber: number} {
  let value = '';
  let index = startIndex;
  let line = lineNumber;
  for (;;) {
    const quoteIndex = body.indexOf('"', index);
    if (quoteIndex < 0) {
      throw new CsvSyntaxError('quoted field never closes', lineNumber,
        sourceName);
    }
    const chunk = body.slice(index, quoteIndex);
    line += countLineEnds(chunk);
    value += chunk;
    if (body[quoteIndex + 1] === '"') {
      value += '"';
      index = quoteIndex + 2;
      continue;
    }
    return {value, nextIndex: quoteIndex + 1, lineNumber: line};
  }
}

// The index of the comma or line end that closes a plain field.
function findFieldEnd(body: string, startIndex: number): number {
  for (let index = startIndex; index < body.length; index++) {
    const character = body.charCodeAt(index);
    if (character === 44 || character === 10 || character === 13) {
      return index;
    }
  }
  return body.length;
}

function countLineEnds(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    if (text.charCodeAt(index) === 10) count++;
    else if (text.charCodeAt(index) === 13 && text[index + 1] !== '\n') {
      count++;
    }
  }
  return count;
}

/** Rows of a CSV keyed by their header's column names. */
export interface CsvTable {
  /** Column names as written in the header. */
  readonly columns: readonly string[];
  readonly rows: readonly Readonly<Record<string, string>>[];
}

/**
 * Parses CSV text whose header sits on `headerLineIndex` (0-based); lines
 * before it (notes rows) are skipped, and so are blank lines. Fields
 * missing at the end of a short row read as ''.
 *
 * @param text - the file's text
 * @param options - `headerLineIndex` and a `sourceName` for messages
 * @returns the columns and one record per data row
 */
export function parseCsvTable(
  text: string,
  options: {headerLineIndex?: number; sourceName?: string} = {},
): CsvTable {
  const sourceName = options.sourceName ?? 'csv';
  const records = parseCsv(text, sourceName);
  const headerIndex = options.headerLineIndex ?? 0;
  const columns = records[headerIndex];
  if (!columns) {
    throw new CsvSyntaxError('no header row', headerIndex + 1, sourceName);
  }

  const dataRecords = records
    .slice(headerIndex + 1)
    .filter((record) => record.length > 1 || record[0] !== '');
  const rows = dataRecords.map((record) => {
    const row: Record<string, string> = {};
    columns.forEach((column, position) => {
      row[column] = record[position] ?? '';
    });
    return row;
  });
  return {columns, rows};
}

/**
 * A column name in a comparable form: Unicode compatibility-normalised
 * (so `gCO₂eq` reads `gCO2eq`) and trimmed.
 */
export function normaliseColumnName(name: string): string {
  return name.normalize('NFKC').trim();
}

/**
 * Finds the header column whose normalised name equals `wanted`.
 *
 * @returns the column name as written, or undefined
 */
export function findColumn(
  columns: readonly string[],
  wanted: string,
): string | undefined {
  const target = normaliseColumnName(wanted);
  return columns.find((column) => normaliseColumnName(column) === target);
}
