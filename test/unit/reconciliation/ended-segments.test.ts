import assert from 'node:assert/strict';
import type {
  DecisionRecord,
  JobSnapshot,
} from '../../../shared/jobs/job-snapshot.js';
import type {TrainingJobState} from
  '../../../shared/ports/training-backend.js';
import {
  reconcile,
  type EndedTrainingView,
  type ReconcileAction,
  type ReconcileInput,
  type TrainingJobView,
} from '../../../shared/reconciliation/reconcile.js';
import type {JobTermsView} from
  '../../../shared/reconciliation/stranded-jobs.js';

const NOW_MS = Date.parse('2022-06-14T12:00:00Z');
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

// A job running segment 1 on its snapshot, last updated an hour ago.
function running(
  jobId: string,
  decisions: DecisionRecord[] = [],
): JobSnapshot {
  return {
    jobId, state: 'running', submittedAtMs: NOW_MS - 10 * HOUR_MS,
    updatedAtMs: NOW_MS - HOUR_MS, lastSequence: 12, decisions,
    planPointer: `jobs/${jobId}/plans/plan-000001.json`,
    segments: [
      {index: 0, regionId: 'us-east4', trainingJobName: `${jobId}-s0`,
        launchedAtMs: NOW_MS - 8 * HOUR_MS, endedAtMs: NOW_MS - 6 * HOUR_MS,
        endState: 'JOB_STATE_CANCELLED', startStep: 0, endStep: 400},
      {index: 1, regionId: 'us-east4', trainingJobName: `${jobId}-s1`,
        launchedAtMs: NOW_MS - 5 * HOUR_MS, startStep: 400},
    ],
  };
}

// Segment 1 ended 40 minutes ago, as the backend describes it.
function ended(
  jobId: string,
  state: TrainingJobState,
  view: Partial<EndedTrainingView> = {},
): TrainingJobView {
  return {jobId, attempt: 1, name: `${jobId}-s1`, state,
    createdAtMs: NOW_MS - 5 * HOUR_MS,
    ended: {step: 1000, lastCheckpointStep: 1000,
      endedAtMs: NOW_MS - 40 * MINUTE_MS, ...view}};
}

// 10 h of work, 1000 steps, due `deadlineInHours` from now.
function terms(jobId: string, deadlineInHours: number): JobTermsView {
  return {jobId, deadlineMs: NOW_MS + deadlineInHours * HOUR_MS,
    runMs: 10 * HOUR_MS, totalSteps: 1000};
}

function run(input: Partial<ReconcileInput>): ReconcileAction[] {
  return reconcile({snapshots: [], executions: [], trainingJobs: [],
    nowMs: NOW_MS, restartOverheadMs: 5 * MINUTE_MS,
    terms: [terms('a', 24)], ...input});
}

function only(actions: ReconcileAction[]): ReconcileAction {
  assert.equal(actions.length, 1, JSON.stringify(actions));
  return actions[0]!;
}

describe('repairing a running job whose training job ended unwatched',
  () => {
    it('records the footprint when the segment succeeded with the work ' +
      'done', () => {
      const action = only(run({snapshots: [running('a')],
        trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED')]}));
      assert.equal(action.kind, 'restart-record');
      assert.deepEqual(
        action.kind === 'restart-record' && {
          trainingJobName: action.trainingJobName,
          segmentIndex: action.segmentIndex, endStep: action.endStep,
          endedAtMs: action.endedAtMs, lastSequence: action.lastSequence},
        {trainingJobName: 'a-s1', segmentIndex: 1, endStep: 1000,
          endedAtMs: NOW_MS - 40 * MINUTE_MS, lastSequence: 12});
      assert.match(action.reason, /ended JOB_STATE_SUCCEEDED at step 1000/);
      assert.match(action.reason, /work is complete/);
    });

    it('records the footprint of a job whose operator cancel was applied',
      () => {
        const snapshot = {...running('a'), cancellation: {
          commandId: 'c-1', atMs: NOW_MS - 2 * HOUR_MS, requestedBy: null,
          checkpointFirst: false}};
        const action = only(run({snapshots: [snapshot], trainingJobs: [
          ended('a', 'JOB_STATE_CANCELLED', {step: 700})]}));
        assert.equal(action.kind, 'restart-record');
        assert.match(action.reason, /operator cancel was applied/);
      });

    it('resumes from the checkpoint a segment that failed or was ' +
      'cancelled', () => {
      for (const state of ['JOB_STATE_FAILED', 'JOB_STATE_CANCELLED',
        'JOB_STATE_EXPIRED'] as const) {
        const action = only(run({snapshots: [running('a')],
          trainingJobs: [ended('a', state,
            {step: 730, lastCheckpointStep: 700})]}));
        assert.equal(action.kind, 'restart-ended', state);
        assert.equal(action.kind === 'restart-ended' &&
          action.checkpointStep, 700);
        assert.equal(action.kind === 'restart-ended' && action.endStep,
          700, 'the segment ends at the step the next one resumes from');
        assert.match(action.reason, /resumes at once from checkpoint step 700/);
      }
    });

    it('resumes a segment that succeeded short of the total steps', () => {
      const action = only(run({snapshots: [running('a')],
        trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED',
          {step: 600, lastCheckpointStep: 600})]}));
      assert.equal(action.kind, 'restart-ended');
      assert.match(action.reason, /short of its 1000 steps/);
    });

    it('fails a job whose segment left no checkpoint to resume from', () => {
      for (const lastCheckpointStep of [null, 0]) {
        const action = only(run({snapshots: [running('a')],
          trainingJobs: [ended('a', 'JOB_STATE_FAILED',
            {step: 120, lastCheckpointStep})]}));
        assert.equal(action.kind, 'fail-ended');
        assert.match(action.reason, /left no checkpoint to resume from/);
      }
    });

    it('fails a job whose work left cannot finish by the deadline', () => {
      // 3 h of work left from step 700, 2 h to the deadline.
      const action = only(run({snapshots: [running('a')],
        terms: [terms('a', 2)],
        trainingJobs: [ended('a', 'JOB_STATE_FAILED',
          {step: 730, lastCheckpointStep: 700})]}));
      assert.equal(action.kind, 'fail-ended');
      assert.match(action.reason, new RegExp('3\\.08 h of work left ' +
        'from checkpoint step 700 cannot finish by the deadline'));
    });

    it('leaves it alone while an execution watches the job', () => {
      assert.deepEqual(run({snapshots: [running('a')],
        executions: [{jobId: 'a', executionName: 'e', state: 'ACTIVE'}],
        trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED')]}), []);
    });

    it('waits out the grace period of the snapshot and of the end', () => {
      const fresh = {...running('a'), updatedAtMs: NOW_MS - 5 * MINUTE_MS};
      assert.deepEqual(run({snapshots: [fresh],
        trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED')]}), []);
      assert.deepEqual(run({snapshots: [running('a')],
        trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED',
          {endedAtMs: NOW_MS - 5 * MINUTE_MS})]}), []);
    });

    it('waits for a training job that is still running or undescribed', () => {
      const {ended: _, ...undescribed} = ended('a', 'JOB_STATE_SUCCEEDED');
      assert.deepEqual(run({snapshots: [running('a')],
        trainingJobs: [undescribed]}), []);
      const actions = run({snapshots: [running('a')],
        trainingJobs: [{...undescribed, state: 'JOB_STATE_RUNNING'}]});
      assert.deepEqual(actions.map((action) => action.kind), ['adopt']);
    });

    it('leaves a job alone whose snapshot is not running', () => {
      for (const state of ['completed', 'failed', 'paused'] as const) {
        const actions = run({snapshots: [{...running('a'), state}],
          trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED')]});
        assert.equal(actions.some((action) => action.kind.endsWith('-ended') ||
          action.kind === 'restart-record'), false, state);
      }
    });

    it('fails a job whose footprint restart was lost without progress',
      () => {
        const noted: DecisionRecord = {atMs: NOW_MS - HOUR_MS,
          decision: 'restart-record', reason: 'ended unwatched',
          details: {lastSequence: 12, afterSequence: 13}};
        const action = only(run({snapshots: [running('a', [noted])],
          trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED')]}));
        assert.equal(action.kind, 'fail-ended');
        assert.match(action.reason, /to record its footprint is gone/);
        const progressed = {...running('a', [noted]), lastSequence: 14};
        assert.equal(only(run({snapshots: [progressed],
          trainingJobs: [ended('a', 'JOB_STATE_SUCCEEDED')]})).kind,
        'restart-record');
      });

    it('fails a job restarted too often', () => {
      const restarts: DecisionRecord[] = Array.from({length: 5},
        (_, index) => ({atMs: NOW_MS - (10 - index) * HOUR_MS,
          decision: 'restart-paused', reason: 'lost',
          details: {lastSequence: index}}));
      const action = only(run({snapshots: [running('a', restarts)],
        trainingJobs: [ended('a', 'JOB_STATE_FAILED',
          {lastCheckpointStep: 700})]}));
      assert.equal(action.kind, 'fail-ended');
      assert.match(action.reason, /restarted 5 times/);
    });
  });
