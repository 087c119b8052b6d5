import assert from 'node:assert/strict';
import {WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import {
  isWaitCheck,
  ok,
  planResult,
  runLifecycle,
  scriptedFunctions,
  timeline,
  type LifecycleRun,
} from './lifecycle-harness.js';

// The lifecycle's own requests, without the wake-ups of the wait.
const requests = (run: LifecycleRun) =>
  run.received.filter((message) => !isWaitCheck(message));

describe('lifecycle.yaml with a fake function side (test double)', () => {
  let run: LifecycleRun;

  before(async () => {
    run = await runLifecycle(scriptedFunctions);
  });

  it('sends each request at its virtual time, in lifecycle order', () => {
    assert.deepEqual(timeline(requests(run)), [
      ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
      ['06:00:00', 'plan-requests', 'j-42:plan:14', 1],
      ['09:00:00', 'launch-requests', 'j-42:launch:21', 1],
      ['09:30:00', 'monitor-requests', 'j-42:monitor:22', 1],
      ['10:00:00', 'monitor-requests', 'j-42:monitor:23', 1],
      ['10:00:00', 'pause-requests', 'j-42:pause:24', 1],
      ['14:00:00', 'resume-requests', 'j-42:resume:25', 1],
      ['14:30:00', 'monitor-requests', 'j-42:monitor:26', 1],
      ['15:30:00', 'monitor-requests', 'j-42:monitor:26', 2],
      ['15:30:00', 'footprint-requests', 'j-42:footprint:27', 1],
    ]);
  });

  it('returns the completed summary with the kept plan and the pause',
    () => {
      assert.deepEqual(run.outcome, {
        result: {
          jobId: 'j-42',
          status: 'completed',
          plan: planResult('2025-03-01T09:00:00Z'),
          pauses: [{
            segmentIndex: 0,
            checkpointStep: 1200,
            pausedAt: '2025-03-01T10:00:00.000Z',
            resumedAt: '2025-03-01T14:00:00.000Z',
            trainingJobName: 'train-j-42-s1',
            regionId: 'europe-north1',
          }],
          summary: {emissionsGrams: 5120.5, counterfactualGrams: 9000},
        },
      });
    });

  it('asks at most every pollSeconds while it waits for the slot', () => {
    const checks = run.received.filter(isWaitCheck);
    const expected = Array.from({length: 18}, (_, index) =>
      new Date(Date.parse('2025-03-01T00:30:00Z') + index * 1_800_000)
        .toISOString().slice(11, 19));
    assert.deepEqual(timeline(checks).map((row) => row[0]), expected);
    assert.deepEqual(checks[0]!.envelope['payload'],
      {segmentIndex: 0, phase: 'waiting'});
  });

  it('builds envelopes to the message contract', () => {
    const launch = requests(run)[2]!;
    assert.deepEqual(launch.attributes, {
      jobId: 'j-42',
      step: 'launch',
      requestId: 'j-42:launch:21',
      schemaVersion: '1',
    });
    const {callbackUrl, ...rest} = launch.envelope;
    assert.match(String(callbackUrl),
      /^http:\/\/127\.0\.0\.1:\d+\/callbacks\//);
    assert.deepEqual(rest, {
      schemaVersion: 1,
      jobId: 'j-42',
      step: 'launch',
      sequence: 21,
      attempt: 1,
      requestId: 'j-42:launch:21',
      sentAt: '2025-03-01T09:00:00.000Z',
      payload: {segmentIndex: 0},
    });
  });

  it('sends the payloads the functions expect', () => {
    assert.deepEqual(requests(run).map((message) => message.envelope.payload), [
      {},
      {},
      {segmentIndex: 0},
      {trainingJobName: 'train-j-42-s0', segmentIndex: 0},
      {trainingJobName: 'train-j-42-s0', segmentIndex: 0},
      {trainingJobName: 'train-j-42-s0', segmentIndex: 0},
      {segmentIndex: 1, checkpointStep: 1200},
      {trainingJobName: 'train-j-42-s1', segmentIndex: 1},
      {trainingJobName: 'train-j-42-s1', segmentIndex: 1},
      {},
    ]);
  });

  it('recovers a lost reply by resending the same request', () => {
    const [first, second] = run.received.filter(
      (message) => message.envelope.requestId === 'j-42:monitor:26',
    );
    assert.ok(first && second);
    assert.equal(second.atMs - first.atMs, 3600 * 1000);
    assert.equal(second.envelope.callbackUrl, first.envelope.callbackUrl);
    assert.equal(second.envelope.sequence, first.envelope.sequence);
    assert.equal(second.envelope['sentAt'], '2025-03-01T15:30:00.000Z');
  });

  it('discards a reply whose requestId does not match', () => {
    const discarded = run.logs.filter((entry) => entry.severity === 'WARNING');
    assert.equal(discarded.length, 1);
    const data = discarded[0]!.data as Record<string, unknown>;
    assert.equal(data['expectedRequestId'], 'j-42:launch:21');
    assert.equal(
      (data['reply'] as Record<string, unknown>)['requestId'],
      'j-42:launch:99',
    );
  });

  it('publishes a failed event and fails on a failed decision', async () => {
    const failing = await runLifecycle((message, history) =>
      message.envelope.step === 'monitor' && !isWaitCheck(message)
        ? [ok(message, {decision: 'failed', reason: 'trainer crashed'})]
        : scriptedFunctions(message, history));
    assert.ok('error' in failing.outcome);
    const error = failing.outcome.error;
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual((error.error as {tags: string[]}).tags, ['JobFailed']);
    const event = failing.received.at(-1)!;
    assert.equal(event.topicName, 'job-events');
    assert.equal(event.envelope.step, 'failed');
    assert.equal(event.envelope.requestId, 'j-42:failed:23');
    assert.deepEqual(
      (event.envelope['payload'] as Record<string, unknown>)['reason'],
      'training failed, trainer crashed',
    );
  });

  it('raises StepFailed with the function error code', async () => {
    const failing = await runLifecycle((message, history) => {
      if (message.envelope.step !== 'launch') {
        return scriptedFunctions(message, history);
      }
      const {requestId, jobId, step} = message.envelope;
      return [{requestId, jobId, step, outcome: 'error', error: {
        code: 'QUOTA_EXCEEDED', message: 'no H100 quota', retryable: false}}];
    });
    assert.ok('error' in failing.outcome);
    const error = failing.outcome.error;
    assert.ok(error instanceof WorkflowExecutionError);
    assert.deepEqual(error.error, {
      tags: ['StepFailed'],
      requestId: 'j-42:launch:21',
      code: 'QUOTA_EXCEEDED',
      message: 'no H100 quota',
      retryable: false,
    });
    assert.equal(failing.received.at(-1)!.topicName, 'job-events');
  });

  it('gives up after three unanswered attempts', async () => {
    const silent = await runLifecycle(() => []);
    assert.ok('error' in silent.outcome);
    assert.deepEqual(timeline(silent.received), [
      ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
      ['01:00:00', 'plan-requests', 'j-42:plan:1', 2],
      ['02:00:00', 'plan-requests', 'j-42:plan:1', 3],
      ['03:00:00', 'job-events', 'j-42:failed:2', 1],
    ]);
    const error = silent.outcome.error as WorkflowExecutionError;
    assert.equal((error.error as {code: string}).code, 'NO_REPLY');
  });
});
