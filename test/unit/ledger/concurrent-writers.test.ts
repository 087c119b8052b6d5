import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtemp, readdir, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';

const CHILD = fileURLToPath(new URL('./append-rows-child.ts', import.meta.url));

function runWriter(ledgerDirectory: string, writer: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath,
      ['--import', 'tsx', CHILD, ledgerDirectory, writer, '25', '4'],
      {stdio: ['ignore', 'ignore', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => code === 0 ? resolve()
      : reject(new Error(`writer ${writer} exited ${code}: ${stderr}`)));
  });
}

describe('FileLedger with two writer processes', () => {
  let ledgerDirectory: string;

  before(async () => {
    ledgerDirectory = await mkdtemp(join(tmpdir(), 'ledger-writers-'));
  });

  after(async () => {
    await rm(ledgerDirectory, {recursive: true, force: true});
  });

  it('reads every row both processes appended at once', async () => {
    await Promise.all([
      runWriter(ledgerDirectory, 'writer-a'),
      runWriter(ledgerDirectory, 'writer-b'),
    ]);
    const ledger = new FileLedger({ledgerDirectory});
    const rows = await ledger.query(`
      SELECT job_id, COUNT(*) AS n, COUNT(DISTINCT segment_index) AS d
      FROM segments GROUP BY job_id ORDER BY job_id`);
    assert.deepEqual(rows, [
      {job_id: 'writer-a', n: 100, d: 100},
      {job_id: 'writer-b', n: 100, d: 100},
    ]);
    const names = await readdir(join(ledgerDirectory, 'segments'));
    assert.equal(names.length, 50);
    assert.ok(names.every((name) => name.endsWith('.jsonl')));
  });
});
