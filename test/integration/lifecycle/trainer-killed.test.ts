import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {runDemo, type DemoResult} from '../../../cli/demo.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {readSnapshot, type JobSnapshot} from
  '../../../shared/jobs/job-snapshot.js';
import {stepOfManifestName} from '../../../trainer/checkpoint-manifest.js';
import {listCheckpoints} from '../../../trainer/checkpoint-store.js';

const DEFAULT_JOB = 'examples/jobs/fine-tune-h100.json';
const DATA_FILE = /^checkpoint-(\d{9})\..+\.bin$/;

interface LogEntry {
  readonly message: string;
  readonly [field: string]: unknown;
}

// Steps that have data files in the directory but no manifest.
async function tornSteps(jobDir: string): Promise<number[]> {
  const names = await readdir(jobDir);
  const manifests = new Set(names.map(stepOfManifestName)
    .filter((step): step is number => step !== null));
  const withData = new Set(names.flatMap((name) => {
    const match = DATA_FILE.exec(name);
    return match ? [Number(match[1])] : [];
  }));
  return [...withData].filter((step) => !manifests.has(step))
    .sort((a, b) => a - b);
}

async function readLog(runDirectory: string): Promise<LogEntry[]> {
  const text = await readFile(path.join(runDirectory, 'functions.log'),
    'utf8');
  return text.split('\n').filter(Boolean)
    .map((line) => JSON.parse(line) as LogEntry);
}

describe('a trainer killed during its pause checkpoint, on the Pub/Sub ' +
  'emulator', function () {
  this.timeout(300_000);
  let directory: string;
  let result: DemoResult;
  let snapshot: JobSnapshot;
  let jobDir: string;
  let log: LogEntry[];

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'trainer-killed-'));
    // Segment 0's trainer dies after its pause checkpoint's data and
    // before its manifest.
    result = await runDemo({
      jobFile: DEFAULT_JOB,
      nowMs: Date.parse(DEFAULT_DEMO_NOW),
      speed: 0,
      oracle: false,
      json: true,
      runDirectory: path.join(directory, randomUUID()),
      projectId: `killed-${randomUUID().slice(0, 8)}`,
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
      trainerFaults: {killDuringPauseCheckpointOfSegments: [0]},
    });
    assert.equal(result.status, 'completed', result.error);
    const blobs = new DirectoryBlobStore(
      path.join(result.runDirectory, 'blobs'));
    snapshot = (await readSnapshot(blobs, result.jobId!))!;
    jobDir = path.join(result.runDirectory, 'training', result.jobId!);
    log = await readLog(result.runDirectory);
  });
  after(() => rm(directory, {recursive: true, force: true}));

  it('leaves the pause checkpoint torn: data without a manifest', async () => {
    const [first] = snapshot.segments;
    assert.equal(first?.endState, 'JOB_STATE_FAILED',
      'the killed segment ended failed, not cancelled');
    const torn = await tornSteps(jobDir);
    assert.equal(torn.length, 1, `torn steps: ${JSON.stringify(torn)}`);
    const ended = log.find((entry) =>
      entry.message === 'training job ended' &&
      entry.jobName === first.trainingJobName);
    assert.equal(ended?.step, torn[0],
      'the torn step is where the killed segment stopped');
  });

  it('resumes from the previous complete checkpoint, below the torn one',
    async () => {
      const [first, second] = snapshot.segments;
      const [torn] = await tornSteps(jobDir);
      assert.ok(second, 'a second segment was launched');
      assert.ok(first!.endStep !== undefined && torn !== undefined);
      assert.ok(first!.endStep < torn,
        `resume step ${first!.endStep} is not below the torn ${torn}`);
      assert.equal(second.startStep, first!.endStep);
      assert.equal(result.pauseDetails[0]?.checkpointStep, first!.endStep);

      // The trainer itself restored that step, a complete checkpoint.
      const running = log.find((entry) =>
        entry.message === 'training job running' &&
        entry.jobName === second.trainingJobName);
      assert.equal(running?.resumedFromStep, first!.endStep);
      const listings = await listCheckpoints(jobDir);
      const restored = listings.find((l) => l.step === first!.endStep);
      assert.equal(restored?.problem, null,
        'the checkpoint resumed from is still complete');
    });

  it('never starts a segment from the torn checkpoint', async () => {
    const [torn] = await tornSteps(jobDir);
    const starts = log.filter((entry) =>
      entry.message === 'training job running')
      .map((entry) => entry.resumedFromStep);
    assert.equal(starts.length, snapshot.segments.length);
    assert.ok(!starts.includes(torn),
      `a segment resumed from torn step ${torn}: ${JSON.stringify(starts)}`);
    for (const segment of snapshot.segments) {
      assert.notEqual(segment.startStep, torn);
    }
  });

  it('completes the training and meets the deadline', async () => {
    const job = JSON.parse(await readFile(DEFAULT_JOB, 'utf8'));
    const listings = await listCheckpoints(jobDir);
    const last = listings.filter((l) => l.problem === null).at(-1);
    assert.equal(result.training?.steps, last?.step);
    assert.ok(result.training!.heldOutAccuracy! > 0.25,
      'above chance (4 classes)');
    assert.equal(snapshot.segments.at(-1)?.endState, 'JOB_STATE_SUCCEEDED');
    const lastEnd = Math.max(...snapshot.segments.map((s) => s.endedAtMs!));
    assert.ok(lastEnd <= Date.parse(job.constraints.deadline),
      `ended ${new Date(lastEnd).toISOString()} after the deadline`);
  });
});
