import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import type {ProjectBudget} from '../../../shared/budgets/budget-config.js';
import {readBudgetMonth} from '../../../shared/budgets/budget-ledger.js';
import {
  releaseBudget,
  reserveBudget,
  settleBudget,
} from '../../../shared/budgets/budget-reservations.js';
import {readBudgetUse} from '../../../shared/budgets/budget-use.js';

const CHILD = fileURLToPath(new URL('./reserve-child.ts', import.meta.url));
const BUDGET: ProjectBudget = {projectId: 'ml-prod', carbonBudgetKg: 10,
  overBudget: 'reject'};
const MONTH = '2025-03';

function reserveInChild(
  directory: string,
  prefix: string,
  count: number,
  kilograms: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD,
      directory, String(BUDGET.carbonBudgetKg), prefix, String(count),
      String(kilograms)], {stdio: ['ignore', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => code === 0 ? resolve(Number(stdout))
      : reject(new Error(`child ${prefix} exited ${code}: ${stderr}`)));
  });
}

describe('carbon budget reservations', () => {
  let directory: string;
  let blobs: DirectoryBlobStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'budgets-'));
    blobs = new DirectoryBlobStore(directory);
  });

  afterEach(async () => {
    await rm(directory, {recursive: true, force: true});
  });

  const reserve = (jobId: string, kilograms: number) => reserveBudget(blobs,
    {budget: BUDGET, month: MONTH, jobId, kilograms, nowMs: 0});

  it('lets only one of two concurrent jobs take the last kilograms',
    async () => {
      await reserve('j-big', 8);
      const outcomes = await Promise.all([reserve('j-a', 1.5),
        reserve('j-b', 1.5)]);
      assert.deepEqual(outcomes.map((o) => o.status).sort(),
        ['over-budget', 'reserved']);
      const refused = outcomes.find((o) => o.status === 'over-budget');
      assert.ok(refused?.status === 'over-budget' &&
        Math.abs(refused.availableKg - 0.5) < 1e-9);
      const state = await readBudgetMonth(blobs, 'ml-prod', MONTH);
      assert.ok(Math.abs(state.usedKg - 9.5) < 1e-9);
      assert.equal(state.entries.length, 2);
    });

  it('never grants more than the budget to 24 jobs racing in one process',
    async () => {
      const outcomes = await Promise.all(Array.from({length: 24},
        (_, index) => reserve(`j-${index}`, 1)));
      assert.equal(outcomes.filter((o) => o.status === 'reserved').length,
        10);
      const state = await readBudgetMonth(blobs, 'ml-prod', MONTH);
      assert.ok(Math.abs(state.usedKg - 10) < 1e-9);
      assert.deepEqual(state.entries.map((entry) => entry.sequence),
        Array.from({length: 10}, (_, index) => index));
    });

  it('never grants more than the budget to jobs racing from three ' +
    'processes', async function () {
    this.timeout(60_000);
    const granted = await Promise.all([
      reserveInChild(directory, 'a', 6, 1),
      reserveInChild(directory, 'b', 6, 1),
      reserveInChild(directory, 'c', 6, 1),
    ]);
    assert.equal(granted.reduce((total, count) => total + count, 0), 10);
    const state = await readBudgetMonth(blobs, 'ml-prod', MONTH);
    assert.ok(Math.abs(state.usedKg - 10) < 1e-9);
  });

  it('writes nothing new when the same reservation is retried', async () => {
    await reserve('j-1', 2);
    const again = await reserve('j-1', 2);
    assert.ok(again.status === 'reserved' && again.entry === null);
    const state = await readBudgetMonth(blobs, 'ml-prod', MONTH);
    assert.equal(state.entries.length, 1);
  });

  it('moves a re-planned job to its new figure, down always, up if it fits',
    async () => {
      await reserve('j-1', 6);
      await reserve('j-2', 3);
      assert.equal((await reserve('j-1', 2)).status, 'reserved');
      assert.equal((await reserve('j-1', 7.5)).status, 'over-budget');
      assert.equal((await reserve('j-1', 7)).status, 'reserved');
      const state = await readBudgetMonth(blobs, 'ml-prod', MONTH);
      assert.ok(Math.abs(state.usedKg - 10) < 1e-9);
    });

  it('trues a reservation up or down to the measured figure when the job ' +
    'ends, and keeps it when the figure is unknown', async () => {
    await reserve('j-up', 2);
    await reserve('j-down', 3);
    await reserve('j-unknown', 1);
    const settle = (jobId: string, measuredKg: number | null) =>
      settleBudget(blobs, {projectId: 'ml-prod', month: MONTH, jobId,
        measuredKg, budgetKg: 10, nowMs: 1});
    await settle('j-up', 2.5);
    await settle('j-down', 1);
    await settle('j-unknown', null);
    assert.equal(await settle('j-up', 2.5), null, 'settled once');
    const use = await readBudgetUse(blobs, null, 'ml-prod', MONTH);
    assert.ok(Math.abs(use.usedKg - 4.5) < 1e-9);
    assert.ok(Math.abs(use.settledKg - 4.5) < 1e-9);
    assert.equal(use.reservedKg, 0);
    assert.equal(use.carbonBudgetKg, 10);
    assert.ok(Math.abs(use.usedPercent! - 45) < 1e-9);
    assert.equal((await reserve('j-up', 5)).status, 'already-settled');
  });

  it('releases a whole reservation', async () => {
    await reserve('j-1', 4);
    await releaseBudget(blobs, {projectId: 'ml-prod', month: MONTH,
      jobId: 'j-1', nowMs: 2, note: 'plan moved to 2025-04'});
    const use = await readBudgetUse(blobs, null, 'ml-prod', MONTH);
    assert.equal(use.usedKg, 0);
    assert.deepEqual(use.jobs, []);
  });
});
