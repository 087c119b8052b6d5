import assert from 'node:assert/strict';
import type {RestartArgument} from
  '../../../shared/ports/lifecycle-starter.js';
import {
  ok,
  planResult,
  runLifecycle,
  timeline,
} from './lifecycle-harness.js';
import type {ReceivedMessage, Responder} from './fake-function-side.js';

// The harness's argument, restarting the job.
function restartArgument(restart: RestartArgument): string {
  return JSON.stringify({jobId: 'j-42', project: 'carbon-dev',
    pollSeconds: 1800, maxMonitorPolls: 20,
    replanIfWaitOverSeconds: 21600, restart});
}

const PAUSED: RestartArgument = {
  phase: 'paused', afterSequence: 12, trainingJobName: 'train-j-42-s0',
  segmentIndex: 0, checkpointStep: 1200,
  pausedAt: '2025-02-28T22:00:00.000Z',
  resumeAt: '2025-03-01T03:00:00.000Z',
};

function payloadOf(message: ReceivedMessage): Record<string, unknown> {
  return message.envelope['payload'] as Record<string, unknown>;
}

// Answers by step; a held job is held `holds` times, then resumed.
function functionsFor(holds = 0): Responder {
  let held = 0;
  return (message) => {
    const {step} = message.envelope;
    const payload = payloadOf(message);
    if (step === 'plan') {
      return [ok(message, planResult('2025-03-01T01:00:00Z'))];
    }
    if (step === 'monitor' && payload['phase'] === 'waiting') {
      return [ok(message, {decision: 'wait', reason: 'no-operator-command'})];
    }
    if (step === 'monitor' && payload['phase'] === 'paused') {
      return [ok(message, held++ < holds
        ? {decision: 'hold', reason: 'operator-pause'}
        : {decision: 'resume', reason: 'no-operator-hold'})];
    }
    if (step === 'launch' || step === 'resume') {
      const index = Number(payload['segmentIndex']);
      return [ok(message, {trainingJobName: `train-j-42-s${index}`,
        regionId: 'europe-north1'})];
    }
    if (step === 'monitor') {
      return [ok(message, {decision: 'completed', reason: 'done'})];
    }
    if (step === 'footprint') {
      return [ok(message, {summary: {emissionsGrams: 1}})];
    }
    return [];
  };
}

describe('lifecycle.yaml restarting a stranded job (fake function side)',
  () => {
    it('plans again after the given sequence when restarted waiting',
      async () => {
        const run = await runLifecycle(functionsFor(), undefined,
          restartArgument({phase: 'waiting', afterSequence: 7}));
        assert.ok('result' in run.outcome, JSON.stringify(run.outcome));
        // Two wake-ups in the hour to the slot, then the launch.
        assert.deepEqual(timeline(run.received).map((row) => row[2]), [
          'j-42:plan:8', 'j-42:monitor:9', 'j-42:monitor:10',
          'j-42:launch:11', 'j-42:monitor:12', 'j-42:footprint:13']);
        assert.equal(payloadOf(run.received[3]!)['segmentIndex'], 0);
      });

    it('only records the footprint when restarted to record', async () => {
      const run = await runLifecycle(functionsFor(), undefined,
        restartArgument({phase: 'record', afterSequence: 9}));
      assert.ok('result' in run.outcome, JSON.stringify(run.outcome));
      assert.deepEqual(timeline(run.received).map((row) => row[2]),
        ['j-42:footprint:10']);
      const result = run.outcome.result as {status: string;
        summary: unknown};
      assert.equal(result.status, 'completed');
      assert.deepEqual(result.summary, {emissionsGrams: 1});
    });

    it('resumes a paused job at its resume time from its checkpoint',
      async () => {
        const run = await runLifecycle(functionsFor(), undefined,
          restartArgument(PAUSED));
        assert.ok('result' in run.outcome, JSON.stringify(run.outcome));
        assert.deepEqual(timeline(run.received).slice(0, 2), [
          ['03:00:00', 'monitor-requests', 'j-42:monitor:13', 1],
          ['03:00:00', 'resume-requests', 'j-42:resume:14', 1],
        ]);
        assert.equal(payloadOf(run.received[0]!)['phase'], 'paused');
        assert.deepEqual(payloadOf(run.received[1]!),
          {segmentIndex: 1, checkpointStep: 1200});
        assert.equal(payloadOf(run.received[2]!)['trainingJobName'],
          'train-j-42-s1');
        const result = run.outcome.result as {status: string;
          pauses: Record<string, unknown>[]};
        assert.equal(result.status, 'completed');
        assert.deepEqual(result.pauses.map((pause) => [pause.segmentIndex,
          pause.checkpointStep, pause.pausedAt, pause.trainingJobName]),
        [[0, 1200, PAUSED.pausedAt, 'train-j-42-s1']]);
      });

    it('asks at once when the resume time is not given or has passed',
      async () => {
        for (const resumeAt of [null, '2025-02-28T23:00:00.000Z']) {
          const run = await runLifecycle(functionsFor(), undefined,
            restartArgument({...PAUSED, resumeAt}));
          assert.ok('result' in run.outcome, JSON.stringify(run.outcome));
          assert.deepEqual(timeline(run.received).slice(0, 2).map((row) =>
            [row[0], row[2]]), [['00:00:00', 'j-42:monitor:13'],
            ['00:00:00', 'j-42:resume:14']], String(resumeAt));
        }
      });

    it('keeps an operator hold given while the execution was lost',
      async () => {
        const run = await runLifecycle(functionsFor(2), undefined,
          restartArgument({...PAUSED, resumeAt: null}));
        assert.ok('result' in run.outcome, JSON.stringify(run.outcome));
        assert.deepEqual(timeline(run.received).slice(0, 4).map((row) =>
          [row[0], row[1]]), [
          ['00:00:00', 'monitor-requests'],
          ['00:30:00', 'monitor-requests'],
          ['01:00:00', 'monitor-requests'],
          ['01:00:00', 'resume-requests']]);
      });
  });
