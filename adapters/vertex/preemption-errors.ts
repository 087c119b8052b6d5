import type {protos} from '@google-cloud/aiplatform';
import type {TrainingJobState} from '../../shared/ports/training-backend.js';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

// Scheduling.Strategy SPOT, by name and by number (custom_job.proto).
const SPOT_STRATEGY = new Set<string | number>(['SPOT', 4]);

// What a preempted Spot VM's failure says. Vertex AI documents that a
// job whose Spot VMs are preempted fails with a STOCKOUT error; the
// exact text of the CustomJob's `error.message` is not documented, so
// both the word preempt and the stockout wordings are read.
// {@link https://cloud.google.com/vertex-ai/docs/training/use-spot-vms}
const PREEMPTION_WORDS = [
  /preempt/i,
  /stockout/i,
  /resource_pool_exhausted/i,
  /spot (vm|instance)s? .*reclaim/i,
];

/**
 * Whether a CustomJob ended because its Spot VMs were reclaimed: it
 * failed, it was scheduled SPOT, and its `error` (a google.rpc.Status)
 * speaks of preemption or a stockout. A FAILED job of any other
 * strategy, or with any other error, is a failure of the job.
 *
 * TODO(vertex): match the error's code or a structured detail instead
 * of its words, once Vertex AI documents what a preemption reports.
 */
export function isSpotPreemption(
  job: CustomJob,
  state: TrainingJobState,
): boolean {
  if (state !== 'JOB_STATE_FAILED') return false;
  const strategy = job.jobSpec?.scheduling?.strategy;
  if (strategy === null || strategy === undefined ||
      !SPOT_STRATEGY.has(strategy)) {
    return false;
  }
  const message = job.error?.message ?? '';
  return PREEMPTION_WORDS.some((pattern) => pattern.test(message));
}
