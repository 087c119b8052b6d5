import type {protos} from '@google-cloud/aiplatform';
import type {RegionCatalog} from '../../shared/catalog/region-catalog.js';
import {
  checkpointPrefix,
  jobOutputPrefix,
  pauseRequestKey,
  pausedMarkerKey,
} from '../../shared/checkpoints/checkpoint-layout.js';
import type {TrainingSegmentRequest} from '../../shared/ports/training-backend.js';
import type {JobRequest} from '../../shared/schemas/job-request.js';
import {segmentLabels} from './job-labels.js';
import {schedulingTimeoutSeconds} from './scheduling-timeout.js';
import type {SegmentScheduling} from './scheduling-timeout.js';
import {CustomJobRequestError} from './vertex-errors.js';

/** The CustomJob body `createCustomJob` takes. */
export type CustomJobBody = protos.google.cloud.aiplatform.v1.ICustomJob;

/** Everything one segment's CustomJob is built from. */
export interface CustomJobInput {
  readonly segment: TrainingSegmentRequest;
  readonly scheduling: SegmentScheduling;
  readonly nowMs: number;
  /** The checkpoint bucket of the segment's region (no `gs://`). */
  readonly checkpointBucket: string;
  readonly serviceAccount: string;
  /** Label and environment prefix, e.g. `carbon`. */
  readonly productLabel: string;
  /** Start-up time before the first step, added to the running time. */
  readonly restartOverheadMs: number;
  readonly maxTimeoutSeconds: number;
  readonly catalog: RegionCatalog;
  /** Worker replicas; 1 unless the job says otherwise. */
  readonly replicaCount?: number;
}

/** The segment's scheduling as the job request states it. */
export function schedulingFromJob(job: JobRequest): SegmentScheduling {
  const wait = job.scheduling.maxWaitDuration;
  return {
    deadlineMs: Date.parse(job.constraints.deadline),
    strategy: job.scheduling.strategy,
    maxWaitSeconds: wait === undefined ? null : Number(wait.slice(0, -1)),
  };
}

/** The display name of a segment's CustomJob (at most 128 characters). */
export function segmentDisplayName(
  productLabel: string,
  jobId: string,
  segmentIndex: number,
): string {
  return `${productLabel}-${jobId}`.slice(0, 110) + `-segment-${segmentIndex}`;
}

/**
 * Builds one segment's CustomJob: the machine, the container with its
 * arguments and environment, `baseOutputDirectory` at the job's folder in
 * the region's checkpoint bucket (so the container sees
 * `AIP_CHECKPOINT_DIR = gs://<bucket>/jobs/<jobId>/checkpoints/`), an
 * explicit `scheduling.timeout`, the strategy, the labels that make
 * create idempotent, and the service account. The hardware is checked
 * against the region catalog first.
 *
 * @throws CustomJobRequestError naming the field that is wrong
 * @throws UnknownRegionError for a region the catalog does not list
 * @throws DeadlineInfeasibleError, SegmentTooLongError from the timeout
 */
export function buildCustomJob(input: CustomJobInput): CustomJobBody {
  const {segment, scheduling, productLabel} = input;
  checkHardware(input);
  if (!segment.imageUri) {
    throw new CustomJobRequestError('trainer.imageUri',
      'is required on Vertex AI (trainer.local runs only locally)');
  }
  if (scheduling.strategy === 'FLEX_START' &&
      scheduling.maxWaitSeconds === null) {
    throw new CustomJobRequestError('scheduling.maxWaitDuration',
      'is required with FLEX_START, so that the wait for capacity can be ' +
        'charged to the deadline; give seconds, e.g. "1800s"');
  }
  const replicaCount = input.replicaCount ?? 1;
  if (!Number.isInteger(replicaCount) || replicaCount < 1) {
    throw new CustomJobRequestError('replicaCount',
      `${replicaCount} must be a whole number of at least 1`);
  }

  const runSeconds = segment.expectedRunSeconds +
    input.restartOverheadMs / 1000;
  const timeoutSeconds = schedulingTimeoutSeconds({
    runSeconds,
    nowMs: input.nowMs,
    scheduling,
    maxTimeoutSeconds: input.maxTimeoutSeconds,
  });

  const bucket = input.checkpointBucket;
  const gs = (key: string) => `gs://${bucket}/${key}`;
  const prefix = productLabel.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const environment: Record<string, string> = {
    [`${prefix}_JOB_ID`]: segment.jobId,
    [`${prefix}_SEGMENT_INDEX`]: String(segment.segmentIndex),
    [`${prefix}_MAX_STEPS`]: String(segment.maxSteps),
    [`${prefix}_CHECKPOINT_EVERY_STEPS`]: String(segment.checkpointEverySteps),
    [`${prefix}_SEED`]: String(segment.seed),
    [`${prefix}_CHECKPOINT_URI`]: gs(checkpointPrefix(segment.jobId)),
    [`${prefix}_PAUSE_REQUEST_URI`]:
      gs(pauseRequestKey(segment.jobId, segment.segmentIndex)),
    [`${prefix}_PAUSED_MARKER_URI`]:
      gs(pausedMarkerKey(segment.jobId, segment.segmentIndex)),
  };

  return {
    displayName: segmentDisplayName(productLabel, segment.jobId,
      segment.segmentIndex),
    labels: segmentLabels(productLabel, segment.jobId, segment.segmentIndex),
    jobSpec: {
      workerPoolSpecs: [{
        machineSpec: {
          machineType: segment.machineType,
          acceleratorType: segment.acceleratorType as
            keyof typeof protos.google.cloud.aiplatform.v1.AcceleratorType,
          acceleratorCount: segment.acceleratorCount,
        },
        replicaCount,
        containerSpec: {
          imageUri: segment.imageUri,
          // An empty list is the protobuf default: left out, not lost.
          ...(segment.args?.length ? {args: [...segment.args]} : {}),
          env: Object.entries(environment)
            .map(([name, value]) => ({name, value})),
        },
      }],
      scheduling: {
        timeout: {seconds: timeoutSeconds},
        strategy: scheduling.strategy,
        ...(scheduling.strategy === 'FLEX_START'
          ? {maxWaitDuration: {seconds: scheduling.maxWaitSeconds!}}
          : {}),
      },
      baseOutputDirectory: {
        outputUriPrefix: gs(jobOutputPrefix(segment.jobId)),
      },
      serviceAccount: input.serviceAccount,
    },
  };
}

// The accelerator must be offered in the region; a machine type listed
// with it there fixes the family (a3-highgpu-1g admits a3-highgpu-8g).
function checkHardware(input: CustomJobInput): void {
  const {segment} = input;
  const region = input.catalog.require(segment.regionId);
  const offer = region.acceleratorOffers
    .find((candidate) => candidate.type === segment.acceleratorType);
  if (!offer) {
    throw new CustomJobRequestError('hardware.acceleratorType',
      `${segment.acceleratorType} is not offered in ${region.id}; ` +
        `offered there: ${region.accelerators.join(', ') || 'none'}`);
  }
  if (!Number.isInteger(segment.acceleratorCount) ||
      segment.acceleratorCount < 1) {
    throw new CustomJobRequestError('hardware.acceleratorCount',
      `${segment.acceleratorCount} must be a whole number of at least 1`);
  }
  const listed = offer.machineTypes
    .filter((name) => /^[a-z0-9]+(-[a-z0-9]+)+$/.test(name));
  if (listed.length === 0) return;
  const family = (name: string) => name.replace(/-[^-]+$/, '');
  if (!listed.some((name) => family(name) === family(segment.machineType))) {
    throw new CustomJobRequestError('hardware.machineType',
      `${segment.machineType} does not carry ${segment.acceleratorType} in ` +
        `${region.id}; machine types seen with it: ${listed.join(', ')}`);
  }
}
