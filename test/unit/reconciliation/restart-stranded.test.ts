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
  type JobSnapshot,
} from '../../../shared/jobs/job-snapshot.js';
import type {
  LifecycleArguments,
  LifecycleStarter,
} from '../../../shared/ports/lifecycle-starter.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {TrainingBackend} from
  '../../../shared/ports/training-backend.js';
import {reconcileJobs} from
  '../../../shared/reconciliation/reconcile-jobs.js';

const NOW_MS = Date.parse('2022-06-14T12:00:00Z');
const HOUR_MS = 3_600_000;

// A lifecycle stand-in whose listing never shows what it started, as an
// eventually consistent listing may not yet.
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

// A training stand-in with no labelled job.
const trainingStandIn = {
  stepsPerHour: 12,
  restartOverheadMs: 5 * 60_000,
  listLabelled: async () => [],
} as unknown as TrainingBackend;

describe('carrying out the repair of stranded jobs (stand-in ports)', () => {
  let directory: string;
  let blobs: DirectoryBlobStore;
  let nowMs: number;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'stranded-'));
    blobs = new DirectoryBlobStore(directory);
    nowMs = NOW_MS;
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  async function store(
    snapshot: Partial<JobSnapshot>,
    deadlineInHours = 48,
  ): Promise<void> {
    const jobId = snapshot.jobId ?? 'job-a';
    await blobs.write(jobKeys.request(jobId), JSON.stringify({
      jobId, durationHours: 8,
      constraints: {deadline: new Date(NOW_MS + deadlineInHours * HOUR_MS)
        .toISOString()},
    }));
    await writeSnapshot(blobs, {
      jobId, state: 'planned', submittedAtMs: NOW_MS - 6 * HOUR_MS,
      updatedAtMs: NOW_MS - HOUR_MS, lastSequence: 9, segments: [],
      decisions: [], ...snapshot,
    });
  }

  function reconcileOnce(lifecycle: LifecycleStarter) {
    const published: {topic: string; body: Record<string, unknown>}[] = [];
    const done = reconcileJobs({
      blobs,
      clock: {nowMs: () => nowMs, sleepUntil: async () => {}},
      logger: createMemoryLogger(),
      training: trainingStandIn,
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

  it('restarts a waiting job once, after its sequence, and says so',
    async () => {
      await store({});
      const {starter, started} = lifecycleStandIn();
      const {summary, published} = await reconcileOnce(starter);
      assert.ok(summary.available);
      assert.deepEqual(summary.failures, []);
      assert.equal(started.length, 1);
      assert.deepEqual(started[0]!.restart,
        {phase: 'waiting', afterSequence: 10});
      assert.equal(started[0]!.jobId, 'job-a');
      assert.equal(started[0]!.adopt, undefined);
      assert.equal(started[0]!.maxMonitorPolls, 48 * 2 + 10);
      assert.deepEqual(published.map(({topic, body}) =>
        [topic, body.event, body.executionName]),
      [['job-events', 'restarted-waiting', 'executions/1']]);

      // The restart is noted, so the next poll, which still lists no
      // execution, starts nothing.
      const noted = (await readSnapshot(blobs, 'job-a'))!;
      assert.equal(noted.decisions.at(-1)?.decision, 'restart-waiting');
      assert.equal(noted.updatedAtMs, NOW_MS);
      nowMs += 5 * 60_000;
      const second = await reconcileOnce(starter);
      assert.equal(started.length, 1);
      assert.deepEqual(second.published, []);
    });

  it('resumes a paused job at the time its pause gave', async () => {
    const resumeAtMs = NOW_MS + 2 * HOUR_MS;
    await store({
      state: 'paused',
      segments: [{index: 0, regionId: 'us-east4',
        trainingJobName: 'local/job-a/segment-0',
        launchedAtMs: NOW_MS - 4 * HOUR_MS, endedAtMs: NOW_MS - HOUR_MS,
        endState: 'JOB_STATE_CANCELLED', endStep: 30}],
      decisions: [{atMs: NOW_MS - HOUR_MS, decision: 'pause',
        reason: 'saving', details: {numbers: {resumeAtMs}}}],
    });
    const {starter, started} = lifecycleStandIn();
    const {published} = await reconcileOnce(starter);
    assert.deepEqual(started.map((argument) => argument.restart), [{
      phase: 'paused', afterSequence: 10,
      trainingJobName: 'local/job-a/segment-0', segmentIndex: 0,
      checkpointStep: 30, pausedAt: new Date(NOW_MS - HOUR_MS).toISOString(),
      resumeAt: new Date(resumeAtMs).toISOString(),
    }]);
    assert.equal(published[0]?.body.event, 'restarted-paused');
    assert.equal(published[0]?.body.trainingJobName,
      'local/job-a/segment-0');
  });

  it('fails a job that can no longer meet its deadline, with the reason',
    async () => {
      await store({}, 4);
      const {starter, started} = lifecycleStandIn();
      const {published} = await reconcileOnce(starter);
      assert.equal(started.length, 0);
      const snapshot = (await readSnapshot(blobs, 'job-a'))!;
      assert.equal(snapshot.state, 'failed');
      assert.match(snapshot.failureReason!, /cannot finish by the deadline/);
      assert.equal(snapshot.decisions.at(-1)?.decision, 'fail-stranded');
      assert.deepEqual(published.map(({body}) => [body.event,
        body.stateBefore]), [['stranded-failed', 'planned']]);
      assert.equal(published[0]?.body.reason, snapshot.failureReason);
    });

  it('fails a job whose restarted execution was lost without progress',
    async () => {
      await store({});
      const {starter, started} = lifecycleStandIn();
      await reconcileOnce(starter);
      nowMs += HOUR_MS;
      const {published} = await reconcileOnce(starter);
      assert.equal(started.length, 1);
      assert.equal((await readSnapshot(blobs, 'job-a'))!.state, 'failed');
      assert.match(String(published[0]?.body.reason),
        /gone without any progress/);
    });

  it('uses an extended deadline when it judges the deadline', async () => {
    await store({}, 4);
    await blobs.write('jobs/job-a/commands/c-1.json', JSON.stringify({
      command: {commandId: 'c-1', command: 'extend',
        deadline: new Date(NOW_MS + 24 * HOUR_MS).toISOString()},
      status: 'applied', receivedAtMs: NOW_MS - HOUR_MS,
    }));
    const {starter, started} = lifecycleStandIn();
    await reconcileOnce(starter);
    assert.equal(started[0]?.restart?.phase, 'waiting');
  });
});
