import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';

import {
  CsvSyntaxError,
  findColumn,
  parseCsv,
  parseCsvTable,
} from '../../../shared/data/csv.js';
import {DATA_DIRECTORY} from '../../../shared/data/data-paths.js';

describe('parseCsv', () => {
  const cases = [
    {name: 'splits LF records', text: 'a,b\n1,2\n',
      expected: [['a', 'b'], ['1', '2']]},
    {name: 'splits CRLF records', text: 'a,b\r\n1,2\r\n',
      expected: [['a', 'b'], ['1', '2']]},
    {name: 'reads a last record without a line end', text: 'a,b\n1,2',
      expected: [['a', 'b'], ['1', '2']]},
    {name: 'drops a byte-order mark', text: '\ufeffa,b\n',
      expected: [['a', 'b']]},
    {name: 'keeps empty fields, a trailing one too', text: ',x,\n',
      expected: [['', 'x', '']]},
    {name: 'keeps commas and line ends inside quotes',
      text: '"a,b","c\r\nd"\n', expected: [['a,b', 'c\r\nd']]},
    {name: 'reads a doubled quote as one', text: '"say ""hi"""\n',
      expected: [['say "hi"']]},
    {name: 'reads a trailing comma at the very end', text: 'a,',
      expected: [['a', '']]},
  ];
  for (const testCase of cases) {
    it(testCase.name, () => {
      assert.deepEqual(parseCsv(testCase.text), testCase.expected);
    });
  }

  it('refuses a quoted field that never closes, naming the line', () => {
    assert.throws(() => parseCsv('a\n"b,c\n', 'x.csv'),
      (error: unknown) => error instanceof CsvSyntaxError &&
        error.lineNumber === 2 && /x\.csv/.test(error.message));
  });

  it('refuses a quote inside a plain field', () => {
    assert.throws(() => parseCsv('ab"c\n'), CsvSyntaxError);
  });

  it('refuses text after a closing quote', () => {
    assert.throws(() => parseCsv('"ab"c,d\n'), CsvSyntaxError);
  });
});

describe('parseCsvTable', () => {
  it('reads a header below a notes row and skips blank lines', () => {
    const table = parseCsvTable('notes,,\nk,v\n\n1,2\n3\n',
      {headerLineIndex: 1});

    assert.deepEqual(table.columns, ['k', 'v']);
    assert.deepEqual(table.rows, [{k: '1', v: '2'}, {k: '3', v: ''}]);
  });

  it('finds a column whatever subscript digits it uses', () => {
    assert.equal(findColumn(['Carbon gCO\u2082eq/kWh (LCA)'],
      'Carbon gCO2eq/kWh (LCA)'), 'Carbon gCO\u2082eq/kWh (LCA)');
    assert.equal(findColumn(['a'], 'b'), undefined);
  });

  it('parses every shipped region table', () => {
    const folder = join(DATA_DIRECTORY, 'regions');
    const files = readdirSync(folder, {recursive: true})
      .map(String).filter((name) => name.endsWith('.csv'));
    for (const file of files) {
      const table = parseCsvTable(readFileSync(join(folder, file), 'utf8'));
      assert.ok(table.rows.length > 0, file);
    }
    assert.ok(files.length >= 10);
  });
});
