import assert from 'node:assert/strict';
import {
  applyCommands,
  effectiveDeadlineMs,
  operatorHoldOf,
  type DecisionPoint,
} from '../../../shared/jobs/apply-command.js';
import type {JobCommandRecord} from '../../../shared/jobs/job-command-store.js';
import type {JobCommandName} from '../../../shared/jobs/job-command.js';

const NOW_MS = Date.parse('2022-06-14T06:00:00Z');
const DEADLINE_MS = Date.parse('2022-06-16T00:00:00Z');

let order = 0;
function command(
  name: JobCommandName,
  extra: {deadline?: string; status?: JobCommandRecord['status']} = {},
): JobCommandRecord {
  order += 1;
  return {
    command: {schemaVersion: 1, commandId: `c${order}`, jobId: 'job-a',
      command: name, ...(extra.deadline ? {deadline: extra.deadline} : {})},
    requestedBy: {identity: 'ops', source: 'message-attribute', origin: null,
      verified: false},
    messageId: `m${order}`,
    receivedAtMs: order,
    status: extra.status ?? 'pending',
    acknowledged: true,
  };
}

function apply(
  point: DecisionPoint,
  pending: JobCommandRecord[],
  heldBefore = false,
) {
  return applyCommands({point, pending, heldBefore,
    deadlineMs: DEADLINE_MS, nowMs: NOW_MS});
}

describe('how operator commands take effect', () => {
  it('leaves the decision to the policy when nothing is pending', () => {
    for (const point of ['running', 'waiting', 'paused'] as const) {
      const result = apply(point, []);
      assert.equal(result.decision.kind, 'none');
      assert.equal(result.answer, null);
      assert.deepEqual(result.applied, []);
    }
  });

  it('checkpoints a running job before cancelling it', () => {
    const result = apply('running', [command('cancel')]);
    assert.deepEqual(result.decision, {kind: 'cancel', checkpointFirst: true});
    assert.equal(result.answer?.decision, 'cancel');
    assert.equal(result.answer?.checkpointFirst, true);
  });

  it('stops a waiting or paused job without a checkpoint', () => {
    for (const point of ['waiting', 'paused'] as const) {
      assert.deepEqual(apply(point, [command('cancel')]).decision,
        {kind: 'cancel', checkpointFirst: false});
    }
  });

  it('supersedes every other command of a batch with a cancel', () => {
    const result = apply('waiting', [command('run-now'), command('cancel'),
      command('extend', {deadline: '2022-06-20T00:00:00Z'})]);
    assert.deepEqual(result.applied.map((a) => a.application.outcome),
      ['superseded', 'applied', 'superseded']);
    assert.equal(result.deadlineMs, DEADLINE_MS);
  });

  it('starts a waiting job now on run-now', () => {
    const result = apply('waiting', [command('run-now')]);
    assert.equal(result.decision.kind, 'start-now');
    assert.equal(result.answer?.decision, 'start-now');
  });

  it('resumes a paused job now on run-now or resume', () => {
    assert.equal(apply('paused', [command('run-now')]).decision.kind,
      'resume-now');
    assert.equal(apply('paused', [command('resume')]).answer?.decision,
      'resume');
  });

  it('has no effect with run-now on a running job', () => {
    const result = apply('running', [command('run-now')]);
    assert.equal(result.decision.kind, 'none');
    assert.equal(result.applied[0]?.application.outcome, 'no-effect');
  });

  it('checkpoints, stops and holds a running job on pause', () => {
    const result = apply('running', [command('pause')]);
    assert.equal(result.decision.kind, 'pause-and-hold');
    assert.deepEqual(result.answer, {decision: 'pause', hold: true,
      resumeAt: null, reason: 'operator-pause'});
    assert.equal(result.held, true);
  });

  it('holds a waiting or paused job on pause until a resume', () => {
    const waiting = apply('waiting', [command('pause')]);
    assert.equal(waiting.decision.kind, 'hold');
    const later = apply('waiting', [], waiting.held);
    assert.equal(later.decision.kind, 'hold');
    const lifted = apply('waiting', [command('resume')], true);
    assert.equal(lifted.decision.kind, 'none');
    assert.equal(lifted.held, false);
    const paused = apply('paused', [command('resume')], true);
    assert.equal(paused.decision.kind, 'resume-now');
  });

  it('cancels out a pause followed by a resume in one batch', () => {
    const result = apply('running', [command('pause'), command('resume')]);
    assert.equal(result.decision.kind, 'none');
    assert.equal(result.held, false);
  });

  it('ignores a second pause while already held', () => {
    const result = apply('paused', [command('pause')], true);
    assert.equal(result.applied[0]?.application.outcome, 'no-effect');
    assert.equal(result.decision.kind, 'hold');
  });

  it('has no effect with resume when nothing is paused', () => {
    for (const point of ['running', 'waiting'] as const) {
      const result = apply(point, [command('resume')]);
      assert.equal(result.decision.kind, 'none');
      assert.equal(result.applied[0]?.application.outcome, 'no-effect');
    }
  });

  it('moves the deadline later on extend, never earlier', () => {
    const later = '2022-06-18T00:00:00Z';
    const result = apply('running', [command('extend', {deadline: later}),
      command('extend', {deadline: '2022-06-17T00:00:00Z'})]);
    assert.equal(result.deadlineMs, Date.parse(later));
    assert.deepEqual(result.applied.map((a) => a.application.outcome),
      ['applied', 'no-effect']);
    assert.equal(result.answer, null, 'the monitor decides with it');
    const waiting = apply('waiting', [command('extend', {deadline: later})]);
    assert.deepEqual(waiting.answer, {decision: 'wait',
      reason: 'deadline-extended', deadline: '2022-06-18T00:00:00.000Z'});
  });

  it('stamps every applied command with the decision time', () => {
    const result = apply('waiting', [command('pause'), command('run-now')]);
    assert.ok(result.applied.every((a) => a.application.atMs === NOW_MS));
    assert.equal(result.decision.kind, 'start-now');
  });

  it('knows an operator hold from applied commands alone', () => {
    const applied = (name: JobCommandName) => ({...command(name),
      status: 'applied' as const,
      application: {atMs: 1, outcome: 'applied' as const, reason: ''}});
    assert.equal(operatorHoldOf([applied('pause')]), true);
    assert.equal(operatorHoldOf([applied('pause'), applied('resume')]), false);
    assert.equal(operatorHoldOf([command('pause')]), false, 'still pending');
  });

  it('takes the latest accepted extend as the deadline in force', () => {
    const records = [
      command('extend', {deadline: '2022-06-18T00:00:00Z'}),
      command('extend', {deadline: '2022-06-25T00:00:00Z',
        status: 'rejected'}),
      command('extend', {deadline: '2022-06-17T00:00:00Z'}),
    ];
    assert.equal(effectiveDeadlineMs(DEADLINE_MS, records),
      Date.parse('2022-06-18T00:00:00Z'));
    assert.equal(effectiveDeadlineMs(DEADLINE_MS, []), DEADLINE_MS);
  });
});
