import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../shared/errors.js';
import {writeSnapshot} from '../../shared/jobs/job-snapshot.js';
import {TERMINAL_TRAINING_STATES} from '../../shared/ports/training-backend.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadJobRequest, loadSnapshot} from '../fetch-forecasts/handler.js';
import {loadPlan} from '../launch-training/handler.js';
import {launchSegment} from '../launch-training/launch-segment.js';
import {
  moveCheckpointIfRegionChanges,
  recordCheckpointMoves,
  type CheckpointMove,
} from './checkpoint-move.js';

/**
 * resume: launches the next segment, which restores the highest-step
 * checkpoint of the job's directory and keeps the total step budget. It
 * runs where the monitor's pause decision said (by default where the job
 * paused). In another region, the checkpoint is first brought there and
 * the bytes moved are kept on the new segment's record for the footprint.
 */
export function createResume(dependencies: SchedulerDependencies) {
  return createStepHandler('resume', dependencies, async (envelope) => {
    const job = await loadJobRequest(dependencies, envelope.jobId);
    const snapshot = await loadSnapshot(dependencies, envelope.jobId);
    const plan = await loadPlan(dependencies, snapshot.planPointer);
    const segmentIndex = Number(envelope.payload.segmentIndex);
    const previous = snapshot.segments.at(-1);
    const regionId = String(
      envelope.payload.regionId ?? previous?.regionId ?? plan.segments[0]!.regionId,
    );

    // Never start the next segment while the last one may still write.
    let checkpointStep: number | null = null;
    if (previous) {
      const last = await dependencies.training.describe(
        previous.trainingJobName);
      if (!TERMINAL_TRAINING_STATES.has(last.state)) {
        throw new SchedulerError(
          'previous-segment-still-stopping',
          `${previous.trainingJobName} is ${last.state}; resume waits ` +
            'until it is terminal',
          {retryable: true},
        );
      }
      checkpointStep = last.lastCheckpointStep;
    }

    // In another region the checkpoint must be there before the restore.
    const alreadyMoved = snapshot.segments.some((segment) =>
      segment.index === segmentIndex &&
      segment.checkpointBytesMoved !== undefined);
    const moves: CheckpointMove[] = [];
    const moveInto = async (toRegionId: string) => {
      if (!previous || alreadyMoved) return;
      const move = await moveCheckpointIfRegionChanges(dependencies, {
        jobId: envelope.jobId, fromRegionId: previous.regionId,
        toRegionId, step: checkpointStep});
      if (move) moves.push(move);
    };
    await moveInto(regionId);

    const name = await launchSegment(dependencies, {
      job, plan, snapshot, segmentIndex, regionId,
      ...(previous?.endStep === undefined ? {} : {startStep: previous.endStep}),
    });

    // A capacity fallback may have launched it in yet another region.
    const record = snapshot.segments.find((segment) =>
      segment.trainingJobName === name);
    if (record && record.regionId !== regionId) {
      await moveInto(record.regionId);
    }
    if (record && recordCheckpointMoves(record, moves)) {
      snapshot.updatedAtMs = dependencies.clock.nowMs();
      await writeSnapshot(dependencies.blobs, snapshot);
    }
    dependencies.logger.log('NOTICE', 'training resumed', {
      jobId: envelope.jobId,
      requestId: envelope.requestId,
      trainingJobName: name,
      regionId,
      fromStep: previous?.endStep,
      checkpointBytesMoved: record?.checkpointBytesMoved,
      progress: true,
    });
    return {kind: 'reply', result: {trainingJobName: name, regionId}};
  });
}
