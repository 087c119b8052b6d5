import type {protos} from '@google-cloud/aiplatform';
import type {RegionCatalog} from '../../shared/catalog/region-catalog.js';
import {
  highestCompleteCheckpoint,
  readCheckpointInventory,
} from '../../shared/checkpoints/checkpoint-inventory.js';
import type {
  CheckpointEntry,
} from '../../shared/checkpoints/checkpoint-inventory.js';
import {checkpointPrefix} from
  '../../shared/checkpoints/checkpoint-layout.js';
import type {CheckpointObjectStore} from '../../shared/checkpoints/object-store.js';
import type {Logger} from '../../shared/ports/logger.js';
import type {
  TrainingBackend,
  TrainingJobState,
  TrainingSegmentRequest,
  TrainingSegmentStatus,
} from '../../shared/ports/training-backend.js';
import {systemClock} from '../../shared/time/clock.js';
import type {Clock} from '../../shared/time/clock.js';
import {createCheckpointCopier} from
  '../gcs-checkpoints/checkpoint-copier.js';
import {asCapacityError} from './capacity-errors.js';
import {buildCustomJob, segmentDisplayName} from './custom-job-request.js';
import {environmentOf} from './job-environment.js';
import {hasSegmentLabels, segmentLabelFilter} from './job-labels.js';
import {createRegionalJobClient} from './job-service-client.js';
import type {JobServiceClientLike} from './job-service-client.js';
import {isTerminalState, trainingStateOf} from './job-states.js';
import {listLabelledCustomJobs} from './labelled-jobs.js';
import {isSpotPreemption} from './preemption-errors.js';
import {millisecondsOf} from './proto-timestamp.js';
import {DEFAULT_MAX_TIMEOUT_SECONDS} from './scheduling-timeout.js';
import type {SegmentScheduling} from './scheduling-timeout.js';
import {
  CancellationPendingError,
  CheckpointNotConfirmedError,
  CustomJobNameError,
  PauseFailedError,
} from './vertex-errors.js';

type CustomJob = protos.google.cloud.aiplatform.v1.ICustomJob;

const CUSTOM_JOB_NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/customJobs\/([^/]+)$/;
// A job in one of these states is not reused by a repeated launch.
const NOT_REUSED: ReadonlySet<TrainingJobState> = new Set([
  'JOB_STATE_FAILED', 'JOB_STATE_CANCELLED', 'JOB_STATE_EXPIRED',
]);
// gRPC FAILED_PRECONDITION: cancelling a job that has already ended.
const FAILED_PRECONDITION = 9;

/** What the Vertex AI training backend needs. */
export interface VertexTrainingBackendOptions {
  readonly project: string;
  /** The service account the CustomJobs run as. */
  readonly serviceAccount: string;
  /** The checkpoint bucket (no `gs://`) of each region the job may use. */
  readonly checkpointBucketFor: (regionId: string) => string;
  /** Where checkpoints and the pause markers are read and written. */
  readonly objects: CheckpointObjectStore;
  readonly catalog: RegionCatalog;
  readonly stepsPerHour: number;
  readonly restartOverheadMs: number;
  /** How a segment is scheduled: the job's deadline and strategy. */
  readonly schedulingFor?: (
    request: TrainingSegmentRequest,
  ) => Promise<SegmentScheduling>;
  /** Label and environment prefix; `carbon` by default. */
  readonly productLabel?: string;
  /**
   * The regions segments may be launched in, where `listLabelled` looks:
   * by default every catalog region that offers an accelerator and has a
   * grid zone (the planner places a job nowhere else).
   */
  readonly trainingRegionIds?: readonly string[];
  readonly maxTimeoutSeconds?: number;
  readonly clock?: Clock;
  /** Between polls of a job or a marker; 15 s by default. */
  readonly pollIntervalMs?: number;
  /** How long a pause waits for the container's checkpoint; 30 min. */
  readonly checkpointConfirmTimeoutMs?: number;
  /** How long a pause waits for CANCELLING to end; 30 min. */
  readonly cancelTimeoutMs?: number;
  /** The client of a region; the regional JobServiceClient by default. */
  readonly clientFor?: (
    regionId: string,
  ) => JobServiceClientLike | Promise<JobServiceClientLike>;
  readonly logger?: Logger;
}

/**
 * A Vertex AI backend; `segmentName` gives the display name. It always
 * lists its labelled jobs and moves checkpoints between regions.
 */
export type VertexTrainingBackend = TrainingBackend &
  Required<Pick<TrainingBackend, 'listLabelled' | 'moveCheckpoint'>>;

/**
 * The training port over Vertex AI CustomJobs, one regional client per
 * region, made on first use. A CustomJob's id is the service's choice, so
 * a launch first looks for the segment's job by its labels and reuses it.
 * A pause asks the container for a checkpoint through a marker object,
 * waits until the container confirms a complete checkpoint, and only then
 * cancels; it resolves once the job is terminal (CANCELLING is not).
 * `listLabelled` lists the labelled jobs of every training region and
 * throws, so the poll is retried, when any region's list fails.
 */
export function createVertexTrainingBackend(
  options: VertexTrainingBackendOptions,
): VertexTrainingBackend {
  const productLabel = options.productLabel ?? 'carbon';
  const clock = options.clock ?? systemClock;
  const pollIntervalMs = options.pollIntervalMs ?? 15_000;
  const clients = new Map<string, Promise<JobServiceClientLike>>();
  const clientFor = (regionId: string) => {
    let client = clients.get(regionId);
    if (!client) {
      client = Promise.resolve((options.clientFor ?? createRegionalJobClient)(
        regionId));
      clients.set(regionId, client);
    }
    return client;
  };
  const log = (severity: 'INFO' | 'NOTICE' | 'WARNING', message: string,
    fields: object) => options.logger?.log(severity, message, fields);

  async function getJob(name: string): Promise<CustomJob> {
    const [job] = await (await clientFor(regionOf(name))).getCustomJob({name});
    return job;
  }

  async function checkpointsOf(
    job: CustomJob,
  ): Promise<CheckpointEntry | null> {
    const folder = parseGsUri(
      environmentOf(job, productLabel, 'CHECKPOINT_URI'));
    if (!folder) return null;
    const objects = (await options.objects.list(folder.bucket, folder.key))
      .map((object) => ({key: object.key.slice(folder.key.length),
        sizeBytes: object.sizeBytes}));
    const inventory = await readCheckpointInventory(objects, (name) =>
      options.objects.read({bucket: folder.bucket, key: folder.key + name}));
    return highestCompleteCheckpoint(inventory);
  }

  // The step of a confirmed pause: the container's marker names a step
  // whose checkpoint is complete. Null until both hold.
  async function confirmedPauseStep(job: CustomJob): Promise<number | null> {
    const marker = parseGsUri(
      environmentOf(job, productLabel, 'PAUSED_MARKER_URI'));
    if (!marker) return null;
    const bytes = await options.objects.read(marker);
    if (bytes === undefined) return null;
    let step: unknown;
    try {
      step = (JSON.parse(bytes.toString('utf8')) as {step?: unknown}).step;
    } catch {
      return null;
    }
    if (typeof step !== 'number') return null;
    const latest = await checkpointsOf(job);
    return latest !== null && latest.step >= step ? step : null;
  }

  async function awaitTerminal(name: string, timeoutMs: number) {
    const untilMs = clock.nowMs() + timeoutMs;
    for (;;) {
      const job = await getJob(name);
      const state = trainingStateOf(job.state);
      if (isTerminalState(state)) return {job, state};
      if (clock.nowMs() >= untilMs) {
        throw new CancellationPendingError(name, state);
      }
      await clock.sleepUntil(clock.nowMs() + pollIntervalMs);
    }
  }

  async function cancelAndAwait(name: string): Promise<TrainingJobState> {
    try {
      await (await clientFor(regionOf(name))).cancelCustomJob({name});
    } catch (error) {
      if ((error as {code?: unknown}).code !== FAILED_PRECONDITION) throw error;
    }
    const {state} = await awaitTerminal(name,
      options.cancelTimeoutMs ?? 30 * 60_000);
    return state;
  }

  // What a pause answers for a job that has already ended.
  async function endedPause(name: string, job: CustomJob,
    state: TrainingJobState) {
    const latest = await checkpointsOf(job);
    if (state === 'JOB_STATE_SUCCEEDED' && latest) {
      log('NOTICE', 'training job succeeded before it could pause',
        {jobName: name, checkpointStep: latest.step});
      return {checkpointStep: latest.step};
    }
    const confirmed = await confirmedPauseStep(job);
    if (state === 'JOB_STATE_CANCELLED' && confirmed !== null) {
      return {checkpointStep: confirmed};
    }
    throw new PauseFailedError(name, state);
  }

  return {
    stepsPerHour: options.stepsPerHour,
    restartOverheadMs: options.restartOverheadMs,

    segmentName: (jobId, segmentIndex) =>
      segmentDisplayName(productLabel, jobId, segmentIndex),

    async launch(request) {
      const region = request.regionId;
      const parent = `projects/${options.project}/locations/${region}`;
      const client = await clientFor(region);

      const filter = segmentLabelFilter(productLabel, request.jobId,
        request.segmentIndex);
      const [existing] = await client.listCustomJobs({parent, filter});
      const reusable = existing.find((job) =>
        hasSegmentLabels(job.labels, productLabel, request.jobId,
          request.segmentIndex) &&
        !NOT_REUSED.has(trainingStateOf(job.state)) && job.name);
      if (reusable?.name) {
        log('INFO', 'training job found by its labels, not created again',
          {jobName: reusable.name, jobId: request.jobId,
            segmentIndex: request.segmentIndex});
        return {name: reusable.name};
      }

      const scheduling = options.schedulingFor
        ? await options.schedulingFor(request)
        : {deadlineMs: null, strategy: 'STANDARD', maxWaitSeconds: null} as
          const;
      const customJob = buildCustomJob({
        segment: request,
        scheduling,
        nowMs: clock.nowMs(),
        checkpointBucket: options.checkpointBucketFor(region),
        serviceAccount: options.serviceAccount,
        productLabel,
        restartOverheadMs: options.restartOverheadMs,
        maxTimeoutSeconds:
          options.maxTimeoutSeconds ?? DEFAULT_MAX_TIMEOUT_SECONDS,
        catalog: options.catalog,
      });
      // The check loads the whole aiplatform package: only on a launch.
      const {assertCustomJobIntact} = await import(
        './custom-job-proto-check.js');
      assertCustomJobIntact(customJob);

      let created: CustomJob;
      try {
        [created] = await client.createCustomJob({parent, customJob});
      } catch (error) {
        throw asCapacityError(error, region);
      }
      log('NOTICE', 'training job created', {jobName: created.name,
        jobId: request.jobId, segmentIndex: request.segmentIndex,
        regionId: region,
        timeoutSeconds: customJob.jobSpec?.scheduling?.timeout?.seconds});
      return {name: created.name ?? ''};
    },

    async describe(name) {
      const job = await getJob(name);
      const state = trainingStateOf(job.state);
      const latest = await checkpointsOf(job);
      const startTimeMs = millisecondsOf(job.startTime);
      const endTimeMs = millisecondsOf(job.endTime);
      const status: TrainingSegmentStatus = {
        name,
        state,
        // Vertex AI reports no live step: the checkpoints are the record.
        step: latest?.step ?? null,
        lastCheckpointStep: latest?.step ?? null,
        loss: latest?.loss ?? null,
        // TODO(vertex): read held-out accuracy from a result object the
        // container writes; until then it is unknown in the cloud.
        heldOutAccuracy: null,
        startTimeMs,
        endTimeMs,
        energyRelevantMs: startTimeMs === null
          ? 0
          : (endTimeMs ?? clock.nowMs()) - startTimeMs,
        preempted: isSpotPreemption(job, state),
      };
      return status;
    },

    async pause(name) {
      let job = await getJob(name);
      let state = trainingStateOf(job.state);
      if (isTerminalState(state)) return endedPause(name, job, state);

      // Ask the container for a checkpoint (a repeated ask is harmless).
      const request = parseGsUri(
        environmentOf(job, productLabel, 'PAUSE_REQUEST_URI'));
      if (!request) throw new PauseFailedError(name, `${state} (no marker)`);
      if (state !== 'JOB_STATE_CANCELLING') {
        await options.objects.write(request, JSON.stringify(
          {requestedAtMs: clock.nowMs(), jobName: name}) + '\n');
      }

      // Cancel only once the checkpoint is confirmed complete.
      const timeoutMs = options.checkpointConfirmTimeoutMs ?? 30 * 60_000;
      const untilMs = clock.nowMs() + timeoutMs;
      let step = await confirmedPauseStep(job);
      while (step === null) {
        if (clock.nowMs() >= untilMs) {
          throw new CheckpointNotConfirmedError(name, timeoutMs);
        }
        await clock.sleepUntil(clock.nowMs() + pollIntervalMs);
        job = await getJob(name);
        state = trainingStateOf(job.state);
        if (isTerminalState(state)) return endedPause(name, job, state);
        step = await confirmedPauseStep(job);
      }
      log('INFO', 'pause checkpoint confirmed; cancelling',
        {jobName: name, checkpointStep: step});

      const finalState = await cancelAndAwait(name);
      if (finalState === 'JOB_STATE_SUCCEEDED') {
        const latest = await checkpointsOf(await getJob(name));
        return {checkpointStep: latest?.step ?? step};
      }
      return {checkpointStep: step};
    },

    async cancel(name) {
      const state = trainingStateOf((await getJob(name)).state);
      if (isTerminalState(state)) return;
      await cancelAndAwait(name);
    },

    async listLabelled() {
      const regionIds = options.trainingRegionIds ??
        options.catalog.regions
          .filter((region) => region.acceleratorOffers.length > 0 &&
            region.electricityMapsZone !== null)
          .map((region) => region.id);
      return listLabelledCustomJobs({project: options.project, productLabel,
        regionIds, clientFor, logger: options.logger});
    },

    // The same prefix in the target region's bucket, data then manifest.
    async moveCheckpoint(request) {
      const prefix = checkpointPrefix(request.jobId);
      const copied = await createCheckpointCopier(options.objects)
        .copyCheckpoint(
          {bucket: options.checkpointBucketFor(request.fromRegionId), prefix},
          {bucket: options.checkpointBucketFor(request.toRegionId), prefix},
          request.step);
      log('NOTICE', 'checkpoint copied to another region',
        {jobId: request.jobId, fromRegionId: request.fromRegionId,
          toRegionId: request.toRegionId, step: copied.step,
          bytesMoved: copied.bytesMoved});
      return {bytesMoved: copied.bytesMoved};
    },
  };
}

/** The region of a CustomJob name. */
export function regionOf(name: string): string {
  const match = CUSTOM_JOB_NAME.exec(name);
  if (!match?.[2]) throw new CustomJobNameError(name);
  return match[2];
}

function parseGsUri(uri: string | undefined) {
  const match = /^gs:\/\/([^/]+)\/(.*)$/.exec(uri ?? '');
  if (!match?.[1] || match[2] === undefined) return null;
  return {bucket: match[1], key: match[2]};
}
