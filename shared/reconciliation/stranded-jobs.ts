import type {
  DecisionRecord,
  JobSnapshot,
  JobState,
  SegmentRecord,
} from '../jobs/job-snapshot.js';
import type {ReconcileAction} from './reconcile.js';

/**
 * Stranded jobs: a job whose lifecycle execution was lost while it
 * waited for its slot or while it was paused has no training job for
 * adoption to take over, so this part of reconciliation restarts it:
 *
 * - waiting (accepted or planned): a new execution plans again from the
 *   stored request, under the same jobId (optimize-slot keeps the plan
 *   waited on unless a fresh one is better, and sets the job's one budget
 *   reservation rather than adding a second);
 * - paused: a new execution resumes from the last segment's checkpoint
 *   at the pause's resume time, or at once when that has passed.
 *
 * A job that can no longer finish by its deadline, or whose restarted
 * execution was lost again without any progress, is failed with the
 * reason instead. Pure, like {@link reconcile}.
 *
 * A lifecycle that failed on purpose (a function refused its request,
 * say a budget rejection) is not stranded: the refusing function marks
 * the snapshot failed with the reason (see the step handler), so it is
 * left alone. A lifecycle the workflow itself gave up on (no reply, a
 * poll limit) leaves the snapshot as it was and is restarted, which the
 * no-progress rule bounds.
 */

/** What a restart needs to know of a job beyond its snapshot. */
export interface JobTermsView {
  readonly jobId: string;
  /** The deadline in force (extends included); null when unknown. */
  readonly deadlineMs: number | null;
  /** The whole run at full speed; null when unknown. */
  readonly runMs: number | null;
  /** The stored plan's total steps; null without a plan. */
  readonly totalSteps: number | null;
}

/** What {@link strandedJobActions} is given. */
export interface StrandedInput {
  readonly snapshots: readonly JobSnapshot[];
  /** Jobs with a queued or active lifecycle execution. */
  readonly watchedJobIds: ReadonlySet<string>;
  /** Jobs with a training job that has not ended. */
  readonly trainingJobIds: ReadonlySet<string>;
  readonly terms: ReadonlyMap<string, JobTermsView>;
  readonly nowMs: number;
  readonly graceMs: number;
  /** Start-up time before a launched or resumed segment trains. */
  readonly restartOverheadMs: number;
}

/**
 * The decision names a restart leaves on the snapshot; `restart-ended`
 * resumes a segment that ended unwatched (see ended-segments.ts).
 */
export const RESTART_DECISIONS: ReadonlySet<string> =
  new Set(['restart-waiting', 'restart-paused', 'restart-ended']);

/** Restarts a job may have before it is failed instead. */
export const MAX_RESTARTS = 5;

const WAITING_STATES: ReadonlySet<JobState> =
  new Set(['accepted', 'planned']);

/** The restart or failure of every stranded job. */
export function strandedJobActions(input: StrandedInput): ReconcileAction[] {
  const actions: ReconcileAction[] = [];
  for (const snapshot of input.snapshots) {
    const action = repairOf(snapshot, input);
    if (action) actions.push(action);
  }
  return actions;
}

// The repair of one job; null when it is not stranded.
function repairOf(
  snapshot: JobSnapshot,
  input: StrandedInput,
): ReconcileAction | null {
  // Step 1: only a job nobody runs, quiet for the grace period.
  const {jobId, state} = snapshot;
  const paused = state === 'paused';
  if (!paused && !WAITING_STATES.has(state)) return null;
  if (input.watchedJobIds.has(jobId) || input.trainingJobIds.has(jobId)) {
    return null;
  }
  if (input.nowMs - snapshot.updatedAtMs < input.graceMs) return null;
  const fail = (reason: string): ReconcileAction =>
    ({kind: 'fail-stranded', jobId, state, reason});

  // Step 2: a restart that was lost again without progress ends it.
  const restarts = snapshot.decisions.filter((decision) =>
    RESTART_DECISIONS.has(decision.decision));
  const lastRestart = restarts.at(-1);
  if (lastRestart &&
      lastRestart.details['lastSequence'] === snapshot.lastSequence) {
    return fail(`the execution restarted at ` +
      `${iso(lastRestart.atMs)} is gone without any progress (the job is ` +
      `still ${state} at sequence ${snapshot.lastSequence})`);
  }
  if (restarts.length >= MAX_RESTARTS) {
    return fail(`the lifecycle execution was lost ${restarts.length + 1} ` +
      `times; the job is not restarted again`);
  }

  // Step 3: what is left to do, and whether the deadline still allows it.
  const terms = input.terms.get(jobId);
  const segment = snapshot.segments.at(-1);
  if (paused && (!segment || segment.endedAtMs === undefined)) {
    return fail('the job is paused but has no stopped segment to resume ' +
      'from');
  }
  const checkpointStep = segment?.endStep ?? null;
  const remainingMs = remainingWorkMs(terms, paused ? checkpointStep : 0,
    input.restartOverheadMs);
  const deadlineMs = terms?.deadlineMs ?? null;
  const lateBy = (startMs: number) => remainingMs === null ||
    deadlineMs === null ? 0 : startMs + remainingMs - deadlineMs;
  if (lateBy(input.nowMs) > 0) {
    return fail(`its lifecycle execution was lost while ${state}, and ` +
      `the ${hours(remainingMs!)} of work left cannot finish by the ` +
      `deadline ${iso(deadlineMs!)} even if it starts now`);
  }
  const lost = `no lifecycle execution runs job ${jobId}, which is ` +
    `${state} (last sequence ${snapshot.lastSequence})`;
  if (!paused) {
    return {kind: 'restart-waiting', jobId,
      lastSequence: snapshot.lastSequence, reason: lost};
  }

  // Step 4: a paused job resumes when its pause said, or at once when
  // that has passed or would now miss the deadline.
  const plannedMs = plannedResumeMs(snapshot.decisions, segment!);
  let resumeAtMs = plannedMs !== null && plannedMs > input.nowMs
    ? plannedMs : null;
  let when = resumeAtMs === null ? 'resumes at once' :
    `resumes at ${iso(resumeAtMs)}`;
  if (resumeAtMs !== null && lateBy(resumeAtMs) > 0) {
    resumeAtMs = null;
    when = `resumes at once: resuming at ${iso(plannedMs!)} would miss ` +
      `the deadline`;
  }
  return {
    kind: 'restart-paused', jobId,
    trainingJobName: segment!.trainingJobName,
    segmentIndex: segment!.index,
    checkpointStep,
    pausedAtMs: segment!.endedAtMs!,
    resumeAtMs,
    lastSequence: snapshot.lastSequence,
    reason: `${lost}; it ${when} from checkpoint step ` +
      `${checkpointStep ?? 'none'}`,
  };
}

/** Work left from a checkpoint step, start-up included; null: unknown. */
export function remainingWorkMs(
  terms: JobTermsView | undefined,
  checkpointStep: number | null,
  restartOverheadMs: number,
): number | null {
  if (!terms || terms.runMs === null) return null;
  if (checkpointStep === null || checkpointStep === 0) {
    return terms.runMs + restartOverheadMs;
  }
  if (terms.totalSteps === null || terms.totalSteps <= 0) return null;
  const leftFraction = Math.max(0, 1 - checkpointStep / terms.totalSteps);
  return terms.runMs * leftFraction + restartOverheadMs;
}

/**
 * The resume time the pause decision gave (the policy's `resumeAtMs`),
 * from the latest pause decided while the last segment ran; null for an
 * operator pause, which resumes on command, or when none is recorded.
 */
export function plannedResumeMs(
  decisions: readonly DecisionRecord[],
  segment: Pick<SegmentRecord, 'launchedAtMs' | 'endedAtMs'>,
): number | null {
  const endedAtMs = segment.endedAtMs ?? Number.POSITIVE_INFINITY;
  for (let index = decisions.length - 1; index >= 0; index--) {
    const decision = decisions[index]!;
    if (decision.decision !== 'pause') continue;
    if (decision.atMs > endedAtMs) continue;
    if (decision.atMs < segment.launchedAtMs) return null;
    const numbers = decision.details['numbers'] as
      Record<string, unknown> | undefined;
    const resumeAtMs = numbers?.['resumeAtMs'];
    return typeof resumeAtMs === 'number' ? resumeAtMs : null;
  }
  return null;
}

export function iso(instantMs: number): string {
  return new Date(instantMs).toISOString();
}

export function hours(durationMs: number): string {
  return `${(durationMs / 3_600_000).toFixed(2)} h`;
}
