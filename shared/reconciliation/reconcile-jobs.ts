import {
  jobKeys,
  readSnapshot,
  writeSnapshot,
  type JobSnapshot,
} from '../jobs/job-snapshot.js';
import {readJson, type BlobStore} from '../ports/blob-store.js';
import type {
  LifecycleArguments,
  LifecycleStarter,
} from '../ports/lifecycle-starter.js';
import type {Logger} from '../ports/logger.js';
import type {MessagePublisher} from '../ports/message-publisher.js';
import {
  TERMINAL_TRAINING_STATES,
  type TrainingBackend,
} from '../ports/training-backend.js';
import type {Clock} from '../time/clock.js';
import {readJobTerms} from './job-terms.js';
import {
  LIVE_EXECUTION_STATES,
  reconcile,
  type ReconcileAction,
  type TrainingJobView,
} from './reconcile.js';
import {repairEnded} from './repair-ended.js';
import {repairStranded} from './restart-stranded.js';

/** What carrying out reconciliation needs. */
export interface ReconcileJobsPorts {
  readonly blobs: BlobStore;
  readonly publisher: MessagePublisher;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly training: TrainingBackend;
  readonly lifecycle: LifecycleStarter;
  /** The project whose topics an adopting execution publishes to. */
  readonly projectId: string;
  readonly pollSeconds: number;
  /** Passed to {@link reconcile}; ten minutes by default. */
  readonly graceMs?: number;
}

/** What one reconciliation did. */
export type ReconcileJobsSummary =
  | {readonly available: false; readonly missing: string[]}
  | {
    readonly available: true;
    readonly actions: ReconcileAction[];
    /** Actions that could not be carried out; the next poll retries. */
    readonly failures: {action: ReconcileAction; message: string}[];
  };

/** The job-events name of each action. */
const EVENT_OF_ACTION: Record<ReconcileAction['kind'], string> = {
  'adopt': 'adopted',
  'checkpoint-and-cancel': 'checkpointed-and-cancelled',
  'fail-execution': 'execution-failed',
  'restart-waiting': 'restarted-waiting',
  'restart-paused': 'restarted-paused',
  'fail-stranded': 'stranded-failed',
  'restart-record': 'restarted-record',
  'restart-ended': 'restarted-ended',
  'fail-ended': 'ended-failed',
};

// Snapshot states a lost execution can leave with nothing running.
const STRANDABLE_STATES: ReadonlySet<string> =
  new Set(['accepted', 'planned', 'paused']);

const SNAPSHOT_KEY = /^jobs\/([^/]+)\/snapshot\.json$/;
const REPLAN_IF_WAIT_OVER_SECONDS = 6 * 3600;

/**
 * Lists job snapshots, live lifecycle executions and labelled training
 * jobs, asks {@link reconcile} what to repair, and repairs it through the
 * ports, announcing each action on `job-events`. Without the optional
 * listing methods of the ports it does nothing and says so. One action
 * failing does not stop the others; it is logged and tried again on the
 * next poll.
 */
export async function reconcileJobs(
  ports: ReconcileJobsPorts,
): Promise<ReconcileJobsSummary> {
  const {lifecycle, training, logger} = ports;

  // Step 1: both listings must exist, or nothing can be compared.
  const missing = [
    ...(lifecycle.listLive ? [] : ['LifecycleStarter.listLive']),
    ...(training.listLabelled ? [] : ['TrainingBackend.listLabelled']),
  ];
  if (!lifecycle.listLive || !training.listLabelled) {
    logger.log('WARNING', 'reconciliation unavailable', {missing});
    return {available: false, missing};
  }

  // Step 2: the three views.
  const snapshots = await listSnapshots(ports.blobs);
  const executions = await lifecycle.listLive();
  const listed: TrainingJobView[] = (await training.listLabelled())
    .map((job) => ({
      jobId: job.jobId,
      attempt: job.segmentIndex,
      name: job.trainingJobName,
      state: job.state,
      createdAtMs: job.createdAtMs ?? null,
    }));
  const watched = new Set(executions
    .filter((execution) => LIVE_EXECUTION_STATES.has(execution.state))
    .map((execution) => execution.jobId));
  const unwatchedRunning = snapshots.filter((snapshot) =>
    snapshot.state === 'running' && !watched.has(snapshot.jobId));
  const trainingJobs = await describeEnded(ports, listed, unwatchedRunning);
  const terms = await Promise.all(snapshots
    .filter((snapshot) => STRANDABLE_STATES.has(snapshot.state) ||
      unwatchedRunning.includes(snapshot))
    .map((snapshot) => readJobTerms(ports.blobs, snapshot)));
  const actions = reconcile({
    snapshots, executions, trainingJobs, nowMs: ports.clock.nowMs(),
    terms, restartOverheadMs: training.restartOverheadMs,
    ...(ports.graceMs === undefined ? {} : {graceMs: ports.graceMs}),
  });

  // Step 3: each repair, then its announcement.
  const bySnapshot = new Map(snapshots.map((s) => [s.jobId, s]));
  const failures: {action: ReconcileAction; message: string}[] = [];
  for (const action of actions) {
    try {
      const details = await carryOut(ports, action,
        bySnapshot.get(action.jobId));
      await announce(ports, action, details);
      logger.log('NOTICE', 'reconciliation action done',
        {...action, ...details});
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      failures.push({action, message});
      logger.log('ERROR', 'reconciliation action failed',
        {...action, error: message});
    }
  }
  return {available: true, actions, failures};
}

// The listing, with the ended current segment of each running job
// nobody watches described: where it stopped and what it left. One that
// cannot be described is left as listed; the next poll tries again.
async function describeEnded(
  ports: ReconcileJobsPorts,
  listed: TrainingJobView[],
  unwatchedRunning: readonly JobSnapshot[],
): Promise<TrainingJobView[]> {
  const current = new Set(unwatchedRunning.flatMap((snapshot) => {
    const name = snapshot.segments.at(-1)?.trainingJobName;
    return name === undefined ? [] : [name];
  }));
  return Promise.all(listed.map(async (job) => {
    if (!current.has(job.name) || !TERMINAL_TRAINING_STATES.has(job.state)) {
      return job;
    }
    try {
      const status = await ports.training.describe(job.name);
      return {...job, state: status.state, ended: {
        step: status.step,
        lastCheckpointStep: status.lastCheckpointStep,
        endedAtMs: status.endTimeMs,
      }};
    } catch (error) {
      ports.logger.log('WARNING', 'ended training job not described', {
        jobId: job.jobId, trainingJobName: job.name,
        error: error instanceof Error ? error.message : String(error),
      });
      return job;
    }
  }));
}

// Every job snapshot in the blob store.
async function listSnapshots(blobs: BlobStore): Promise<JobSnapshot[]> {
  const snapshots: JobSnapshot[] = [];
  for (const key of await blobs.list('jobs/')) {
    const match = SNAPSHOT_KEY.exec(key);
    if (!match) continue;
    const snapshot = await readSnapshot(blobs, match[1]!);
    if (snapshot) snapshots.push(snapshot);
  }
  return snapshots;
}

// Does what the action says; returns what the announcement adds.
async function carryOut(
  ports: ReconcileJobsPorts,
  action: ReconcileAction,
  snapshot: JobSnapshot | undefined,
): Promise<Record<string, unknown>> {
  switch (action.kind) {
  case 'adopt': {
    const execution = await ports.lifecycle.start({
      ...await baseArguments(ports, action.jobId),
      adopt: {
        trainingJobName: action.trainingJobName,
        segmentIndex: action.segmentIndex,
        lastSequence: snapshot?.lastSequence ?? 0,
      },
    });
    return {executionName: execution.executionName};
  }
  case 'checkpoint-and-cancel': {
    let checkpointStep: number | null = null;
    let checkpointProblem: string | null = null;
    try {
      ({checkpointStep} = await ports.training.pause(action.trainingJobName));
    } catch (error) {
      // No checkpoint is no reason to leave the GPU running.
      checkpointProblem =
        error instanceof Error ? error.message : String(error);
    }
    await ports.training.cancel(action.trainingJobName);
    return {checkpointStep, checkpointProblem};
  }
  case 'fail-execution': {
    const current = await readSnapshot(ports.blobs, action.jobId);
    if (current) {
      const nowMs = ports.clock.nowMs();
      current.state = 'failed';
      current.failureReason = action.reason;
      current.updatedAtMs = nowMs;
      current.decisions.push({
        atMs: nowMs,
        decision: 'fail-execution',
        reason: action.reason,
        details: {
          executionName: action.executionName,
          trainingJobName: action.trainingJobName,
        },
      });
      await writeSnapshot(ports.blobs, current);
    }
    return {executionName: action.executionName};
  }
  case 'restart-waiting':
  case 'restart-paused':
  case 'fail-stranded':
    return repairStranded(ports, action,
      await baseArguments(ports, action.jobId));
  case 'restart-record':
  case 'restart-ended':
  case 'fail-ended':
    return repairEnded(ports, action,
      await baseArguments(ports, action.jobId));
  }
}

// What every execution of a job starts with, as ingest-job gives it.
async function baseArguments(
  ports: ReconcileJobsPorts,
  jobId: string,
): Promise<Omit<LifecycleArguments, 'adopt' | 'restart'>> {
  return {
    jobId,
    project: ports.projectId,
    pollSeconds: ports.pollSeconds,
    maxMonitorPolls: await monitorPollsToDeadline(ports, jobId),
    replanIfWaitOverSeconds: REPLAN_IF_WAIT_OVER_SECONDS,
  };
}

// Monitor polls an adopting or restarted execution may make: up to the
// deadline and ten more, as the first execution was given.
async function monitorPollsToDeadline(
  ports: ReconcileJobsPorts,
  jobId: string,
): Promise<number> {
  const request = await readJson<{constraints?: {deadline?: string}}>(
    ports.blobs, jobKeys.request(jobId));
  const deadlineMs = Date.parse(request?.constraints?.deadline ?? '');
  const remainingSeconds = Number.isNaN(deadlineMs)
    ? 0
    : Math.max(0, (deadlineMs - ports.clock.nowMs()) / 1000);
  return Math.ceil(remainingSeconds / ports.pollSeconds) + 10;
}

async function announce(
  ports: ReconcileJobsPorts,
  action: ReconcileAction,
  details: Record<string, unknown>,
): Promise<void> {
  const event = EVENT_OF_ACTION[action.kind];
  await ports.publisher.publish('job-events', {
    jobId: action.jobId,
    event,
    atMs: ports.clock.nowMs(),
    ...('trainingJobName' in action
      ? {trainingJobName: action.trainingJobName} : {}),
    reason: action.reason,
    ...details,
  }, {jobId: action.jobId, event});
}
