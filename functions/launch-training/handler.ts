import {createStepHandler} from '../../adapters/function-runtime/step-handler.js';
import {SchedulerError} from '../../shared/errors.js';
import {readJson} from '../../shared/ports/blob-store.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {loadJobRequest, loadSnapshot} from '../fetch-forecasts/handler.js';
import {launchSegment} from './launch-segment.js';

/**
 * launch-training: starts the plan's first segment where the plan says.
 * The segment's name derives from jobId and index, so a redelivered
 * launch finds the job it already made and never creates a second one.
 */
export function createLaunchTraining(dependencies: SchedulerDependencies) {
  return createStepHandler('launch-training', dependencies, async (envelope) => {
    const job = await loadJobRequest(dependencies, envelope.jobId);
    const snapshot = await loadSnapshot(dependencies, envelope.jobId);
    const plan = await loadPlan(dependencies, snapshot.planPointer);
    const segmentIndex = Number(envelope.payload.segmentIndex ?? 0);
    const regionId = plan.segments[0]!.regionId;

    // The first segment trains from step 0: no checkpoint precedes it.
    const name = await launchSegment(dependencies,
      {job, plan, snapshot, segmentIndex, regionId, startStep: 0});
    dependencies.logger.log('NOTICE', 'training launched', {
      jobId: envelope.jobId,
      requestId: envelope.requestId,
      trainingJobName: name,
      regionId,
      progress: true,
    });
    return {kind: 'reply', result: {trainingJobName: name, regionId}};
  });
}

/** Reads the plan a snapshot points to. */
export async function loadPlan(
  dependencies: Pick<SchedulerDependencies, 'blobs'>,
  planPointer: string | undefined,
): Promise<StoredPlan> {
  const plan = planPointer
    ? await readJson<StoredPlan>(dependencies.blobs, planPointer)
    : undefined;
  if (!plan) {
    throw new SchedulerError(
      'no-plan',
      `no plan at ${planPointer ?? '(none)'}; the job must be planned first`,
    );
  }
  return plan;
}
