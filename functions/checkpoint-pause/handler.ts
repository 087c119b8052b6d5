import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../shared/errors.js';
import {writeSnapshot} from '../../shared/jobs/job-snapshot.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadSnapshot} from '../fetch-forecasts/handler.js';
import {stopSegment} from './stop-segment.js';

/**
 * checkpoint-pause: asks the running segment to checkpoint, waits until
 * the job is really stopped (CANCELLING is not stopped), and records
 * where it stopped and the complete checkpoint it resumes from. A segment
 * that dies during its pause checkpoint leaves it torn: the pause then
 * settles on the highest complete one. A duplicate finds the segment
 * already paused.
 */
export function createCheckpointPause(dependencies: SchedulerDependencies) {
  return createStepHandler('checkpoint-pause', dependencies, async (envelope) => {
    const name = String(envelope.payload.trainingJobName ?? '');
    const snapshot = await loadSnapshot(dependencies, envelope.jobId);
    const segment = snapshot.segments.find((s) => s.trainingJobName === name);
    if (!segment) {
      throw new SchedulerError(
        'unknown-segment',
        `job ${envelope.jobId} has no segment named "${name}"`,
      );
    }

    const {checkpointStep, status, interrupted} = await stopSegment(
      dependencies.training, dependencies.logger, name);
    segment.endedAtMs = status.endTimeMs ?? dependencies.clock.nowMs();
    segment.endState = status.state;
    segment.endStep = checkpointStep;

    // A job that succeeded while being stopped is complete, not paused:
    // the next monitor poll reports it so.
    const finished = status.state === 'JOB_STATE_SUCCEEDED';
    if (!finished) snapshot.state = 'paused';
    snapshot.updatedAtMs = dependencies.clock.nowMs();
    await writeSnapshot(dependencies.blobs, snapshot);
    dependencies.logger.log('NOTICE', finished
      ? 'training finished while pausing'
      : 'training paused after a checkpoint', {
      jobId: envelope.jobId,
      requestId: envelope.requestId,
      trainingJobName: name,
      checkpointStep,
      interrupted,
      progress: true,
    });
    return {kind: 'reply', result: {checkpointStep, state: status.state,
      finished, interrupted}};
  });
}
