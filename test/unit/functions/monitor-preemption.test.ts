import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';

import type {CloudEvent} from '@google-cloud/functions-framework';

import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {DirectoryBlobStore} from
  '../../../adapters/local/directory-blob-store.js';
import {VirtualClock} from '../../../adapters/local/virtual-clock.js';
import type {SchedulerDependencies} from
  '../../../functions/dependencies.js';
import {createMonitorIntensity} from
  '../../../functions/monitor-intensity/handler.js';
import {decideAfterPreemption} from
  '../../../functions/monitor-intensity/preemption.js';
import {
  jobKeys,
  readSnapshot,
  type JobSnapshot,
  type SegmentRecord,
} from '../../../shared/jobs/job-snapshot.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';
import type {TrainingSegmentStatus} from
  '../../../shared/ports/training-backend.js';
import {jobRequestSchema} from '../../../shared/schemas/job-request.js';

const HOUR_MS = 3_600_000;
const T0 = Date.parse('2022-06-14T06:00:00Z');
const JOB_ID = 'job-spot';
const PLAN = jobKeys.plan(JOB_ID, 2);
const STEPS_PER_HOUR = 12;
const RESTART_MS = 5 * 60_000;

describe('monitor-intensity on a preempted SPOT segment (stand-in ' +
  'training backend)', () => {
  let root: string;
  let blobs: DirectoryBlobStore;
  let replies: {decision?: string; reason?: string; resumeAt?: string}[];

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'monitor-preemption-'));
    blobs = new DirectoryBlobStore(root);
    replies = [];
  });

  afterEach(async () => {
    await rm(root, {recursive: true, force: true});
  });

  // Stores the job, its plan and snapshot; the last segment is the one
  // the monitor reads.
  async function store(options: {
    strategy: 'SPOT' | 'STANDARD';
    deadline?: string;
    earlierSegments?: SegmentRecord[];
  }): Promise<string> {
    const example = JSON.parse(await readFile(
      'examples/jobs/fine-tune-h100.json', 'utf8'));
    const job = jobRequestSchema.parse({
      ...example, jobId: JOB_ID, durationHours: 8,
      constraints: {...example.constraints,
        deadline: options.deadline ?? '2022-06-16T00:00:00Z'},
      scheduling: {strategy: options.strategy},
    });
    await blobs.write(jobKeys.request(JOB_ID),
      JSON.stringify({...job, jobId: JOB_ID}));
    await blobs.write(PLAN, JSON.stringify({
      jobId: JOB_ID, totalSteps: 8 * STEPS_PER_HOUR,
      checkpointEverySteps: 6, itPowerKilowatts: 1,
      segments: [{regionId: 'us-east4', startMs: T0 - HOUR_MS,
        endMs: T0 + 7 * HOUR_MS}],
    }));
    const earlier = options.earlierSegments ?? [];
    const name = `local/${JOB_ID}/segment-${earlier.length}`;
    const snapshot: JobSnapshot = {
      jobId: JOB_ID, state: 'running', submittedAtMs: T0 - 2 * HOUR_MS,
      updatedAtMs: T0 - HOUR_MS, lastSequence: 5, planPointer: PLAN,
      segments: [...earlier, {index: earlier.length, regionId: 'us-east4',
        trainingJobName: name, launchedAtMs: T0 - HOUR_MS}],
      decisions: [],
    };
    await blobs.write(jobKeys.snapshot(JOB_ID), JSON.stringify(snapshot));
    return name;
  }

  // One monitor request against a stand-in backend that reports `status`.
  async function monitor(
    status: TrainingSegmentStatus,
    settings: Partial<SchedulerDependencies['settings']> = {},
  ) {
    const dependencies = {
      clock: new VirtualClock(T0),
      blobs,
      publisher: {async publish() { return '1'; }},
      callbacks: {async send(_url: string, body: {result: never}) {
        replies.push(body.result);
      }},
      logger: createMemoryLogger(),
      ledger: {async append() {}},
      training: {
        stepsPerHour: STEPS_PER_HOUR,
        restartOverheadMs: RESTART_MS,
        async describe() { return status; },
      },
      settings: {pollSeconds: 1800, checkpointOverheadMs: 120_000,
        gpuUtilisationFraction: 0.9, ...settings},
    } as unknown as SchedulerDependencies;
    const envelope = {
      schemaVersion: 2, jobId: JOB_ID, step: 'monitor', sequence: 6,
      requestId: `${JOB_ID}:monitor:6`, sentAt: new Date(T0).toISOString(),
      attempt: 1, callbackUrl: 'http://stand-in/callback',
      payload: {trainingJobName: status.name, segmentIndex: 0},
    };
    await createMonitorIntensity(dependencies)({
      specversion: '1.0', id: 'event-6', source: 'test',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      data: {message: {messageId: 'message-6',
        data: Buffer.from(JSON.stringify(envelope)).toString('base64')}},
    } as CloudEvent<MessagePublishedData>);
    assert.equal(replies.length, 1, 'one reply');
    return {reply: replies[0]!,
      snapshot: (await readSnapshot(blobs, JOB_ID))!};
  }

  function preemptedStatus(name: string, preempted = true):
    TrainingSegmentStatus {
    return {name, state: 'JOB_STATE_FAILED', step: 15,
      lastCheckpointStep: 12, loss: 0.9, heldOutAccuracy: null,
      startTimeMs: T0 - HOUR_MS + RESTART_MS, endTimeMs: T0,
      energyRelevantMs: HOUR_MS, preempted};
  }

  it('answers pause with resumeAt now, not failed, for a preempted SPOT ' +
    'segment', async () => {
    const name = await store({strategy: 'SPOT'});
    const {reply, snapshot} = await monitor(preemptedStatus(name));

    assert.equal(reply.decision, 'pause');
    assert.equal(reply.reason, 'preempted');
    assert.equal(reply.resumeAt, new Date(T0).toISOString());
    assert.notEqual(snapshot.state, 'failed');
    assert.equal(snapshot.failureReason, undefined);
  });

  it('records the segment as ended by preemption at its latest complete ' +
    'checkpoint', async () => {
    const name = await store({strategy: 'SPOT'});
    const {snapshot} = await monitor(preemptedStatus(name));

    const segment = snapshot.segments.at(-1)!;
    assert.equal(segment.preempted, true);
    assert.equal(segment.endState, 'JOB_STATE_FAILED');
    assert.equal(segment.endStep, 12, 'the resume starts from step 12');
    assert.equal(segment.endedAtMs, T0);
    const decision = snapshot.decisions.at(-1)!;
    assert.equal(decision.reason, 'preempted');
    assert.equal(decision.details['lostSteps'], 3);
  });

  it('ends the job failed with the reason once preemptions exceed the ' +
    'limit', async () => {
    const name = await store({strategy: 'SPOT', earlierSegments: [{
      index: 0, regionId: 'us-east4', launchedAtMs: T0 - 3 * HOUR_MS,
      trainingJobName: `local/${JOB_ID}/segment-0`,
      endState: 'JOB_STATE_FAILED', endStep: 6, preempted: true}]});
    const {reply, snapshot} = await monitor(preemptedStatus(name),
      {maxSpotPreemptions: 1});

    assert.equal(reply.decision, 'failed');
    assert.match(reply.reason!, /^max-preemptions-exceeded: preempted 2 /);
    assert.equal(snapshot.state, 'failed');
    assert.match(snapshot.failureReason!, /more than the 1 a SPOT job/);
  });

  it('fails a FAILED segment that was not preempted, as before', async () => {
    const name = await store({strategy: 'SPOT'});
    const {reply, snapshot} = await monitor(preemptedStatus(name, false));

    assert.equal(reply.decision, 'failed');
    assert.equal(snapshot.state, 'failed');
    assert.equal(snapshot.segments.at(-1)!.preempted, undefined);
  });

  it('fails a STANDARD job even when its segment is reported preempted',
    async () => {
      const name = await store({strategy: 'STANDARD'});
      const {reply} = await monitor(preemptedStatus(name));
      assert.equal(reply.decision, 'failed');
    });
});

describe('the decision after a preemption', () => {
  const facts = {
    nowMs: T0, deadlineMs: T0 + 10 * HOUR_MS, preemptions: 1,
    maxPreemptions: 5, remainingWorkMs: 7 * HOUR_MS,
    restartOverheadMs: RESTART_MS,
  };

  it('resumes at once while the resumed work ends by the deadline', () => {
    const decision = decideAfterPreemption(facts);
    assert.equal(decision.action, 'resume');
    assert.ok(decision.action === 'resume');
    assert.equal(decision.resumeAtMs, T0);
    assert.equal(decision.finishByMs, T0 + RESTART_MS + 7 * HOUR_MS);
  });

  it('resumes up to the limit itself', () => {
    assert.equal(decideAfterPreemption({...facts, preemptions: 5}).action,
      'resume');
  });

  it('fails once the preemptions exceed the limit', () => {
    const decision = decideAfterPreemption({...facts, preemptions: 6});
    assert.equal(decision.action, 'fail');
    assert.equal(decision.reason, 'max-preemptions-exceeded');
  });

  it('fails when restart and remaining work pass the deadline', () => {
    const decision = decideAfterPreemption({...facts,
      deadlineMs: T0 + 7 * HOUR_MS + RESTART_MS - 1});
    assert.equal(decision.action, 'fail');
    assert.equal(decision.reason, 'preempted-past-deadline');
    assert.ok(decision.action === 'fail');
    assert.match(decision.message, /after the deadline/);
  });
});
