import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {CloudEvent} from '@google-cloud/functions-framework';
import {DirectoryBlobStore} from '../../../adapters/local/directory-blob-store.js';
import type {MessagePublishedData} from
  '../../../adapters/function-runtime/pubsub-event.js';
import {createStepHandler, type StepRuntime} from
  '../../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../../shared/errors.js';
import {createEnvelope} from '../../../shared/messaging/envelope.js';
import {readSnapshot, writeSnapshot} from
  '../../../shared/jobs/job-snapshot.js';
import {createMemoryLogger} from '../../../shared/ports/logger.js';

const NOW_MS = Date.parse('2025-01-15T10:00:00Z');

function eventOf(data: string, messageId: string): CloudEvent<MessagePublishedData> {
  return {
    specversion: '1.0',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: '//pubsub.googleapis.com/projects/demo/topics/launch-requests',
    id: messageId,
    data: {
      message: {data: Buffer.from(data).toString('base64'), messageId,
        attributes: {}},
      subscription: 'projects/demo/subscriptions/launch',
    },
  } as CloudEvent<MessagePublishedData>;
}

describe('step handler delivery semantics', () => {
  let directory: string;
  let runtime: StepRuntime;
  const published: {topic: string; body: unknown}[] = [];
  const replies: {url: string; body: unknown}[] = [];

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'step-'));
    published.length = 0;
    replies.length = 0;
    runtime = {
      clock: {nowMs: () => NOW_MS, sleepUntil: async () => {}},
      blobs: new DirectoryBlobStore(directory),
      // Recording publisher and callback sender: the emulator path is
      // covered by the integration tests.
      publisher: {publish: async (topic, body) => {
        published.push({topic, body});
        return String(published.length);
      }},
      callbacks: {send: async (url, body) => {
        replies.push({url, body});
      }},
      logger: createMemoryLogger(),
    };
    await writeSnapshot(runtime.blobs, {jobId: 'j-7', state: 'planned',
      submittedAtMs: NOW_MS, updatedAtMs: NOW_MS, lastSequence: 2,
      segments: [], decisions: []});
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  const launch = (sequence: number, attempt = 1) => JSON.stringify(
    createEnvelope({jobId: 'j-7', step: 'launch', sequence, attempt,
      sentAtMs: NOW_MS, callbackUrl: 'http://127.0.0.1:1/callbacks/a1',
      payload: {segmentIndex: 0}}));

  it('acts once for three deliveries, two of them concurrent (C23)', async () => {
    let launches = 0;
    const handler = createStepHandler('launch-training', runtime, async () => {
      launches++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return {kind: 'reply', result: {trainingJobName: 'segment-0'}};
    });
    await Promise.all([
      handler(eventOf(launch(3), 'm-991')),
      handler(eventOf(launch(3), 'm-992')),
    ]);
    await handler(eventOf(launch(3, 2), 'm-993'));
    assert.equal(launches, 1);
    // The first reply, and the stored one re-sent for the late retry.
    assert.equal(replies.length, 2);
    assert.deepEqual(replies[0]!.body, replies[1]!.body);
  });

  it('dead-letters a message that is not JSON and returns (C25 B)', async () => {
    const handler = createStepHandler('launch-training', runtime, async () => {
      throw new Error('must not run');
    });
    await handler(eventOf('{jobId:', 'm-1'));
    assert.equal(published.length, 1);
    assert.equal(published[0]!.topic, 'dead-letters');
    assert.equal((published[0]!.body as {code: string}).code, 'invalid-json');
  });

  it('throws on a transient failure so Pub/Sub redelivers (C25 A)', async () => {
    let calls = 0;
    const handler = createStepHandler('launch-training', runtime, async () => {
      calls++;
      if (calls === 1) {
        throw new SchedulerError('unavailable', '503 UNAVAILABLE',
          {retryable: true});
      }
      return {kind: 'reply', result: {trainingJobName: 'segment-0'}};
    });
    await assert.rejects(handler(eventOf(launch(3), 'm-1')), /503/);
    await handler(eventOf(launch(3), 'm-1'));
    assert.equal(calls, 2);
    assert.equal(replies.length, 1);
  });

  it('ignores a request older than the job has applied', async () => {
    let calls = 0;
    const handler = createStepHandler('launch-training', runtime, async () => {
      calls++;
      return {kind: 'reply', result: {}};
    });
    await handler(eventOf(launch(1), 'm-1'));
    assert.equal(calls, 0);
    assert.equal(replies.length, 0);
  });

  it('answers a permanent failure with an error reply', async () => {
    const handler = createStepHandler('launch-training', runtime, async () => {
      throw new SchedulerError('no-plan', 'no plan at (none)');
    });
    await handler(eventOf(launch(3), 'm-1'));
    const reply = replies[0]!.body as {outcome: string; error: {code: string}};
    assert.equal(reply.outcome, 'error');
    assert.equal(reply.error.code, 'no-plan');
    assert.equal(published[0]!.topic, 'dead-letters');
  });

  it('marks the job failed on its snapshot, with the reason, when a ' +
    'step refuses a request for good', async () => {
    const handler = createStepHandler('optimize-slot', runtime, async () => {
      throw new SchedulerError('carbon-budget-exceeded',
        'project p would go over its carbon budget');
    });
    await handler(eventOf(launch(3), 'm-1'));
    const snapshot = (await readSnapshot(runtime.blobs, 'j-7'))!;
    assert.equal(snapshot.state, 'failed');
    assert.equal(snapshot.failureReason, 'optimize-slot refused ' +
      'j-7:launch:3 (carbon-budget-exceeded): project p would go over ' +
      'its carbon budget');
    assert.deepEqual(snapshot.decisions.map((decision) =>
      [decision.decision, decision.details.stateBefore]),
    [['step-failed', 'planned']]);
    assert.equal(snapshot.updatedAtMs, NOW_MS);
    assert.equal((replies[0]!.body as {outcome: string}).outcome, 'error');
  });

  it('leaves the snapshot as it was on a transient failure or for a ' +
    'job that has already ended', async () => {
    const transient = createStepHandler('launch-training', runtime,
      async () => {
        throw new SchedulerError('unavailable', '503', {retryable: true});
      });
    await assert.rejects(transient(eventOf(launch(3), 'm-1')), /503/);
    assert.equal((await readSnapshot(runtime.blobs, 'j-7'))!.state,
      'planned');

    const completed = {...(await readSnapshot(runtime.blobs, 'j-7'))!,
      state: 'completed' as const};
    await writeSnapshot(runtime.blobs, completed);
    const refusing = createStepHandler('record-footprint', runtime,
      async () => {
        throw new SchedulerError('no-plan', 'no plan at (none)');
      });
    await refusing(eventOf(launch(4), 'm-2'));
    assert.deepEqual(await readSnapshot(runtime.blobs, 'j-7'), completed);
  });
});
