import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {readdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';

import {DATA_DIRECTORY} from '../../../shared/data/data-paths.js';

// The folders data/NOTICE.md covers.
const COVERED_FOLDERS = ['traces', 'regions'];
const ROW_PATTERN =
  /^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$/;

function noticeChecksums(): Map<string, string> {
  const text = readFileSync(join(DATA_DIRECTORY, 'NOTICE.md'), 'utf8');
  const checksums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = ROW_PATTERN.exec(line.trim());
    if (match?.[1] && match[2]) checksums.set(match[1], match[2]);
  }
  return checksums;
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder, {withFileTypes: true, recursive: true})
    .filter((entry) => entry.isFile())
    .map((entry) => relative(DATA_DIRECTORY, join(entry.parentPath,
      entry.name)).split('\\').join('/'));
}

describe('shipped data', () => {
  const checksums = noticeChecksums();
  const shipped = COVERED_FOLDERS
    .flatMap((folder) => filesUnder(join(DATA_DIRECTORY, folder))).sort();

  it('lists every shipped file in NOTICE.md', () => {
    assert.ok(shipped.length > 40);
    assert.deepEqual(shipped.filter((file) => !checksums.has(file)), []);
  });

  it('lists no file in NOTICE.md that is not shipped', () => {
    assert.deepEqual(
      [...checksums.keys()].filter((file) => !shipped.includes(file)), []);
  });

  it('matches each file to the sha256 in NOTICE.md', () => {
    for (const [file, expected] of checksums) {
      const actual = createHash('sha256')
        .update(readFileSync(join(DATA_DIRECTORY, file))).digest('hex');
      assert.equal(actual, expected, file);
    }
  });

  it('ships no trace without a redistribution licence', () => {
    const forbidden = shipped.filter((file) =>
      /lets_wait|watttime|(^|\/)(data_centers\.json|zones_extract\.csv)$/i
        .test(file));
    assert.deepEqual(forbidden, []);
  });
});
