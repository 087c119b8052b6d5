import assert from 'node:assert/strict';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createStepHandler} from
  '../../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../../shared/errors.js';
import {createEnvelope} from '../../../shared/messaging/envelope.js';
import {pubSubEvent, recordingRuntime} from './step-runtime-fixture.js';

const NOW_MS = Date.parse('2025-01-15T10:00:00Z');

// Case C23: one launch command delivered three times, two at once.
const launchCommand = (attempt: number) => JSON.stringify(createEnvelope({
  jobId: 'j-7', step: 'launch', sequence: 1, attempt, sentAtMs: NOW_MS,
  callbackUrl: 'http://127.0.0.1:1/callbacks/a1', payload: {segmentIndex: 0},
}));

describe('delivery cases C23 and C25', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'delivery-'));
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  it('launches once for three deliveries, keyed by requestId (C23)',
    async () => {
      const {runtime, logger} = recordingRuntime(directory, NOW_MS);
      let createCustomJobCalls = 0;
      const handler = createStepHandler('launch-training', runtime,
        async () => {
          createCustomJobCalls++;
          await new Promise((resolve) => setTimeout(resolve, 20));
          return {kind: 'reply', result: {trainingJobName: 'segment-0'}};
        });

      // Each delivery has its own message id; all three are acknowledged
      // (the handler resolves, so the push returns 2xx).
      await Promise.all([
        handler(pubSubEvent(launchCommand(1), 'm-991')),
        handler(pubSubEvent(launchCommand(1), 'm-992')),
      ]);
      await handler(pubSubEvent(launchCommand(2), 'm-993'));

      assert.equal(createCustomJobCalls, 1);
      const record = JSON.parse(await readFile(path.join(directory,
        'idempotency', 'launch-training', 'j-7:launch:1.json'), 'utf8'));
      assert.equal(record.state, 'done');
      const duplicates = logger.entries.filter((entry) =>
        /^duplicate/.test(entry.message));
      assert.equal(duplicates.length, 2);
    });

  it('redelivers a 503 and launches once when it clears (C25 A)',
    async () => {
      const {runtime, replies, published} = recordingRuntime(directory,
        NOW_MS);
      let tries = 0;
      let launched = 0;
      const handler = createStepHandler('launch-training', runtime,
        async () => {
          tries++;
          if (tries === 1) {
            throw new SchedulerError('unavailable',
              '503 UNAVAILABLE from Vertex AI', {retryable: true});
          }
          launched++;
          return {kind: 'reply', result: {trainingJobName: 'segment-0'}};
        });
      await assert.rejects(handler(pubSubEvent(launchCommand(1), 'm-1')),
        /503/);
      await handler(pubSubEvent(launchCommand(1), 'm-1'));
      await handler(pubSubEvent(launchCommand(1), 'm-1'));
      assert.equal(launched, 1);
      assert.equal(replies.length, 2, 'the reply, then the stored one');
      assert.equal(published.length, 0, 'a transient failure is no letter');
    });

  it('acknowledges invalid JSON and dead-letters it once (C25 B)',
    async () => {
      const {runtime, published} = recordingRuntime(directory, NOW_MS);
      const handler = createStepHandler('launch-training', runtime,
        async () => {
          throw new Error('must not run');
        });
      // Base64 of `{jobId:`: returning (no throw) means no redelivery.
      await handler(pubSubEvent('{jobId:', 'm-2'));
      assert.equal(published.length, 1);
      assert.equal(published[0]!.topic, 'dead-letters');
      const letter = published[0]!.body as {code: string; original: string};
      assert.equal(letter.code, 'invalid-json');
      assert.equal(letter.original, '{jobId:');
    });
});
