/**
 * A small reader for the shipped coefficient tables: comma separated,
 * double quotes around fields that hold commas, first header row named.
 */

/** Splits one CSV line into fields, honouring double-quoted fields. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quoted && character === '"' && line[index + 1] === '"') {
      current += '"';
      index += 1;
    } else if (character === '"') {
      quoted = !quoted;
    } else if (character === ',' && !quoted) {
      fields.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  fields.push(current);
  return fields;
}

/**
 * Parses CSV text into records keyed by the header on line
 * `headerLineIndex` (0-based); blank lines are skipped.
 *
 * @param text - the whole file
 * @param headerLineIndex - which line names the columns
 * @returns one record per data line, values trimmed
 */
export function parseCsvRecords(
  text: string,
  headerLineIndex = 0,
): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  const header = splitCsvLine(lines[headerLineIndex] ?? '').map((name) =>
    name.trim(),
  );
  const records: Record<string, string>[] = [];
  for (const line of lines.slice(headerLineIndex + 1)) {
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    const record: Record<string, string> = {};
    header.forEach((name, column) => {
      record[name] = (fields[column] ?? '').trim();
    });
    records.push(record);
  }
  return records;
}
