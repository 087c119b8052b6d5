import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {createStepHandler} from
  '../../../adapters/function-runtime/step-handler.js';
import {
  ACCEPTED_SCHEMA_VERSIONS,
  CURRENT_SCHEMA_VERSION,
  createEnvelope,
  envelopeSchema,
  upgradeEnvelope,
  type Envelope,
} from '../../../shared/messaging/envelope.js';
import {pubSubEvent, recordingRuntime} from './step-runtime-fixture.js';

const NOW_MS = Date.parse('2022-06-14T00:00:00Z');

// A launch request as workflow revisions before version 2 publish it:
// no attempt, and no segmentIndex for the first segment.
const VERSION_1_LAUNCH = {
  schemaVersion: 1,
  jobId: 'j-7',
  step: 'launch',
  sequence: 3,
  requestId: 'j-7:launch:3',
  sentAt: '2022-06-14T00:00:00.123456Z',
  callbackUrl: 'http://127.0.0.1:1/callbacks/a1',
  payload: {},
};

describe('envelope versions in flight', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'envelope-'));
  });
  afterEach(() => rm(directory, {recursive: true, force: true}));

  it('accepts the previous and the current version', () => {
    assert.deepEqual([...ACCEPTED_SCHEMA_VERSIONS], [1, 2]);
    assert.equal(CURRENT_SCHEMA_VERSION, 2);
  });

  it('upgrades a version 1 launch to the current shape', () => {
    const parsed = envelopeSchema.parse(VERSION_1_LAUNCH);
    assert.equal(parsed.schemaVersion, 2);
    assert.equal(parsed.attempt, 1);
    assert.deepEqual(parsed.payload, {segmentIndex: 0});
    assert.equal(parsed.requestId, 'j-7:launch:3');
  });

  it('leaves a current envelope as it is', () => {
    const current = createEnvelope({jobId: 'j-7', step: 'monitor',
      sequence: 4, attempt: 2, sentAtMs: NOW_MS,
      payload: {trainingJobName: 'segment-0', segmentIndex: 0}});
    assert.deepEqual(upgradeEnvelope(current), current);
    assert.deepEqual(envelopeSchema.parse(current), current);
  });

  it('replays version 1 messages through a step handler', async () => {
    const {runtime, replies, published} = recordingRuntime(directory, NOW_MS);
    const seen: Envelope[] = [];
    const handler = createStepHandler('launch-training', runtime,
      async (envelope) => {
        seen.push(envelope);
        return {kind: 'reply', result: {trainingJobName: 'segment-0'}};
      });

    // The old message, then its retry sent by an upgraded workflow.
    await handler(pubSubEvent(JSON.stringify(VERSION_1_LAUNCH), 'm-1'));
    const retry = createEnvelope({jobId: 'j-7', step: 'launch', sequence: 3,
      attempt: 2, sentAtMs: NOW_MS, callbackUrl: VERSION_1_LAUNCH.callbackUrl,
      payload: {segmentIndex: 0}});
    await handler(pubSubEvent(JSON.stringify(retry), 'm-2'));

    assert.equal(seen.length, 1, 'one effect across both versions');
    assert.equal(seen[0]!.schemaVersion, 2);
    assert.equal(seen[0]!.payload.segmentIndex, 0);
    assert.equal(published.length, 0, 'nothing dead-lettered');
    assert.equal(replies.length, 2);
    assert.deepEqual(replies[0]!.body, replies[1]!.body);
  });

  it('dead-letters an unknown version naming schemaVersion', async () => {
    const {runtime, published} = recordingRuntime(directory, NOW_MS);
    const handler = createStepHandler('launch-training', runtime, async () => {
      throw new Error('must not run');
    });
    await handler(pubSubEvent(
      JSON.stringify({...VERSION_1_LAUNCH, schemaVersion: 3}), 'm-3'));
    const letter = published[0]!.body as {
      code: string; reasons: {field: string; problem: string}[]};
    assert.equal(published[0]!.topic, 'dead-letters');
    assert.equal(letter.code, 'invalid-envelope');
    assert.equal(letter.reasons[0]!.field, 'schemaVersion');
    assert.match(letter.reasons[0]!.problem, /versions 1, 2, got 3/);
  });

  it('keys a request by jobId, step and sequence, never the attempt', () => {
    const first = createEnvelope({jobId: 'j-7', step: 'launch', sequence: 3,
      attempt: 1, sentAtMs: NOW_MS, payload: {segmentIndex: 0}});
    const third = createEnvelope({jobId: 'j-7', step: 'launch', sequence: 3,
      attempt: 3, sentAtMs: NOW_MS, payload: {segmentIndex: 0}});
    assert.equal(first.requestId, 'j-7:launch:3');
    assert.equal(third.requestId, first.requestId);
    const withAttempt = {...first, requestId: 'j-7:launch:3:1'};
    const parsed = envelopeSchema.safeParse(withAttempt);
    assert.equal(parsed.success, false);
    assert.deepEqual(parsed.error?.issues.map((issue) => issue.path),
      [['requestId']]);
  });

  it('refuses a current envelope whose payload does not fit its step', () => {
    const parsed = envelopeSchema.safeParse(createEnvelope({jobId: 'j-7',
      step: 'pause', sequence: 5, sentAtMs: NOW_MS,
      payload: {segmentIndex: 'first'}}));
    assert.equal(parsed.success, false);
    const paths = parsed.error!.issues.map((issue) => issue.path.join('.'));
    assert.deepEqual(paths.sort(),
      ['payload.segmentIndex', 'payload.trainingJobName']);
  });
});
