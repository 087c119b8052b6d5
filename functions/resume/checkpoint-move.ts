import type {SegmentRecord} from '../../shared/jobs/job-snapshot.js';
import type {SchedulerDependencies} from '../dependencies.js';

/** One checkpoint brought from one region into another. */
export interface CheckpointMove {
  readonly fromRegionId: string;
  readonly toRegionId: string;
  readonly step: number;
  readonly bytesMoved: number;
}

/**
 * Brings checkpoint `step` from `fromRegionId` into `toRegionId` when the
 * two differ. Null when nothing had to move (same region, or no
 * checkpoint yet) or when the backend cannot move checkpoints (logged).
 */
export async function moveCheckpointIfRegionChanges(
  dependencies: Pick<SchedulerDependencies, 'training' | 'logger'>,
  request: {
    jobId: string;
    fromRegionId: string;
    toRegionId: string;
    step: number | null;
  },
): Promise<CheckpointMove | null> {
  const {fromRegionId, toRegionId, step} = request;
  if (fromRegionId === toRegionId || step === null) return null;
  const training = dependencies.training;
  if (!training.moveCheckpoint) {
    dependencies.logger.log('WARNING',
      'training backend cannot move checkpoints; no transfer recorded',
      {jobId: request.jobId, fromRegionId, toRegionId, step});
    return null;
  }
  const {bytesMoved} = await training.moveCheckpoint(
    {jobId: request.jobId, fromRegionId, toRegionId, step});
  return {fromRegionId, toRegionId, step, bytesMoved};
}

/**
 * Keeps the moves made for a segment on its record: the bytes summed (a
 * copy to a region that then had no capacity was moved all the same),
 * the first source and the last target. Once recorded, never again.
 */
export function recordCheckpointMoves(
  record: SegmentRecord,
  moves: readonly CheckpointMove[],
): boolean {
  const first = moves[0];
  const last = moves.at(-1);
  if (!first || !last || record.checkpointBytesMoved !== undefined) {
    return false;
  }
  record.checkpointBytesMoved = moves
    .reduce((total, move) => total + move.bytesMoved, 0);
  record.checkpointFromRegionId = first.fromRegionId;
  record.checkpointToRegionId = last.toRegionId;
  record.checkpointMovedStep = last.step;
  return true;
}
