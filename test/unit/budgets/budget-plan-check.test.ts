import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {
  InvalidBudgetsConfigError,
  parseBudgetsConfig,
  type BudgetsConfig,
} from '../../../shared/budgets/budget-config.js';
import {
  CarbonBudgetExceededError,
  reserveBudgetForPlan,
} from '../../../shared/budgets/budget-plan-check.js';
import {settleJobBudget} from '../../../shared/budgets/budget-settlement.js';
import {
  BUDGETS_CONFIG_KEY,
  loadBudgetsConfig,
} from '../../../shared/budgets/budget-source.js';
import {readBudgetUse} from '../../../shared/budgets/budget-use.js';
import type {StoredPlan} from '../../../shared/jobs/stored-plan.js';

const HOUR_MS = 3_600_000;
const START = Date.parse('2025-03-30T10:00:00Z');

function plan(jobId: string, expectedKg: number, startMs = START):
  StoredPlan {
  return {
    jobId, requestId: `${jobId}:plan:1`, createdAtMs: startMs,
    forecastsPointer: 'forecasts/x.json', signalProvider: 'test',
    basis: 'average-lifecycle', mode: 'contiguous',
    segments: [{regionId: 'europe-north1', startMs,
      endMs: startMs + 8 * HOUR_MS}],
    expectedEmissionsGrams: expectedKg * 1000,
    averageGramsPerKilowattHour: 50,
    contiguousExpectedEmissionsGrams: expectedKg * 1000,
    itPowerKilowatts: 1, totalSteps: 96, checkpointEverySteps: 6,
    counterfactual: {regionId: 'us-east4', startMs, endMs: startMs,
      expectedEmissionsGrams: null},
    regionsConsidered: [], excluded: [], why: 'lowest expected emissions',
  };
}

const config = (overBudget: 'reject' | 'defer'): BudgetsConfig =>
  parseBudgetsConfig(JSON.stringify({schemaVersion: 1, overBudget,
    projects: {'ml-prod': {carbonBudgetKg: 10}}}), 'test');

describe('carbon budget at plan time', () => {
  let directory: string;
  let blobs: DirectoryBlobStore;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'budget-plans-'));
    blobs = new DirectoryBlobStore(directory);
  });

  afterEach(async () => {
    await rm(directory, {recursive: true, force: true});
  });

  const check = (
    jobId: string,
    kilograms: number,
    overBudget: 'reject' | 'defer',
    deadline = '2025-04-30T00:00:00Z',
  ) => reserveBudgetForPlan({
    blobs, config: config(overBudget),
    job: {jobId, projectId: 'ml-prod', deadlineMs: Date.parse(deadline)},
    plan: plan(jobId, kilograms), nowMs: START,
  });

  it('reserves the forecast in the month the plan starts', async () => {
    const outcome = await check('j-1', 4, 'reject');
    assert.equal(outcome.status, 'reserved');
    const use = await readBudgetUse(blobs, config('reject'), 'ml-prod',
      '2025-03');
    assert.equal(use.reservedKg, 4);
    assert.equal(use.remainingKg, 6);
  });

  it('rejects a job over budget with a message saying what to do',
    async () => {
      await check('j-1', 8, 'reject');
      await assert.rejects(check('j-2', 3, 'reject'), (error: unknown) =>
        error instanceof CarbonBudgetExceededError && !error.retryable &&
        error.message.includes('needs 3 kgCO2e') &&
        error.message.includes('only 2 kgCO2e of the 2025-03 carbon budget') &&
        error.message.includes('Raise carbonBudgetKg'));
    });

  it('defers a job over budget to the next month when configured',
    async () => {
      await check('j-1', 8, 'defer');
      const outcome = await check('j-2', 3, 'defer');
      assert.equal(outcome.status, 'deferred');
      assert.ok(outcome.status === 'deferred');
      assert.equal(outcome.month, '2025-04');
      assert.deepEqual(outcome.plan.segments, [{regionId: 'europe-north1',
        startMs: Date.parse('2025-04-01T00:00:00Z'),
        endMs: Date.parse('2025-04-01T08:00:00Z')}]);
      assert.match(outcome.plan.why, /deferred to 2025-04-01T00:00:00.000Z/);
      const april = await readBudgetUse(blobs, null, 'ml-prod', '2025-04');
      assert.equal(april.reservedKg, 3);
      const march = await readBudgetUse(blobs, null, 'ml-prod', '2025-03');
      assert.equal(march.usedKg, 8);
    });

  it('rejects a deferral that would end after the deadline', async () => {
    await check('j-1', 8, 'defer');
    await assert.rejects(check('j-2', 3, 'defer', '2025-04-01T04:00:00Z'),
      (error: unknown) => error instanceof CarbonBudgetExceededError &&
        /would end after the deadline/.test(error.message));
  });

  it('moves the reservation when a re-plan lands in another month, and ' +
    'settles it where it lives', async () => {
    await check('j-1', 4, 'reject');
    await reserveBudgetForPlan({blobs, config: config('reject'),
      job: {jobId: 'j-1', projectId: 'ml-prod',
        deadlineMs: Date.parse('2025-04-30T00:00:00Z')},
      plan: plan('j-1', 5, Date.parse('2025-04-02T00:00:00Z')),
      nowMs: START});
    assert.equal((await readBudgetUse(blobs, null, 'ml-prod', '2025-03'))
      .usedKg, 0);
    await settleJobBudget({blobs, config: config('reject'),
      projectId: 'ml-prod', jobId: 'j-1', measuredKg: 4.2,
      startMs: START, nowMs: START});
    const april = await readBudgetUse(blobs, null, 'ml-prod', '2025-04');
    assert.ok(Math.abs(april.settledKg - 4.2) < 1e-9);
  });

  it('applies no budget to a project without one', async () => {
    const outcome = await reserveBudgetForPlan({blobs, config: null,
      job: {jobId: 'j-1', projectId: 'other', deadlineMs: START},
      plan: plan('j-1', 400), nowMs: START});
    assert.equal(outcome.status, 'unbudgeted');
  });
});

describe('budgets configuration', () => {
  it('names the field that is wrong', () => {
    assert.throws(() => parseBudgetsConfig(JSON.stringify({
      schemaVersion: 1, projects: {'ml-prod': {carbonBudgetKg: -1}}}),
    'config/budgets.json'), (error: unknown) =>
      error instanceof InvalidBudgetsConfigError &&
      error.message.startsWith('config/budgets.json: ') &&
      error.message.includes('projects.ml-prod.carbonBudgetKg'));
    assert.throws(() => parseBudgetsConfig('{', 'x'),
      InvalidBudgetsConfigError);
  });

  it('is read from the environment first, then the operator blob',
    async () => {
      const directory = await mkdtemp(join(tmpdir(), 'budget-config-'));
      try {
        const blobs = new DirectoryBlobStore(directory);
        assert.equal(await loadBudgetsConfig(blobs, {}), null);
        await blobs.write(BUDGETS_CONFIG_KEY, JSON.stringify({
          schemaVersion: 1, projects: {a: {carbonBudgetKg: 1}}}));
        assert.deepEqual(Object.keys(
          (await loadBudgetsConfig(blobs, {}))!.projects), ['a']);
        const fromEnvironment = await loadBudgetsConfig(blobs, {
          CARBON_BUDGETS_JSON: JSON.stringify({schemaVersion: 1,
            overBudget: 'defer', projects: {b: {carbonBudgetKg: 2}}})});
        assert.deepEqual(Object.keys(fromEnvironment!.projects), ['b']);
        assert.equal(fromEnvironment!.overBudget, 'defer');
      } finally {
        await rm(directory, {recursive: true, force: true});
      }
    });
});
