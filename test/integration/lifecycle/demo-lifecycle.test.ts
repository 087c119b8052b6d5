import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {DirectoryBlobStore} from '../../../adapters/local/directory-blob-store.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {runDemo, type DemoResult} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {recomputeSegmentFootprint} from
  '../../../shared/footprint/segment-footprint.js';
import {readSnapshot} from '../../../shared/jobs/job-snapshot.js';
import {crossCheckDecisions} from './cross-check-decisions.js';

const DEFAULT_JOB = 'examples/jobs/fine-tune-h100.json';

/** Runs the demo against the CI emulator when there is one. */
async function demo(
  directory: string,
  jobFile: string,
  now: string,
): Promise<DemoResult> {
  return runDemo({
    jobFile,
    nowMs: Date.parse(now),
    speed: 0,
    oracle: false,
    json: true,
    runDirectory: path.join(directory, randomUUID()),
    projectId: `demo-${randomUUID().slice(0, 8)}`,
    ...(process.env.TEST_PUBSUB_EMULATOR_HOST
      ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
      : {}),
  });
}

describe('the whole lifecycle on the Pub/Sub emulator', function () {
  this.timeout(240_000);
  let directory: string;
  let first: DemoResult;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'lifecycle-'));
    first = await demo(directory, DEFAULT_JOB, DEFAULT_DEMO_NOW);
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('completes the default job, pausing and resuming by policy', () => {
    assert.equal(first.status, 'completed');
    assert.ok(first.pauses >= 1, `expected a pause, got ${first.pauses}`);
    assert.ok(first.ledgerRows >= 2);
    assert.ok(first.training?.heldOutAccuracy! > 0.25, 'above chance (4 classes)');
  });

  it('meets the deadline', async () => {
    const job = JSON.parse(await readFile(DEFAULT_JOB, 'utf8'));
    const blobs = new DirectoryBlobStore(path.join(first.runDirectory, 'blobs'));
    const snapshot = await readSnapshot(blobs, first.jobId!);
    const lastEnd = Math.max(...snapshot!.segments.map((s) => s.endedAtMs!));
    assert.ok(lastEnd <= Date.parse(job.constraints.deadline));
  });

  it('tells the last step, the poll that saw it and the recording apart',
    async () => {
      const blobs = new DirectoryBlobStore(path.join(first.runDirectory,
        'blobs'));
      const snapshot = await readSnapshot(blobs, first.jobId!);
      const lastEndMs = snapshot!.segments.at(-1)!.endedAtMs!;
      const ledger = new FileLedger({
        ledgerDirectory: path.join(first.runDirectory, 'ledger'),
      });
      const rows = await ledger.query("SELECT strftime(max(recorded_at), " +
        `'%Y-%m-%dT%H:%M:%S.%gZ') AS at FROM footprints WHERE job_id = ` +
        `'${first.jobId}' AND footprint_kind = 'actual'`);
      const log = (await readFile(path.join(first.runDirectory,
        'functions.log'), 'utf8')).trim().split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const completed = log.find((entry) =>
        entry.message === 'training completed')!;

      assert.equal(first.trainedUntil, new Date(lastEndMs).toISOString());
      assert.equal(first.recordedAt, rows[0]!.at);
      assert.equal(completed.endedAt, first.trainedUntil);
      assert.equal(completed.pollIntervalSeconds, 1800);
      const noticedAfterMs = Date.parse(String(completed.virtualTime)) -
        lastEndMs;
      assert.ok(noticedAfterMs >= 0 && noticedAfterMs <= 1800 * 1000,
        `noticed ${noticedAfterMs} ms after the last step`);
    });

  it('names the same data source in its plan and its ledger', () => {
    assert.equal(first.dataSource, first.plan?.signal);
  });

  it('reproduces the totals and every row from the ledger alone', async () => {
    const ledger = new FileLedger({
      ledgerDirectory: path.join(first.runDirectory, 'ledger'),
    });
    const rows = await ledger.query(
      `SELECT * FROM footprints WHERE job_id = '${first.jobId}'`);
    const actual = rows.filter((row) => row.footprint_kind === 'actual');
    const summedKg = actual.reduce((sum, row) =>
      sum + Number(row.carbon_footprint_total_location_based_kgco2e), 0);
    assert.ok(Math.abs(summedKg - first.emissionsKg!) < 1e-9);
    for (const row of rows) {
      const inputs = typeof row.inputs === 'string'
        ? JSON.parse(row.inputs) : row.inputs;
      const recomputed = recomputeSegmentFootprint(inputs);
      assert.ok(Math.abs(recomputed.totalGrams! / 1000 -
        Number(row.carbon_footprint_total_location_based_kgco2e)) < 1e-9);
    }
  });

  it('makes every monitor decision the offline policy makes', async () => {
    const checked = await crossCheckDecisions(first);
    assert.ok(checked >= 1);
  });

  it('gives the same numbers on a second run', async () => {
    const second = await demo(directory, DEFAULT_JOB, DEFAULT_DEMO_NOW);
    const numbers = (result: DemoResult) => [result.plan, result.pauses,
      result.pauseDetails, result.emissionsKg, result.counterfactualEmissionsKg,
      result.savedPercent, result.ledgerRows, result.virtualEnd];
    assert.deepEqual(numbers(second), numbers(first));
  });

  for (const scenario of [
    {now: '2022-03-15T00:00:00Z', residency: ['US']},
    {now: '2022-10-11T00:00:00Z', residency: ['US']},
    {now: '2022-06-14T00:00:00Z', residency: ['EU']},
  ]) {
    it(`decides as the offline policy at ${scenario.now} in ` +
      `${scenario.residency.join('/')}`, async () => {
      const job = JSON.parse(await readFile(DEFAULT_JOB, 'utf8'));
      job.jobId = `scenario-${scenario.now.slice(0, 10)}`;
      job.constraints.residency = scenario.residency;
      job.constraints.deadline = new Date(
        Date.parse(scenario.now) + 48 * 3_600_000).toISOString();
      const jobFile = path.join(directory, `${job.jobId}.json`);
      await writeFile(jobFile, JSON.stringify(job));
      const result = await demo(directory, jobFile, scenario.now);
      assert.equal(result.status, 'completed');
      assert.ok(await crossCheckDecisions(result) >= 1);
    });
  }

  it('rejects an invalid job naming every bad field', async () => {
    const result = await demo(directory, 'examples/jobs/invalid-job.json',
      DEFAULT_DEMO_NOW);
    assert.equal(result.status, 'rejected');
    const fields = result.rejectedReasons!.map((r) => r.field).sort();
    assert.deepEqual(fields, ['constraints.deadline', 'durationHours',
      'hardware.acceleratorType', 'project']);
  });
});
