import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {FileLedger} from '../../../adapters/local/ledger/file-ledger.js';
import {runDemo, type DemoResult} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {readSnapshot, type JobSnapshot} from
  '../../../shared/jobs/job-snapshot.js';
import {listCheckpoints} from '../../../trainer/checkpoint-store.js';

const EXAMPLE_JOB = 'examples/jobs/fine-tune-h100.json';
// 12 steps a virtual hour, a checkpoint every 6: the preemption at 15
// steps loses the 3 since the checkpoint at step 12.
const PREEMPT_AFTER_STEPS = 15;

interface LogEntry {
  readonly message: string;
  readonly [field: string]: unknown;
}

async function readLog(runDirectory: string): Promise<LogEntry[]> {
  const text = await readFile(path.join(runDirectory, 'functions.log'),
    'utf8');
  return text.split('\n').filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);
}

describe('a SPOT job whose first segment is preempted mid-run, on the ' +
  'Pub/Sub emulator', function () {
  this.timeout(300_000);
  let directory: string;
  let job: {constraints: {deadline: string}};
  let result: DemoResult;
  let snapshot: JobSnapshot;
  let jobDir: string;
  let log: LogEntry[];

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'spot-preempted-'));
    job = {...JSON.parse(await readFile(EXAMPLE_JOB, 'utf8')),
      scheduling: {strategy: 'SPOT'}};
    const jobFile = path.join(directory, 'spot-job.json');
    await writeFile(jobFile, JSON.stringify(job));
    result = await runDemo({
      jobFile,
      nowMs: Date.parse(DEFAULT_DEMO_NOW),
      speed: 0,
      oracle: false,
      json: true,
      runDirectory: path.join(directory, randomUUID()),
      projectId: `spot-${randomUUID().slice(0, 8)}`,
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
      trainerFaults: {preemptSegments: [
        {segmentIndex: 0, afterSteps: PREEMPT_AFTER_STEPS}]},
    });
    assert.equal(result.status, 'completed', result.error);
    const blobs = new DirectoryBlobStore(
      path.join(result.runDirectory, 'blobs'));
    snapshot = (await readSnapshot(blobs, result.jobId!))!;
    jobDir = path.join(result.runDirectory, 'training', result.jobId!);
    log = await readLog(result.runDirectory);
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('plans with slack reserved for the expected preemption', () => {
    assert.match(result.plan!.why, /SPOT: \d+ min of deadline slack /);
  });

  it('records the first segment as ended by preemption, not as a ' +
    'failure of the job', () => {
    const [first] = snapshot.segments;
    assert.equal(first?.preempted, true);
    assert.equal(first?.endState, 'JOB_STATE_FAILED');
    const preempted = log.find((entry) =>
      entry.message === 'training job preempted' &&
      entry.jobName === first!.trainingJobName);
    assert.ok(preempted, 'the local backend reclaimed the machine');
    const decision = snapshot.decisions.find((d) => d.reason === 'preempted');
    assert.equal(decision?.decision, 'pause');
    assert.equal(snapshot.state, 'completed');
  });

  it('resumes from the latest complete checkpoint before the preemption',
    async () => {
      const [first, second] = snapshot.segments;
      assert.ok(second, 'a second segment was launched');
      const running = log.find((entry) =>
        entry.message === 'training job running' &&
        entry.jobName === second.trainingJobName);
      assert.equal(running?.resumedFromStep, first!.endStep);
      assert.equal(second.startStep, first!.endStep);
      const listings = await listCheckpoints(jobDir);
      const restored = listings.find((l) => l.step === first!.endStep);
      assert.equal(restored?.problem, null);
      const ended = log.find((entry) =>
        entry.message === 'training job ended' &&
        entry.jobName === first!.trainingJobName);
      assert.ok(Number(ended?.step) > first!.endStep!,
        'steps since the checkpoint were lost');
    });

  it('finishes the training by its deadline', async () => {
    assert.equal(snapshot.segments.at(-1)?.endState, 'JOB_STATE_SUCCEEDED');
    const listings = await listCheckpoints(jobDir);
    const last = listings.filter((l) => l.problem === null).at(-1);
    assert.equal(result.training?.steps, last?.step);
    const lastEnd = Math.max(...snapshot.segments.map((s) => s.endedAtMs!));
    assert.ok(lastEnd <= Date.parse(job.constraints.deadline),
      `ended ${new Date(lastEnd).toISOString()} after the deadline`);
  });

  it('writes ledger rows for both segments, the preempted one over all ' +
    'the time it ran', async () => {
    const ledger = new FileLedger({
      ledgerDirectory: path.join(result.runDirectory, 'ledger'),
    });
    const segments = await ledger.query(
      `SELECT * FROM segments WHERE job_id = '${result.jobId}' ` +
        'ORDER BY segment_index');
    const indexes = segments.map((row) => Number(row.segment_index));
    assert.ok(indexes.includes(0) && indexes.includes(1),
      `segment rows: ${JSON.stringify(indexes)}`);
    assert.equal(segments[0]!.outcome, 'JOB_STATE_FAILED');
    const footprints = await ledger.query(
      `SELECT * FROM footprints WHERE job_id = '${result.jobId}' ` +
        `AND footprint_kind = 'actual' ORDER BY segment_index`);
    const first = footprints.find((row) => Number(row.segment_index) === 0);
    assert.ok(first, 'the preempted segment has an actual footprint row');
    assert.ok(Number(first.carbon_footprint_total_location_based_kgco2e) > 0);
    const [segment] = snapshot.segments;
    const heldMs = segment!.endedAtMs! - segment!.launchedAtMs;
    const rowMs = Date.parse(String(segments[0]!.end_time)) -
      Date.parse(String(segments[0]!.start_time));
    assert.equal(rowMs, heldMs,
      'the row covers the whole time the machine was held');
  });
});
