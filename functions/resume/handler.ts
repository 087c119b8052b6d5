import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../shared/errors.js';
import {TERMINAL_TRAINING_STATES} from '../../shared/ports/training-backend.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadJobRequest, loadSnapshot} from '../fetch-forecasts/handler.js';
import {loadPlan} from '../launch-training/handler.js';
import {launchSegment} from '../launch-training/launch-segment.js';

/**
 * resume: launches the next segment, which restores the highest-step
 * checkpoint of the job's directory and keeps the total step budget. It
 * runs where the monitor's pause decision said (by default where the job
 * paused).
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
    }

    const name = await launchSegment(dependencies, {
      job, plan, snapshot, segmentIndex, regionId,
      ...(previous?.endStep === undefined ? {} : {startStep: previous.endStep}),
    });
    dependencies.logger.log('NOTICE', 'training resumed', {
      jobId: envelope.jobId,
      requestId: envelope.requestId,
      trainingJobName: name,
      regionId,
      fromStep: previous?.endStep,
      progress: true,
    });
    return {kind: 'reply', result: {trainingJobName: name, regionId}};
  });
}
