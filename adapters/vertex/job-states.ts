import {TERMINAL_TRAINING_STATES} from '../../shared/ports/training-backend.js';
import type {TrainingJobState} from '../../shared/ports/training-backend.js';

/**
 * Every Vertex AI JobState by name. UNSPECIFIED is read as PENDING: a
 * state the service has not named yet is never taken for terminal.
 * {@link https://cloud.google.com/vertex-ai/docs/reference/rest/v1/JobState}
 */
const STATE_BY_NAME: Readonly<Record<string, TrainingJobState>> = {
  JOB_STATE_UNSPECIFIED: 'JOB_STATE_PENDING',
  JOB_STATE_QUEUED: 'JOB_STATE_QUEUED',
  JOB_STATE_PENDING: 'JOB_STATE_PENDING',
  JOB_STATE_RUNNING: 'JOB_STATE_RUNNING',
  JOB_STATE_SUCCEEDED: 'JOB_STATE_SUCCEEDED',
  JOB_STATE_FAILED: 'JOB_STATE_FAILED',
  JOB_STATE_CANCELLING: 'JOB_STATE_CANCELLING',
  JOB_STATE_CANCELLED: 'JOB_STATE_CANCELLED',
  JOB_STATE_PAUSED: 'JOB_STATE_PAUSED',
  JOB_STATE_EXPIRED: 'JOB_STATE_EXPIRED',
  JOB_STATE_UPDATING: 'JOB_STATE_UPDATING',
  JOB_STATE_PARTIALLY_SUCCEEDED: 'JOB_STATE_PARTIALLY_SUCCEEDED',
};

// The numeric values of the same enum, as a client without enum names
// (or an older proto) reports them.
const STATE_BY_NUMBER: readonly string[] = [
  'JOB_STATE_UNSPECIFIED', 'JOB_STATE_QUEUED', 'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING', 'JOB_STATE_SUCCEEDED', 'JOB_STATE_FAILED',
  'JOB_STATE_CANCELLING', 'JOB_STATE_CANCELLED', 'JOB_STATE_PAUSED',
  'JOB_STATE_EXPIRED', 'JOB_STATE_UPDATING',
  'JOB_STATE_PARTIALLY_SUCCEEDED',
];

/**
 * The product's state for a CustomJob's `state` (a name or a number).
 * Anything unknown is PENDING, never terminal.
 */
export function trainingStateOf(
  state: string | number | null | undefined,
): TrainingJobState {
  const name = typeof state === 'number' ? STATE_BY_NUMBER[state] : state;
  return STATE_BY_NAME[name ?? ''] ?? 'JOB_STATE_PENDING';
}

/**
 * True for SUCCEEDED, FAILED, CANCELLED, EXPIRED, PARTIALLY_SUCCEEDED.
 * CANCELLING, PAUSED, UPDATING, QUEUED, PENDING and RUNNING are not: a
 * job being cancelled may still write checkpoints, and may still end
 * SUCCEEDED.
 */
export function isTerminalState(state: TrainingJobState): boolean {
  return TERMINAL_TRAINING_STATES.has(state);
}

/** How a terminal job ended for the lifecycle. */
export type SegmentOutcome = 'completed' | 'stopped' | 'failed';

/**
 * What a terminal state means: SUCCEEDED is complete even when a cancel
 * was requested (the job won the race), CANCELLED is stopped, the rest
 * failed.
 */
export function outcomeOf(state: TrainingJobState): SegmentOutcome | null {
  if (!isTerminalState(state)) return null;
  if (state === 'JOB_STATE_SUCCEEDED') return 'completed';
  if (state === 'JOB_STATE_CANCELLED') return 'stopped';
  return 'failed';
}
