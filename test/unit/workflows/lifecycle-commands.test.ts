import assert from 'node:assert/strict';
import {WorkflowExecutionError} from
  '../../../adapters/local/workflow-runner/workflow-errors.js';
import type {Responder} from './fake-function-side.js';
import {
  ok,
  planResult,
  runLifecycle,
  scriptedFunctions,
  timeline,
} from './lifecycle-harness.js';

// The happy path up to the launch, then what the test scripts.
function withMonitor(monitor: Responder, pause?: Responder): Responder {
  return (message, history) => {
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

const phaseOf = (message: {envelope: Record<string, unknown>}) =>
  (message.envelope['payload'] as Record<string, unknown>)['phase'];

describe('lifecycle.yaml under operator commands (fake function side)',
  () => {
    it('checkpoints, records the footprint and ends cancelled on a cancel',
      async () => {
        const run = await runLifecycle(withMonitor((message) =>
          message.envelope.sequence === 4
            ? [ok(message, {decision: 'continue', reason: 'grid clean'})]
            : [ok(message, {decision: 'cancel', checkpointFirst: true,
              reason: 'operator-cancel', commandId: 'c-1'})]));
        assert.deepEqual(timeline(run.received), [
          ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
          ['06:00:00', 'plan-requests', 'j-42:plan:2', 1],
          ['09:00:00', 'launch-requests', 'j-42:launch:3', 1],
          ['09:30:00', 'monitor-requests', 'j-42:monitor:4', 1],
          ['10:00:00', 'monitor-requests', 'j-42:monitor:5', 1],
          ['10:00:00', 'pause-requests', 'j-42:pause:6', 1],
          ['10:00:00', 'footprint-requests', 'j-42:footprint:7', 1],
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
        assert.deepEqual(run.received.map((m) => m.topicName).slice(3), [
          'monitor-requests', 'footprint-requests']);
        const result = (run.outcome as {result: Record<string, unknown>})
          .result;
        assert.equal(result['status'], 'cancelled');
        assert.deepEqual(result['cancellation'], {commandId: 'c-2',
          reason: 'operator-cancel', checkpointStep: null,
          cancelledAt: '2025-03-01T09:30:00.000Z'});
      });

    it('holds a paused job, asking each poll, until a resume', async () => {
      const run = await runLifecycle(withMonitor((message) => {
        const phase = phaseOf(message);
        const {sequence} = message.envelope;
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
      assert.deepEqual(timeline(run.received), [
        ['00:00:00', 'plan-requests', 'j-42:plan:1', 1],
        ['06:00:00', 'plan-requests', 'j-42:plan:2', 1],
        ['09:00:00', 'launch-requests', 'j-42:launch:3', 1],
        ['09:30:00', 'monitor-requests', 'j-42:monitor:4', 1],
        ['09:30:00', 'pause-requests', 'j-42:pause:5', 1],
        ['10:00:00', 'monitor-requests', 'j-42:monitor:6', 1],
        ['10:30:00', 'monitor-requests', 'j-42:monitor:7', 1],
        ['11:00:00', 'monitor-requests', 'j-42:monitor:8', 1],
        ['11:30:00', 'monitor-requests', 'j-42:monitor:9', 1],
        ['11:30:00', 'resume-requests', 'j-42:resume:10', 1],
        ['12:00:00', 'monitor-requests', 'j-42:monitor:11', 1],
        ['12:00:00', 'footprint-requests', 'j-42:footprint:12', 1],
      ]);
      assert.deepEqual(run.received.slice(5, 9).map(phaseOf),
        ['paused', 'paused', 'paused', 'paused']);
      assert.equal(phaseOf(run.received[10]!), undefined);
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
        assert.deepEqual(run.received.map((m) => m.topicName).slice(3), [
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
  });
