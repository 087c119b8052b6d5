import assert from 'node:assert/strict';
import type {JobSnapshot, JobState} from '../../../shared/jobs/job-snapshot.js';
import type {TrainingJobState} from '../../../shared/ports/training-backend.js';
import {
  reconcile,
  type ExecutionState,
  type ExecutionView,
  type ReconcileAction,
  type ReconcileInput,
  type TrainingJobView,
} from '../../../shared/reconciliation/reconcile.js';

const NOW_MS = Date.parse('2022-06-14T12:00:00Z');
const HOUR_MS = 3_600_000;

function snapshot(
  jobId: string,
  state: JobState,
  segments: {index: number; name: string; ended?: boolean}[] = [],
): JobSnapshot {
  return {
    jobId, state, submittedAtMs: NOW_MS - 10 * HOUR_MS,
    updatedAtMs: NOW_MS - HOUR_MS, lastSequence: 5, decisions: [],
    segments: segments.map((s) => ({
      index: s.index, regionId: 'us-east4', trainingJobName: s.name,
      launchedAtMs: NOW_MS - 2 * HOUR_MS,
      ...(s.ended ? {endedAtMs: NOW_MS - HOUR_MS} : {}),
    })),
  };
}

function execution(jobId: string, state: ExecutionState): ExecutionView {
  return {jobId, state, executionName: `executions/${jobId}`};
}

function training(
  jobId: string,
  attempt: number,
  state: TrainingJobState = 'JOB_STATE_RUNNING',
  createdAtMs: number | null = NOW_MS - 2 * HOUR_MS,
): TrainingJobView {
  return {jobId, attempt, name: `${jobId}-s${attempt}`, state, createdAtMs};
}

// The training job an action names, if it names one.
function nameOf(action: ReconcileAction): string | null {
  return 'trainingJobName' in action ? action.trainingJobName : null;
}

function run(input: Partial<ReconcileInput>) {
  return reconcile({snapshots: [], executions: [], trainingJobs: [],
    nowMs: NOW_MS, ...input});
}

describe('reconciling snapshots, executions and training jobs', () => {
  it('does nothing when every running job is watched', () => {
    assert.deepEqual(run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
      executions: [execution('a', 'ACTIVE')],
      trainingJobs: [training('a', 0)],
    }), []);
  });

  it('adopts a running training job whose execution is gone', () => {
    for (const gone of [[], [execution('a', 'FAILED')],
      [execution('a', 'CANCELLED')], [execution('a', 'SUCCEEDED')]]) {
      const actions = run({
        snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
        executions: gone,
        trainingJobs: [training('a', 0)],
      });
      assert.equal(actions.length, 1);
      assert.deepEqual({...actions[0], reason: undefined}, {kind: 'adopt',
        jobId: 'a', trainingJobName: 'a-s0', segmentIndex: 0, adopt: true,
        reason: undefined});
      assert.match(actions[0]!.reason, /no lifecycle execution/);
    }
  });

  it('adopts a segment launched before the snapshot recorded it', () => {
    const actions = run({
      snapshots: [snapshot('a', 'paused', [{index: 0, name: 'a-s0',
        ended: true}])],
      trainingJobs: [training('a', 1), training('a', 0, 'JOB_STATE_CANCELLED')],
    });
    assert.deepEqual(actions.map((a) => [a.kind, nameOf(a)]),
      [['adopt', 'a-s1']]);
  });

  it('treats queued and pending training jobs as running', () => {
    for (const state of ['JOB_STATE_QUEUED', 'JOB_STATE_PENDING',
      'JOB_STATE_PAUSED', 'JOB_STATE_UPDATING'] as const) {
      const actions = run({
        snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
        trainingJobs: [training('a', 0, state)],
      });
      assert.equal(actions[0]?.kind, 'adopt', state);
    }
  });

  it('leaves finished and cancelling training jobs alone', () => {
    for (const state of ['JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED',
      'JOB_STATE_CANCELLED', 'JOB_STATE_CANCELLING', 'JOB_STATE_EXPIRED',
      'JOB_STATE_PARTIALLY_SUCCEEDED'] as const) {
      assert.deepEqual(run({
        snapshots: [snapshot('a', 'completed', [{index: 0, name: 'a-s0'}])],
        trainingJobs: [training('a', 0, state)],
      }), [], state);
    }
  });

  it('checkpoints and cancels a training job without a snapshot', () => {
    const actions = run({trainingJobs: [training('stray', 0)]});
    assert.equal(actions[0]?.kind, 'checkpoint-and-cancel');
    assert.match(actions[0]!.reason, /no snapshot/);
  });

  it('checkpoints and cancels a training job of a finished job', () => {
    for (const state of ['completed', 'failed'] as const) {
      const actions = run({
        snapshots: [snapshot('a', state, [{index: 0, name: 'a-s0'}])],
        trainingJobs: [training('a', 0)],
      });
      assert.equal(actions[0]?.kind, 'checkpoint-and-cancel', state);
      assert.match(actions[0]!.reason, new RegExp(`already ${state}`));
    }
  });

  it('cancels an older segment still running beside a newer one', () => {
    const actions = run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0',
        ended: true}, {index: 1, name: 'a-s1'}])],
      trainingJobs: [training('a', 0), training('a', 1)],
    });
    assert.deepEqual(actions.map((a) => [a.kind, nameOf(a)]), [
      ['checkpoint-and-cancel', 'a-s0'], ['adopt', 'a-s1']]);
  });

  it('cancels an old segment the snapshot has moved past', () => {
    const actions = run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0',
        ended: true}, {index: 1, name: 'a-s1'}])],
      executions: [execution('a', 'FAILED')],
      trainingJobs: [training('a', 0)],
    });
    assert.deepEqual(actions.map((a) => a.kind), ['checkpoint-and-cancel'],
      'no execution is live, so none is failed');
    assert.match(actions[0]!.reason, /at segment 1/);
  });

  it('cancels a training job the snapshot does not know by name', () => {
    const actions = run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'other'}])],
      trainingJobs: [training('a', 0)],
    });
    assert.equal(actions[0]?.kind, 'checkpoint-and-cancel');
  });

  it('fails an execution waiting on a training job that vanished', () => {
    const actions = run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
      executions: [execution('a', 'ACTIVE')],
    });
    assert.deepEqual(actions.map((a) => a.kind), ['fail-execution']);
    assert.match(actions[0]!.reason, /a-s0 \(segment 0\), which no longer/);
  });

  it('leaves an execution alone while its job is paused or waiting', () => {
    for (const state of ['accepted', 'planned', 'paused'] as const) {
      assert.deepEqual(run({
        snapshots: [snapshot('a', state, [{index: 0, name: 'a-s0',
          ended: true}])],
        executions: [execution('a', 'ACTIVE'), execution('b', 'QUEUED')],
      }), [], state);
    }
  });

  it('does not fail an execution whose training job has ended', () => {
    assert.deepEqual(run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
      executions: [execution('a', 'ACTIVE')],
      trainingJobs: [training('a', 0, 'JOB_STATE_SUCCEEDED')],
    }), []);
  });

  it('waits out the grace period after a launch', () => {
    const fresh = snapshot('a', 'running', [{index: 0, name: 'a-s0'}]);
    fresh.segments[0] = {...fresh.segments[0]!, launchedAtMs: NOW_MS - 60_000};
    assert.deepEqual(run({snapshots: [fresh],
      executions: [execution('a', 'ACTIVE')]}), []);
    assert.deepEqual(run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
      trainingJobs: [training('a', 0, 'JOB_STATE_RUNNING', NOW_MS - 60_000)],
    }), []);
    assert.equal(run({
      snapshots: [snapshot('a', 'running', [{index: 0, name: 'a-s0'}])],
      trainingJobs: [training('a', 0, 'JOB_STATE_RUNNING', null)],
    })[0]?.kind, 'adopt', 'an unknown creation time is not fresh');
  });

  it('handles many jobs at once, each on its own', () => {
    const actions = run({
      snapshots: [
        snapshot('watched', 'running', [{index: 0, name: 'watched-s0'}]),
        snapshot('orphan', 'running', [{index: 0, name: 'orphan-s0'}]),
        snapshot('done', 'completed', [{index: 0, name: 'done-s0'}]),
        snapshot('lost', 'running', [{index: 0, name: 'lost-s0'}]),
      ],
      executions: [execution('watched', 'ACTIVE'),
        execution('lost', 'ACTIVE')],
      trainingJobs: [training('watched', 0), training('orphan', 0),
        training('done', 0), training('stray', 3)],
    });
    assert.deepEqual(actions.map((a) => [a.kind, a.jobId]).sort(), [
      ['adopt', 'orphan'], ['checkpoint-and-cancel', 'done'],
      ['checkpoint-and-cancel', 'stray'], ['fail-execution', 'lost']]);
  });
});
