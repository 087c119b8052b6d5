import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {waitForAuditedMessage, type AuditedMessage} from
  '../../../adapters/local/audit-reader.js';
import {startLocalWorld, type LocalWorld} from
  '../../../adapters/local/local-world.js';
import {DEFAULT_DEMO_NOW} from '../../../cli/demo-command.js';
import {readSnapshot, type JobSnapshot} from
  '../../../shared/jobs/job-snapshot.js';
import {recordingLogger} from '../../support/recording-logger.js';

const JOB_FILE = 'examples/jobs/fine-tune-h100.json';
const POLL_SECONDS = 1800;


describe('a lifecycle execution killed mid-run, on the Pub/Sub emulator, ' +
  'with scheduled polls', function () {
  this.timeout(120_000);
  let directory: string;
  let world: LocalWorld;
  let logger: ReturnType<typeof recordingLogger>;
  let jobId: string;
  let firstExecution: string;
  let segmentName: string;
  let killedAtMs: number;
  let runningAtKill: {state: string; processId: number | null};
  let adopted: AuditedMessage;
  let snapshot: JobSnapshot;
  let actualSegments: number[];

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'adoption-'));
    let clockNowMs = () => Date.parse(DEFAULT_DEMO_NOW);
    logger = recordingLogger(() => clockNowMs());
    world = await startLocalWorld({
      startMs: Date.parse(DEFAULT_DEMO_NOW),
      runDirectory: path.join(directory, randomUUID()),
      logger,
      projectId: `adoption-${randomUUID().slice(0, 8)}`,
      intensityPollSeconds: POLL_SECONDS,
      settings: {pollSeconds: POLL_SECONDS},
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
    });
    clockNowMs = () => world.clock.nowMs();
    const {clock, lifecycle} = world;

    // Submit the job as a user does, and run until segment 0 trains.
    const text = await readFile(JOB_FILE, 'utf8');
    await world.publisher.publishEncoded('job-requests',
      Buffer.from(text).toString('base64'));
    const segmentRunning = () => logger.entries.some((entry) =>
      entry.message === 'training job running' &&
      String(entry.fields.jobName).endsWith('/segment-0'));
    await clock.run(segmentRunning);
    jobId = lifecycle.startedJobIds()[0]!;
    firstExecution = lifecycle.executionsOf(jobId)[0]!;
    segmentName = `local/${jobId}/segment-0`;

    // Kill the execution; its trainer goes on, unwatched.
    killedAtMs = clock.nowMs();
    assert.equal(lifecycle.kill(firstExecution, 'killed by the test'), true);
    const job = world.training.getJob(segmentName);
    runningAtKill = {state: job.state, processId: job.processId};

    // Time runs on: the scheduled polls adopt, the adoption finishes.
    await clock.run(() => lifecycle.executionsOf(jobId).length > 1 &&
      lifecycle.outcomeOf(jobId) !== undefined);
    adopted = await waitForAuditedMessage(world.pubsub, 'job-events',
      (message) => (message.body as {event?: string}).event === 'adopted');
    snapshot = (await readSnapshot(world.blobs, jobId))!;
    const rows = await world.ledger.query(
      'SELECT segment_index FROM footprints ' +
      `WHERE job_id = '${jobId}' AND footprint_kind = 'actual'`);
    actualSegments = rows.map((row) => Number(row.segment_index))
      .sort((a, b) => a - b);
  });

  after(async () => {
    await world?.close();
    await rm(directory, {recursive: true, force: true});
  });

  it('stops the killed execution and leaves its trainer running', () => {
    assert.deepEqual(world.lifecycle.outcomeOfExecution(firstExecution),
      {status: 'killed', reason: 'killed by the test'});
    assert.equal(runningAtKill.state, 'JOB_STATE_RUNNING');
  });

  it('announces the adoption of the orphaned segment on job-events',
    () => {
      const body = adopted.body as Record<string, unknown>;
      assert.equal(body.jobId, jobId);
      assert.equal(body.trainingJobName, segmentName);
      assert.ok(Number(body.atMs) > killedAtMs);
      const [, adoption] = world.lifecycle.executionsOf(jobId);
      assert.equal(body.executionName, adoption);
    });

  it('adopts once: one adopting execution, no second copy', () => {
    const executions = world.lifecycle.executionsOf(jobId);
    assert.equal(executions.length, 2, JSON.stringify(executions));
    assert.match(executions[1]!, /\/adopt-0-\d+$/);
    const adoptions = logger.entries.filter((entry) =>
      entry.message === 'reconciliation action done' &&
      entry.fields.kind === 'adopt');
    assert.equal(adoptions.length, 1);
  });

  it('launches segment 0 once: the adopted trainer is the one that ran',
    () => {
      const created = logger.entries.filter((entry) =>
        entry.message === 'training job created' &&
        entry.fields.jobName === segmentName);
      assert.equal(created.length, 1);
      assert.equal(created[0]!.fields.processId, runningAtKill.processId);
      assert.equal(snapshot.segments[0]?.trainingJobName, segmentName);
    });

  it('completes the job through the adopting execution by its deadline',
    async () => {
      const outcome = world.lifecycle.outcomeOf(jobId);
      assert.equal(outcome?.status, 'succeeded', JSON.stringify(outcome));
      assert.equal(snapshot.state, 'completed');
      assert.equal(snapshot.segments.at(-1)?.endState,
        'JOB_STATE_SUCCEEDED');
      const job = JSON.parse(await readFile(JOB_FILE, 'utf8'));
      const lastEndMs = Math.max(
        ...snapshot.segments.map((segment) => segment.endedAtMs!));
      assert.ok(lastEndMs <= Date.parse(job.constraints.deadline),
        `ended ${new Date(lastEndMs).toISOString()}, after the deadline`);
    });

  it('records a ledger row for every segment', () => {
    assert.deepEqual(actualSegments,
      snapshot.segments.map((segment) => segment.index));
  });
});
