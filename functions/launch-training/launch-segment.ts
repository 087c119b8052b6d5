import type {JobRequest} from '../../shared/schemas/job-request.js';
import {writeSnapshot, type JobSnapshot} from '../../shared/jobs/job-snapshot.js';
import type {StoredPlan} from '../../shared/jobs/stored-plan.js';
import type {SchedulerDependencies} from '../dependencies.js';
import {launchWithCapacityFallback} from './capacity-fallback.js';
import {segmentRequestFor} from './segment-request.js';

/**
 * Launches segment `segmentIndex` in `regionId` and records it in the
 * job's snapshot, once: a repeated launch of the same segment finds the
 * training job by its derived name and the record already there.
 */
export async function launchSegment(
  dependencies: SchedulerDependencies,
  target: {
    job: JobRequest & {jobId: string};
    plan: StoredPlan;
    snapshot: JobSnapshot;
    segmentIndex: number;
    regionId: string;
    startStep?: number;
  },
): Promise<string> {
  const {job, plan, snapshot, segmentIndex} = target;
  // A region without capacity or quota hands over to the next one.
  const {name, regionId} = await launchWithCapacityFallback(
    dependencies, snapshot, plan,
    segmentRequestFor(job, plan, segmentIndex, target.regionId, dependencies),
  );
  const nowMs = dependencies.clock.nowMs();
  if (!snapshot.segments.some((segment) => segment.trainingJobName === name)) {
    snapshot.segments.push({
      index: segmentIndex,
      regionId,
      trainingJobName: name,
      launchedAtMs: nowMs,
      ...(target.startStep === undefined ? {} : {startStep: target.startStep}),
    });
  }
  snapshot.state = 'running';
  snapshot.updatedAtMs = nowMs;
  await writeSnapshot(dependencies.blobs, snapshot);
  return name;
}
