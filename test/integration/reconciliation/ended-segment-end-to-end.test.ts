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
const JOB_ID = 'ended-unwatched';
const POLL_SECONDS = 1800;
// Scheduled polls every 6 h (00:00, 06:00, 12:00, 18:00): the demo job's
// last segment runs from 06:00 for under 3 h, so a poll after its end
// finds it ended, not running.
const INTENSITY_POLL_SECONDS = 6 * 3600;
const START_MS = Date.parse(DEFAULT_DEMO_NOW);
const MINUTE_MS = 60_000;


describe('a lifecycle execution lost while the last segment runs, which ' +
  'then finishes unwatched, on the Pub/Sub emulator, with scheduled polls',
function () {
  this.timeout(240_000);
  let directory: string;
  let world: LocalWorld;
  let logger: ReturnType<typeof recordingLogger>;
  let deadlineMs: number;
  let killedAtMs: number;
  let trainingEndedAtMs: number;
  let firstExecution: string;
  let event: AuditedMessage;
  let snapshot: JobSnapshot;
  let segmentRows: number[];
  let actualRows: number[];
  let counterfactualRows: number;

  before(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'ended-'));
    let clockNowMs = () => START_MS;
    logger = recordingLogger(() => clockNowMs());
    world = await startLocalWorld({
      startMs: START_MS,
      runDirectory: path.join(directory, randomUUID()),
      logger,
      projectId: `ended-${randomUUID().slice(0, 8)}`,
      intensityPollSeconds: INTENSITY_POLL_SECONDS,
      settings: {pollSeconds: POLL_SECONDS},
      ...(process.env.TEST_PUBSUB_EMULATOR_HOST
        ? {emulatorAddress: process.env.TEST_PUBSUB_EMULATOR_HOST}
        : {}),
    });
    clockNowMs = () => world.clock.nowMs();
    const {clock, lifecycle} = world;

    // The demo job, submitted as a user does.
    const job = JSON.parse(await readFile(JOB_FILE, 'utf8'));
    deadlineMs = Date.parse(job.constraints.deadline);
    await world.publisher.publishEncoded('job-requests',
      Buffer.from(JSON.stringify({...job, jobId: JOB_ID}))
        .toString('base64'));

    // Kill the execution half an hour into the last segment (or stop
    // early, and say why, should the job end first).
    const ended = () => lifecycle.outcomeOf(JOB_ID) !== undefined;
    let lastSegment: {name: string; launchedAtMs: number} | null = null;
    await clock.run(() => {
      const resumed = logger.entries.find((entry) =>
        entry.message === 'training resumed' &&
        entry.fields.jobId === JOB_ID);
      if (resumed) {
        lastSegment = {name: String(resumed.fields.trainingJobName),
          launchedAtMs: resumed.atMs};
      }
      return (lastSegment !== null &&
        clock.nowMs() >= lastSegment.launchedAtMs + 30 * MINUTE_MS) ||
        ended();
    });
    assert.ok(lastSegment, 'the job never resumed');
    const {name} = lastSegment as {name: string};
    const before = await readSnapshot(world.blobs, JOB_ID);
    assert.equal(before?.state, 'running');
    assert.equal(world.training.getJob(name).state,
      'JOB_STATE_RUNNING', 'the last segment is not running at the kill');
    firstExecution = lifecycle.executionsOf(JOB_ID)[0]!;
    assert.equal(lifecycle.kill(firstExecution, 'killed by the test'),
      true);
    killedAtMs = clock.nowMs();

    // Time runs on: the trainer finishes, a poll repairs the job, and
    // the repairing execution records the footprint (or, without the
    // repair, a day passes the deadline and the test says so).
    await clock.run(() => (lifecycle.executionsOf(JOB_ID).length > 1 &&
      lifecycle.outcomeOf(JOB_ID) !== undefined) ||
      clock.nowMs() >= deadlineMs + 24 * 3600_000);
    assert.equal(lifecycle.executionsOf(JOB_ID).length, 2,
      'no repair before a day past the deadline');
    trainingEndedAtMs = world.training.getJob(name).endTimeMs!;

    // Two more scheduled polls, which must leave the job alone.
    const repairedAtMs = clock.nowMs();
    await clock.run(() =>
      clock.nowMs() >= repairedAtMs + 2 * INTENSITY_POLL_SECONDS * 1000);
    await waitForAuditedMessage(world.pubsub, 'job-events', (message) => {
      const body = message.body as {jobId?: string; event?: string};
      if (body.jobId === JOB_ID && body.event === 'restarted-record') {
        event = message;
        return true;
      }
      return false;
    });

    // What the job left in the snapshot and the ledger.
    snapshot = (await readSnapshot(world.blobs, JOB_ID))!;
    const indexes = async (table: string, where = '') =>
      (await world.ledger.query(`SELECT segment_index FROM ${table} ` +
        `WHERE job_id = '${JOB_ID}'${where}`))
        .map((row) => Number(row.segment_index)).sort((a, b) => a - b);
    segmentRows = await indexes('segments');
    actualRows = await indexes('footprints',
      ` AND footprint_kind = 'actual'`);
    counterfactualRows = (await world.ledger.query(
      `SELECT COUNT(*) AS n FROM footprints WHERE job_id = '${JOB_ID}' ` +
      `AND footprint_kind = 'counterfactual'`)).map((row) =>
      Number(row.n))[0]!;
  });

  after(async () => {
    await world?.close();
    await rm(directory, {recursive: true, force: true});
  });

  const repairsOf = () => logger.entries.filter((entry) =>
    entry.message === 'reconciliation action done' &&
    entry.fields.jobId === JOB_ID);

  it('stops the killed execution while the segment runs, which then ' +
    'finishes unwatched', () => {
    assert.deepEqual(world.lifecycle.outcomeOfExecution(firstExecution),
      {status: 'killed', reason: 'killed by the test'});
    assert.ok(trainingEndedAtMs > killedAtMs, 'ended before the kill');
  });

  it('repairs it once, after the end, with a footprint execution, and ' +
    'says so', () => {
    const executions = world.lifecycle.executionsOf(JOB_ID);
    assert.equal(executions.length, 2, JSON.stringify(executions));
    assert.match(executions[1]!,
      new RegExp(`^local-executions/${JOB_ID}/restart-record-`));
    const done = repairsOf();
    assert.deepEqual(done.map((entry) => entry.fields.kind),
      ['restart-record']);
    assert.ok(done[0]!.atMs >= trainingEndedAtMs + 10 * MINUTE_MS,
      'repaired inside the grace period');
    const body = event.body as Record<string, unknown>;
    assert.equal(body.executionName, executions[1]);
    assert.equal(body.endState, 'JOB_STATE_SUCCEEDED');
    assert.match(String(body.reason), /its work is complete/);
    assert.equal(world.lifecycle.outcomeOf(JOB_ID)?.status, 'succeeded',
      JSON.stringify(world.lifecycle.outcomeOf(JOB_ID)));
  });

  it('completes the job by its deadline, the end on the snapshot', () => {
    assert.equal(snapshot.state, 'completed');
    const last = snapshot.segments.at(-1)!;
    assert.equal(last.endState, 'JOB_STATE_SUCCEEDED');
    assert.equal(last.endedAtMs, trainingEndedAtMs);
    assert.ok(trainingEndedAtMs <= deadlineMs);
    assert.ok(snapshot.updatedAtMs <= deadlineMs, 'recorded after the ' +
      `deadline, at ${new Date(snapshot.updatedAtMs).toISOString()}`);
  });

  it('records its footprint once: one row per segment and one ' +
    'counterfactual', () => {
    const indexes = snapshot.segments.map((segment) => segment.index);
    assert.deepEqual(indexes, [0, 1]);
    assert.deepEqual(segmentRows, indexes);
    assert.deepEqual(actualRows, indexes);
    assert.equal(counterfactualRows, 1);
  });
});
