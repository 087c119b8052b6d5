import assert from 'node:assert/strict';
import type {
  DecisionRecord,
  JobSnapshot,
  JobState,
} from '../../../shared/jobs/job-snapshot.js';
import {
  reconcile,
  type ExecutionView,
  type ReconcileAction,
  type ReconcileInput,
  type TrainingJobView,
} from '../../../shared/reconciliation/reconcile.js';
import {
  plannedResumeMs,
  type JobTermsView,
} from '../../../shared/reconciliation/stranded-jobs.js';

const NOW_MS = Date.parse('2022-06-14T12:00:00Z');
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// A job waiting for its slot, quiet for an hour.
function waiting(
  jobId: string,
  state: JobState = 'planned',
  decisions: DecisionRecord[] = [],
): JobSnapshot {
  return {
    jobId, state, submittedAtMs: NOW_MS - 10 * HOUR_MS,
    updatedAtMs: NOW_MS - HOUR_MS, lastSequence: 7, decisions,
    planPointer: `jobs/${jobId}/plans/plan-000001.json`, segments: [],
  };
}

// A job paused after segment 0 stopped at step 400, 2 h ago; the pause
// decision said to resume at `resumeAtMs`.
function paused(
  jobId: string,
  resumeAtMs: number | null,
  extra: DecisionRecord[] = [],
): JobSnapshot {
  const pausedAtMs = NOW_MS - 2 * HOUR_MS;
  return {
    ...waiting(jobId, 'paused'),
    segments: [{
      index: 0, regionId: 'us-east4', trainingJobName: `${jobId}-s0`,
      launchedAtMs: NOW_MS - 5 * HOUR_MS, endedAtMs: pausedAtMs,
      endState: 'JOB_STATE_CANCELLED', startStep: 0, endStep: 400,
    }],
    decisions: [{
      atMs: pausedAtMs - MINUTE_MS, decision: 'pause', reason: 'dirty',
      details: {numbers: {resumeAtMs}},
    }, ...extra],
  };
}

// 10 h of work, 1000 steps, due `deadlineInHours` from now.
function terms(jobId: string, deadlineInHours: number): JobTermsView {
  return {jobId, deadlineMs: NOW_MS + deadlineInHours * HOUR_MS,
    runMs: 10 * HOUR_MS, totalSteps: 1000};
}

function run(input: Partial<ReconcileInput>): ReconcileAction[] {
  return reconcile({snapshots: [], executions: [], trainingJobs: [],
    nowMs: NOW_MS, restartOverheadMs: 5 * MINUTE_MS, ...input});
}

function only(actions: ReconcileAction[]): ReconcileAction {
  assert.equal(actions.length, 1, JSON.stringify(actions));
  return actions[0]!;
}

const live = (jobId: string): ExecutionView =>
  ({jobId, executionName: `executions/${jobId}`, state: 'ACTIVE'});

const trainingJob = (jobId: string): TrainingJobView =>
  ({jobId, attempt: 1, name: `${jobId}-s1`, state: 'JOB_STATE_RUNNING',
    createdAtMs: NOW_MS - HOUR_MS});

describe('reconciling jobs stranded while waiting or paused', () => {
  it('restarts a waiting job whose execution is gone, keeping its ' +
    'sequence', () => {
    for (const state of ['accepted', 'planned'] as const) {
      const action = only(run({snapshots: [waiting('a', state)],
        terms: [terms('a', 48)]}));
      assert.equal(action.kind, 'restart-waiting', state);
      assert.equal(action.jobId, 'a');
      assert.equal(action.kind === 'restart-waiting' &&
        action.lastSequence, 7);
      assert.match(action.reason, /no lifecycle execution runs job a/);
    }
  });

  it('resumes a paused job at the resume time its pause gave', () => {
    const resumeAtMs = NOW_MS + 3 * HOUR_MS;
    const action = only(run({snapshots: [paused('a', resumeAtMs)],
      terms: [terms('a', 48)]}));
    assert.deepEqual({...action, reason: undefined}, {
      kind: 'restart-paused', jobId: 'a', trainingJobName: 'a-s0',
      segmentIndex: 0, checkpointStep: 400,
      pausedAtMs: NOW_MS - 2 * HOUR_MS, resumeAtMs, lastSequence: 7,
      reason: undefined,
    });
    assert.match(action.reason, /resumes at 2022-06-14T15:00:00.000Z from/);
  });

  it('resumes at once when the resume time has passed or is unknown',
    () => {
      for (const resumeAtMs of [NOW_MS - MINUTE_MS, null]) {
        const action = only(run({snapshots: [paused('a', resumeAtMs)],
          terms: [terms('a', 48)]}));
        assert.equal(action.kind, 'restart-paused');
        assert.equal(action.kind === 'restart-paused' && action.resumeAtMs,
          null, String(resumeAtMs));
        assert.match(action.reason, /resumes at once/);
      }
    });

  it('resumes at once when waiting for the resume time would miss the ' +
    'deadline', () => {
    // 6 h of work and 5 min start-up left; due in 8 h; resume in 3 h.
    const action = only(run({
      snapshots: [paused('a', NOW_MS + 3 * HOUR_MS)],
      terms: [terms('a', 8)]}));
    assert.equal(action.kind, 'restart-paused');
    assert.equal(action.kind === 'restart-paused' && action.resumeAtMs,
      null);
    assert.match(action.reason, /would miss the deadline/);
  });

  it('fails a waiting job that can no longer finish by its deadline',
    () => {
      const action = only(run({snapshots: [waiting('a')],
        terms: [terms('a', 10)]}));
      assert.deepEqual({...action, reason: undefined}, {
        kind: 'fail-stranded', jobId: 'a', state: 'planned',
        reason: undefined});
      assert.match(action.reason,
        /10\.08 h of work left cannot finish by the deadline 2022-06-14T22/);
    });

  it('fails a paused job whose remaining work no longer fits', () => {
    const action = only(run({snapshots: [paused('a', null)],
      terms: [terms('a', 6)]}));
    assert.equal(action.kind, 'fail-stranded');
    assert.match(action.reason, /6\.08 h of work left/);
  });

  it('restarts without a deadline check when the terms are unknown',
    () => {
      assert.equal(only(run({snapshots: [waiting('a')]})).kind,
        'restart-waiting');
      assert.equal(only(run({snapshots: [paused('a', null)],
        terms: [{...terms('a', 1), totalSteps: null}]})).kind,
      'restart-paused');
    });

  it('leaves a job alone while an execution or a training job runs it',
    () => {
      for (const snapshot of [waiting('a'), paused('a', null)]) {
        assert.deepEqual(run({snapshots: [snapshot],
          executions: [live('a')]}), [], snapshot.state);
      }
      // A training job of a paused job is adoption's, not a restart's.
      const actions = run({snapshots: [paused('a', null)],
        trainingJobs: [trainingJob('a')]});
      assert.deepEqual(actions.map((action) => action.kind), ['adopt']);
    });

  it('waits out the grace period after the snapshot last changed', () => {
    const fresh = {...waiting('a'), updatedAtMs: NOW_MS - 5 * MINUTE_MS};
    assert.deepEqual(run({snapshots: [fresh]}), []);
    assert.equal(run({snapshots: [fresh], graceMs: MINUTE_MS})[0]?.kind,
      'restart-waiting');
  });

  it('leaves finished, failed, cancelled and running jobs alone', () => {
    for (const state of ['completed', 'failed', 'cancelled',
      'running'] as const) {
      assert.deepEqual(run({snapshots: [waiting('a', state)],
        terms: [terms('a', 48)]}), [], state);
    }
  });

  it('does not restart twice before the new execution makes progress',
    () => {
      // The restart note of the last poll, at the same sequence.
      const restartNote: DecisionRecord = {
        atMs: NOW_MS - 30 * MINUTE_MS, decision: 'restart-waiting',
        reason: 'lost', details: {lastSequence: 7},
      };
      const justRestarted = {...waiting('a', 'planned', [restartNote]),
        updatedAtMs: NOW_MS - 30 * MINUTE_MS};
      assert.deepEqual(run({snapshots: [justRestarted],
        graceMs: HOUR_MS}), [], 'within the grace period: nothing');
      const action = only(run({snapshots: [justRestarted]}));
      assert.equal(action.kind, 'fail-stranded');
      assert.match(action.reason, /gone without any progress/);
    });

  it('restarts again after the restarted execution made progress', () => {
    const restartNote: DecisionRecord = {
      atMs: NOW_MS - 3 * HOUR_MS, decision: 'restart-paused',
      reason: 'lost', details: {lastSequence: 3},
    };
    const action = only(run({
      snapshots: [paused('a', null, [restartNote])],
      terms: [terms('a', 48)]}));
    assert.equal(action.kind, 'restart-paused');
  });

  it('fails a job whose execution was lost too often', () => {
    const notes = [1, 2, 3, 4, 5].map((sequence): DecisionRecord => ({
      atMs: NOW_MS - (10 - sequence) * HOUR_MS, decision: 'restart-waiting',
      reason: 'lost', details: {lastSequence: sequence},
    }));
    const action = only(run({snapshots: [waiting('a', 'planned', notes)]}));
    assert.equal(action.kind, 'fail-stranded');
    assert.match(action.reason, /lost 6 times/);
  });

  it('fails a paused job without a stopped segment', () => {
    const broken = {...paused('a', null), segments: []};
    const action = only(run({snapshots: [broken]}));
    assert.equal(action.kind, 'fail-stranded');
    assert.match(action.reason, /no stopped segment/);
  });

  it('takes the resume time from the pause of the last segment only',
    () => {
      const segment = {launchedAtMs: NOW_MS - 5 * HOUR_MS,
        endedAtMs: NOW_MS - 2 * HOUR_MS};
      const pause = (atMs: number, resumeAtMs: unknown): DecisionRecord =>
        ({atMs, decision: 'pause', reason: 'dirty',
          details: {numbers: {resumeAtMs}}});
      assert.equal(plannedResumeMs([pause(NOW_MS - 6 * HOUR_MS, NOW_MS)],
        segment), null, 'a pause of an earlier segment');
      assert.equal(plannedResumeMs([pause(NOW_MS - 3 * HOUR_MS, NOW_MS),
        pause(NOW_MS - HOUR_MS, NOW_MS + HOUR_MS)], segment), NOW_MS);
      const operatorPause: DecisionRecord = {atMs: NOW_MS - 3 * HOUR_MS,
        decision: 'pause', reason: 'operator-commands',
        details: {point: 'running', commands: []}};
      assert.equal(plannedResumeMs([operatorPause], segment), null);
    });

  it('handles several stranded jobs, each on its own', () => {
    const actions = run({
      snapshots: [waiting('w'), paused('p', null), waiting('late'),
        waiting('watched')],
      executions: [live('watched')],
      terms: [terms('w', 48), terms('p', 48), terms('late', 2)],
    });
    assert.deepEqual(actions.map((action) => [action.kind, action.jobId]), [
      ['restart-waiting', 'w'], ['restart-paused', 'p'],
      ['fail-stranded', 'late']]);
  });
});
