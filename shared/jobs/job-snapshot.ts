import type {BlobStore} from '../ports/blob-store.js';
import {readJson} from '../ports/blob-store.js';

/** Where a job is in its life. */
export const JOB_STATES = [
  'accepted',
  'planned',
  'running',
  'paused',
  'completed',
  'failed',
  'cancelled',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One run of the job: from a launch or resume until it stopped. */
export interface SegmentRecord {
  readonly index: number;
  readonly regionId: string;
  readonly trainingJobName: string;
  readonly launchedAtMs: number;
  /** When the first step ran (after provisioning), once known. */
  startedAtMs?: number;
  /** When the segment stopped (paused, finished or failed), once known. */
  endedAtMs?: number;
  endState?: string;
  /**
   * True when the segment ended because its Spot VM was reclaimed: not a
   * failure of the job, and not a pause (maxPauses does not count it).
   */
  preempted?: boolean;
  startStep?: number;
  endStep?: number;
  /**
   * Bytes moved to bring the checkpoint from the previous segment's
   * region into this one; absent when the region did not change.
   */
  checkpointBytesMoved?: number;
  /** The region the checkpoint came from, with checkpointBytesMoved. */
  checkpointFromRegionId?: string;
  /** The region it was moved to (this segment's), likewise. */
  checkpointToRegionId?: string;
  /** The checkpoint step that was moved, likewise. */
  checkpointMovedStep?: number;
}

/** A monitor decision, kept with the numbers that led to it. */
export interface DecisionRecord {
  readonly atMs: number;
  readonly decision: string;
  readonly reason: string;
  readonly details: Record<string, unknown>;
}

/**
 * A job's state as a blob, written at each transition so an operator, a
 * report or the reconciler can read it without the workflow.
 */
export interface JobSnapshot {
  readonly jobId: string;
  state: JobState;
  readonly submittedAtMs: number;
  updatedAtMs: number;
  /** The highest request sequence applied; older requests are stale. */
  lastSequence: number;
  planPointer?: string;
  segments: SegmentRecord[];
  decisions: DecisionRecord[];
  failureReason?: string;
  /** The pause policy's memory between polls (streaks, dwell). */
  policyMemory?: Record<string, unknown>;
  /** The operator cancel that ended the job, once one was applied. */
  cancellation?: CancellationRecord;
}

/** An applied operator cancel, kept on the snapshot. */
export interface CancellationRecord {
  readonly commandId: string;
  readonly atMs: number;
  /** Who asked, as the publisher declared it; null when nobody said. */
  readonly requestedBy: string | null;
  /** Whether the running segment was checkpointed before it stopped. */
  readonly checkpointFirst: boolean;
}

/**
 * The state a job ends in once its footprint is recorded: cancelled when
 * an operator cancel was applied, completed otherwise.
 */
export function finishedStateOf(
  snapshot: JobSnapshot,
): 'completed' | 'cancelled' {
  return snapshot.cancellation ? 'cancelled' : 'completed';
}

/** Blob keys of one job. */
export const jobKeys = {
  request: (jobId: string) => `jobs/${jobId}/request.json`,
  snapshot: (jobId: string) => `jobs/${jobId}/snapshot.json`,
  plan: (jobId: string, sequence: number) =>
    `jobs/${jobId}/plans/plan-${String(sequence).padStart(6, '0')}.json`,
  forecasts: (jobId: string, sequence: number) =>
    `jobs/${jobId}/forecasts/forecasts-${String(sequence).padStart(6, '0')}.json`,
  trainingDirectory: (jobId: string) => `jobs/${jobId}/training`,
};

/** Reads a job's snapshot; a typed error when the job is unknown. */
export async function readSnapshot(
  blobs: BlobStore,
  jobId: string,
): Promise<JobSnapshot | undefined> {
  return readJson<JobSnapshot>(blobs, jobKeys.snapshot(jobId));
}

/** Writes a job's snapshot atomically. */
export async function writeSnapshot(
  blobs: BlobStore,
  snapshot: JobSnapshot,
): Promise<void> {
  await blobs.write(
    jobKeys.snapshot(snapshot.jobId),
    JSON.stringify(snapshot, null, 2),
  );
}
