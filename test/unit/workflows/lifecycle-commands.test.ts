import assert from 'node:assert/strict';
import {WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import type {Responder} from './fake-function-side.js';
import {
  ARGUMENT,
  isWaitCheck,
  lifecycleSequence,
  ok,
  planResult,
  runLifecycle,
  scriptedFunctions,
  timeline,
  type LifecycleRun,
} from './lifecycle-harness.js';

// The happy path up to the launch, then what the test scripts.
function withMonitor(monitor: Responder, pause?: Responder): Responder {
  return (message, history) => {
    if (isWaitCheck(message)) return scriptedFunctions(message, history);
    switch (message.envelope.step) {
      case 'monitor':
        return monitor(message, history);
      case 'pause':
        return pause ? pause(message, history)
          : [ok(message, {checkpointStep: 700})];
      case 'resume':
        return [ok(message, {trainingJobName: 'train-j-42-s1',
          regionId: 'europe-north1'})];
      case 'footprint':
        return [ok(message, {summary: {emissionsGrams: 10}})];
      default:
        return scriptedFunctions(message, history);
    }
  };
}

// The lifecycle's own requests, without the wake-ups of the wait.
const requests = (run: LifecycleRun) =>
  run.received.filter((message) => !isWaitCheck(message));

const phaseOf = (message: {envelope: Record<string, unknown>}) =>
  (message.envelope['payload'] as Record<string, unknown>)['phase'];

describe('lifecycle.yaml under operator commands (fake function side)',
  () => {
    it('checkpoints, records the footprint and ends cancelled on a cancel',
      async () => {
        const run = await runLifecycle(withMonitor((message, history) =>
          lifecycleSequence(message, history) === 4
            ? [ok(message, {decision: 'continue', reason: 'grid clean'})]
            : [ok(message, {decision: 'cancel', checkpointFirst: true,
              reason: 'operator-cancel', commandId: 'c-1'})]));
        assert.deepEqual(timeline(requests(run)), [
          ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
          ['06:00:00', 'plan-requests', 'j-42:plan:14', 1],
          ['09:00:00', 'launch-requests', 'j-42:launch:21', 1],
          ['09:30:00', 'monitor-requests', 'j-42:monitor:22', 1],
          ['10:00:00', 'monitor-requests', 'j-42:monitor:23', 1],
          ['10:00:00', 'pause-requests', 'j-42:pause:24', 1],
          ['10:00:00', 'footprint-requests', 'j-42:footprint:25', 1],
        ]);
        assert.deepEqual(run.outcome, {result: {
          jobId: 'j-42',
          status: 'cancelled',
          plan: planResult('2025-03-01T09:00:00Z'),
          pauses: [],
          cancellation: {commandId: 'c-1', reason: 'operator-cancel',
            checkpointStep: 700, cancelledAt: '2025-03-01T10:00:00.000Z'},
          summary: {emissionsGrams: 10},
        }});
      });

    it('skips the checkpoint when the cancel says the job is stopped',
      async () => {
        const run = await runLifecycle(withMonitor((message) =>
          [ok(message, {decision: 'cancel', checkpointFirst: false,
            commandId: 'c-2'})]));
        assert.deepEqual(requests(run).map((m) => m.topicName).slice(3), [
          'monitor-requests', 'footprint-requests']);
        const result = (run.outcome as {result: Record<string, unknown>})
          .result;
        assert.equal(result['status'], 'cancelled');
        assert.deepEqual(result['cancellation'], {commandId: 'c-2',
          reason: 'operator-cancel', checkpointStep: null,
          cancelledAt: '2025-03-01T09:30:00.000Z'});
      });

    it('holds a paused job, asking each poll, until a resume', async () => {
      const run = await runLifecycle(withMonitor((message, history) => {
        const phase = phaseOf(message);
        const sequence = lifecycleSequence(message, history);
        if (phase === 'paused') {
          return [ok(message, sequence < 9
            ? {decision: 'hold', reason: 'operator-pause'}
            : {decision: 'resume', reason: 'operator-resume'})];
        }
        if (sequence === 4) {
          return [ok(message, {decision: 'pause', hold: true,
            resumeAt: null, reason: 'operator-pause'})];
        }
        return [ok(message, {decision: 'completed', reason: 'done'})];
      }));
      assert.deepEqual(timeline(requests(run)), [
        ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
        ['06:00:00', 'plan-requests', 'j-42:plan:14', 1],
        ['09:00:00', 'launch-requests', 'j-42:launch:21', 1],
        ['09:30:00', 'monitor-requests', 'j-42:monitor:22', 1],
        ['09:30:00', 'pause-requests', 'j-42:pause:23', 1],
        ['10:00:00', 'monitor-requests', 'j-42:monitor:24', 1],
        ['10:30:00', 'monitor-requests', 'j-42:monitor:25', 1],
        ['11:00:00', 'monitor-requests', 'j-42:monitor:26', 1],
        ['11:30:00', 'monitor-requests', 'j-42:monitor:27', 1],
        ['11:30:00', 'resume-requests', 'j-42:resume:28', 1],
        ['12:00:00', 'monitor-requests', 'j-42:monitor:29', 1],
        ['12:00:00', 'footprint-requests', 'j-42:footprint:30', 1],
      ]);
      assert.deepEqual(requests(run).slice(5, 9).map(phaseOf),
        ['paused', 'paused', 'paused', 'paused']);
      assert.equal(phaseOf(requests(run)[10]!), undefined);
      const result = (run.outcome as {result: Record<string, unknown>})
        .result;
      assert.equal(result['status'], 'completed');
      assert.deepEqual(result['pauses'], [{
        segmentIndex: 0,
        checkpointStep: 700,
        pausedAt: '2025-03-01T09:30:00.000Z',
        resumedAt: '2025-03-01T11:30:00.000Z',
        trainingJobName: 'train-j-42-s1',
        regionId: 'europe-north1',
      }]);
    });

    it('ends a held job cancelled without a second checkpoint',
      async () => {
        const run = await runLifecycle(withMonitor((message) =>
          phaseOf(message) === 'paused'
            ? [ok(message, {decision: 'cancel', checkpointFirst: false,
              reason: 'operator-cancel', commandId: 'c-3'})]
            : [ok(message, {decision: 'pause', hold: true,
              resumeAt: null})]));
        assert.deepEqual(requests(run).map((m) => m.topicName).slice(3), [
          'monitor-requests', 'pause-requests', 'monitor-requests',
          'footprint-requests']);
        const result = (run.outcome as {result: Record<string, unknown>})
          .result;
        assert.equal(result['status'], 'cancelled');
        assert.equal(
          (result['cancellation'] as Record<string, unknown>)['commandId'],
          'c-3');
      });

    it('fails naming the answer when a held job hears something else',
      async () => {
        const run = await runLifecycle(withMonitor((message) =>
          phaseOf(message) === 'paused'
            ? [ok(message, {decision: 'continue'})]
            : [ok(message, {decision: 'pause', hold: true,
              resumeAt: null})]));
        assert.ok('error' in run.outcome);
        const error = run.outcome.error;
        assert.ok(error instanceof WorkflowExecutionError);
        assert.equal((error.error as {code: string}).code,
          'UNKNOWN_DECISION');
        assert.match((error.error as {message: string}).message,
          /hold, resume or cancel, got "continue"/);
        assert.equal(run.received.at(-1)!.topicName, 'job-events');
      });
    // Answers the wake-ups of the wait by virtual time.
    function waitAnswers(
      answer: (clock: string) => Record<string, unknown>,
    ): Responder {
      return (message, history) => {
        if (isWaitCheck(message)) {
          return [ok(message, answer(new Date(message.atMs).toISOString()
            .slice(11, 19)))];
        }
        return message.envelope.step === 'footprint'
          ? [ok(message, {summary: {emissionsGrams: 0}})]
          : scriptedFunctions(message, history);
      };
    }

    it('starts at once on start-now while waiting', async () => {
      const run = await runLifecycle(waitAnswers((clock) =>
        clock === '02:00:00'
          ? {decision: 'start-now', reason: 'operator-run-now'}
          : {decision: 'wait'}));
      const launch = run.received.find(
        (message) => message.topicName === 'launch-requests')!;
      assert.equal(new Date(launch.atMs).toISOString().slice(11, 19),
        '02:00:00');
      assert.equal(run.received.filter(isWaitCheck).length, 4);
      assert.equal(launch.envelope.requestId, 'j-42:launch:6');
      assert.equal(run.received.filter(
        (message) => message.topicName === 'plan-requests').length, 1,
        'no replan once started');
    });

    it('keeps a held job waiting past its slot until the hold lifts',
      async () => {
        const run = await runLifecycle(waitAnswers((clock) =>
          clock >= '08:00:00' && clock < '10:30:00'
            ? {decision: 'hold', reason: 'operator-pause'}
            : {decision: 'wait'}));
        const launch = run.received.find(
          (message) => message.topicName === 'launch-requests')!;
        assert.equal(new Date(launch.atMs).toISOString().slice(11, 19),
          '10:30:00');
        const checks = timeline(run.received.filter(isWaitCheck))
          .map((row) => row[0]);
        assert.deepEqual(checks.slice(-6), ['08:00:00', '08:30:00',
          '09:00:00', '09:30:00', '10:00:00', '10:30:00']);
      });

    it('records the footprint and ends cancelled on a cancel while waiting',
      async () => {
        const run = await runLifecycle(waitAnswers((clock) =>
          clock === '01:00:00'
            ? {decision: 'cancel', checkpointFirst: false,
              reason: 'operator-cancel', commandId: 'c-4'}
            : {decision: 'wait'}));
        assert.deepEqual(run.received.map((message) => message.topicName), [
          'plan-requests', 'monitor-requests', 'monitor-requests',
          'footprint-requests']);
        const result = (run.outcome as {result: Record<string, unknown>})
          .result;
        assert.equal(result['status'], 'cancelled');
        assert.deepEqual(result['cancellation'], {commandId: 'c-4',
          reason: 'operator-cancel', checkpointStep: null,
          cancelledAt: '2025-03-01T01:00:00.000Z'});
      });

    it('fails naming the answer when a waiting job hears something else',
      async () => {
        const run = await runLifecycle(waitAnswers(() =>
          ({decision: 'continue'})));
        assert.ok('error' in run.outcome);
        const error = run.outcome.error as WorkflowExecutionError;
        assert.match((error.error as {message: string}).message,
          /wait, hold, start-now or cancel, got "continue"/);
      });
  });

describe('lifecycle.yaml adopting a running segment (fake function side)',
  () => {
    it('monitors the named segment, numbering after the snapshot',
      async () => {
        const argument = JSON.stringify({
          ...JSON.parse(ARGUMENT),
          adopt: {trainingJobName: 'train-j-42-s1', segmentIndex: 1,
            lastSequence: 40},
        });
        const run = await runLifecycle((message) => {
          switch (message.envelope.step) {
            case 'monitor':
              return [ok(message, {decision: 'completed'})];
            case 'footprint':
              return [ok(message, {summary: {emissionsGrams: 3}})];
            default:
              return [];
          }
        }, undefined, argument);
        assert.deepEqual(timeline(run.received), [
          ['00:30:00', 'monitor-requests', 'j-42:monitor:41', 1],
          ['00:30:00', 'footprint-requests', 'j-42:footprint:42', 1],
        ]);
        assert.deepEqual(run.received[0]!.envelope['payload'],
          {trainingJobName: 'train-j-42-s1', segmentIndex: 1});
        assert.deepEqual(run.outcome, {result: {jobId: 'j-42',
          status: 'completed', plan: null, pauses: [],
          summary: {emissionsGrams: 3}}});
      });
  });
