import type {Logger} from '../../shared/ports/logger.js';
import {TERMINAL_TRAINING_STATES} from
  '../../shared/ports/training-backend.js';
import type {
  TrainingBackend,
  TrainingSegmentStatus,
} from '../../shared/ports/training-backend.js';

/** Where a paused segment stopped, and what it left to resume from. */
export interface StoppedSegment {
  /** The complete checkpoint the next segment resumes from. */
  readonly checkpointStep: number;
  /** The segment's status once it has stopped. */
  readonly status: TrainingSegmentStatus;
  /**
   * True when the segment ended before it confirmed its pause checkpoint
   * (killed while writing it, preempted): whatever it wrote of that
   * checkpoint is torn and is passed over.
   */
  readonly interrupted: boolean;
}

/**
 * Pauses a segment. When the pause fails because the segment has ended
 * without confirming its checkpoint, the pause settles on the highest
 * complete checkpoint the segment left (the container contract: data,
 * then manifest; resume takes the highest complete step), never on the
 * torn one. A segment that is still running after a failed pause keeps
 * the error, so the request is retried and nothing is lost.
 *
 * @throws the pause's error while the segment has not ended
 */
export async function stopSegment(
  training: TrainingBackend,
  logger: Logger,
  name: string,
): Promise<StoppedSegment> {
  let checkpointStep: number;
  try {
    ({checkpointStep} = await training.pause(name));
  } catch (error) {
    const status = await training.describe(name);
    if (!TERMINAL_TRAINING_STATES.has(status.state)) throw error;

    // Without any complete checkpoint the next segment starts at step 0.
    const settledStep = status.lastCheckpointStep ?? 0;
    logger.log('WARNING', 'segment ended during its pause checkpoint; ' +
      'resuming from the highest complete checkpoint', {
      trainingJobName: name,
      state: status.state,
      reachedStep: status.step,
      checkpointStep: settledStep,
      error: error instanceof Error ? error.message : String(error),
    });
    return {checkpointStep: settledStep, status, interrupted: true};
  }
  const status = await training.describe(name);
  return {checkpointStep, status, interrupted: false};
}
