import type {JobRequest} from '../../shared/schemas/job-request.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import type {TrainingSegmentRequest} from '../../shared/ports/training-backend.js';
import type {SchedulerDependencies} from '../dependencies.js';

/** The training request for one segment of a planned job. */
export function segmentRequestFor(
  job: JobRequest & {jobId: string},
  plan: StoredPlan,
  segmentIndex: number,
  regionId: string,
  dependencies: Pick<SchedulerDependencies, 'training'>,
): TrainingSegmentRequest {
  return {
    jobId: job.jobId,
    segmentIndex,
    regionId,
    maxSteps: plan.totalSteps,
    checkpointEverySteps: plan.checkpointEverySteps,
    seed: job.trainer.local?.seed ?? 7,
    machineType: job.hardware.machineType,
    acceleratorType: job.hardware.acceleratorType,
    acceleratorCount: job.hardware.acceleratorCount,
    ...(job.trainer.imageUri ? {imageUri: job.trainer.imageUri} : {}),
    args: job.trainer.args,
    expectedRunSeconds:
      (plan.totalSteps / dependencies.training.stepsPerHour) * 3600,
  };
}
