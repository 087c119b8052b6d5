import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {
  jobKeys,
  readSnapshot,
  writeSnapshot,
} from '../../../shared/jobs/job-snapshot.js';
import type {
  LifecycleArguments,
  LifecycleStarter,
} from '../../../shared/ports/lifecycle-starter.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {
  TrainingBackend,
  TrainingJobState,
  TrainingSegmentStatus,
} from '../../../shared/ports/training-backend.js';
import {reconcileJobs} from
  '../../../shared/reconciliation/reconcile-jobs.js';

const NOW_MS = Date.parse('2022-06-14T12:00:00Z');
const HOUR_MS = 3_600_000;
const SEGMENT = 'local/job-a/segment-1';

// A lifecycle stand-in whose listing never shows what it started.
function lifecycleStandIn() {
  const started: LifecycleArguments[] = [];
  const starter: LifecycleStarter = {
    start: async (argument) => {
      started.push(argument);
      return {executionName: `executions/${started.length}`};
    },
    listLive: async () => [],
  };
  return {starter, started};
}

// A training stand-in listing segment 1, ended as `status` says.
function trainingStandIn(status: Partial<TrainingSegmentStatus> & {
  state: TrainingJobState;
}): TrainingBackend {
  return {
    stepsPerHour: 100,
    restartOverheadMs: 5 * 60_000,
    listLabelled: async () => [{jobId: 'job-a', trainingJobName: SEGMENT,
      segmentIndex: 1, state: status.state,
      createdAtMs: NOW_MS - 6 * HOUR_MS}],
    describe: async (name: string) => ({name, step: 1000,
      lastCheckpointStep: 1000, loss: null, heldOutAccuracy: null,
      startTimeMs: NOW_MS - 5 * HOUR_MS, endTimeMs: NOW_MS - HOUR_MS,
      energyRelevantMs: 4 * HOUR_MS, ...status}),
  } as unknown as TrainingBackend;
}

describe('carrying out the repair of a segment that ended unwatched ' +
  '(stand-in ports)', () => {
  let directory: string;
  let blobs: DirectoryBlobStore;
  let nowMs: number;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'ended-'));
    blobs = new DirectoryBlobStore(directory);
    nowMs = NOW_MS;
    await blobs.write(jobKeys.request('job-a'), JSON.stringify({
      jobId: 'job-a', durationHours: 10,
      constraints: {deadline: new Date(NOW_MS + 24 * HOUR_MS)
        .toISOString()},
    }));
    await blobs.write('jobs/job-a/plans/plan-000001.json',
      JSON.stringify({totalSteps: 1000}));
    await writeSnapshot(blobs, {
      jobId: 'job-a', state: 'running', submittedAtMs: NOW_MS - 8 * HOUR_MS,
      updatedAtMs: NOW_MS - 90 * 60_000, lastSequence: 9, decisions: [],
      planPointer: 'jobs/job-a/plans/plan-000001.json',
      segments: [{index: 1, regionId: 'us-east4', trainingJobName: SEGMENT,
        launchedAtMs: NOW_MS - 6 * HOUR_MS, startStep: 400}],
    });
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  function reconcileOnce(
    lifecycle: LifecycleStarter,
    training: TrainingBackend,
  ) {
    const published: {topic: string; body: Record<string, unknown>}[] = [];
    const done = reconcileJobs({
      blobs,
      clock: {nowMs: () => nowMs, sleepUntil: async () => {}},
      logger: createMemoryLogger(),
      training,
      lifecycle,
      publisher: {publish: async (topic, body) => {
        published.push({topic, body: body as Record<string, unknown>});
        return String(published.length);
      }},
      projectId: 'carbon-dev',
      pollSeconds: 1800,
    });
    return done.then((summary) => ({summary, published}));
  }

  it('records the end and starts one footprint execution, once',
    async () => {
      const {starter, started} = lifecycleStandIn();
      const training = trainingStandIn({state: 'JOB_STATE_SUCCEEDED'});
      const {summary, published} = await reconcileOnce(starter, training);
      assert.ok(summary.available);
      assert.deepEqual(summary.failures, []);
      assert.deepEqual(started.map((argument) => argument.restart),
        [{phase: 'record', afterSequence: 10}]);
      assert.deepEqual(published.map(({topic, body}) => [topic, body.event,
        body.executionName, body.trainingJobName]),
      [['job-events', 'restarted-record', 'executions/1', SEGMENT]]);
      const snapshot = (await readSnapshot(blobs, 'job-a'))!;
      assert.equal(snapshot.state, 'running');
      assert.deepEqual(snapshot.segments[0], {index: 1,
        regionId: 'us-east4', trainingJobName: SEGMENT,
        launchedAtMs: NOW_MS - 6 * HOUR_MS, startStep: 400,
        endedAtMs: NOW_MS - HOUR_MS, endState: 'JOB_STATE_SUCCEEDED',
        endStep: 1000});
      assert.equal(snapshot.decisions.at(-1)?.decision, 'restart-record');

      // The next poll, inside the grace period, starts nothing.
      nowMs += 5 * 60_000;
      const second = await reconcileOnce(starter, training);
      assert.equal(started.length, 1);
      assert.deepEqual(second.published, []);
    });

  it('resumes a failed segment from its checkpoint and marks the job ' +
    'paused', async () => {
    const {starter, started} = lifecycleStandIn();
    const {published} = await reconcileOnce(starter, trainingStandIn({
      state: 'JOB_STATE_FAILED', step: 640, lastCheckpointStep: 600}));
    assert.deepEqual(started.map((argument) => argument.restart), [{
      phase: 'paused', afterSequence: 10, trainingJobName: SEGMENT,
      segmentIndex: 1, checkpointStep: 600,
      pausedAt: new Date(NOW_MS - HOUR_MS).toISOString(), resumeAt: null,
    }]);
    assert.deepEqual(published.map(({body}) =>
      [body.event, body.checkpointStep]), [['restarted-ended', 600]]);
    const snapshot = (await readSnapshot(blobs, 'job-a'))!;
    assert.equal(snapshot.state, 'paused');
    assert.equal(snapshot.segments[0]?.endStep, 600);
    assert.equal(snapshot.segments[0]?.endState, 'JOB_STATE_FAILED');
  });

  it('fails a job whose segment left no checkpoint, with the reason',
    async () => {
      const {starter, started} = lifecycleStandIn();
      const {published} = await reconcileOnce(starter, trainingStandIn({
        state: 'JOB_STATE_CANCELLED', step: 80, lastCheckpointStep: null}));
      assert.equal(started.length, 0);
      const snapshot = (await readSnapshot(blobs, 'job-a'))!;
      assert.equal(snapshot.state, 'failed');
      assert.match(snapshot.failureReason!, /no checkpoint to resume from/);
      assert.deepEqual(published.map(({body}) => [body.event, body.reason]),
        [['ended-failed', snapshot.failureReason]]);
    });

  it('leaves the job for the next poll when the segment cannot be ' +
    'described', async () => {
    const {starter, started} = lifecycleStandIn();
    const training = {...trainingStandIn({state: 'JOB_STATE_SUCCEEDED'}),
      describe: async () => {
        throw new Error('backend unavailable');
      }} as unknown as TrainingBackend;
    const {published} = await reconcileOnce(starter, training);
    assert.equal(started.length, 0);
    assert.deepEqual(published, []);
    assert.equal((await readSnapshot(blobs, 'job-a'))!.state, 'running');
  });
});
