import {stat} from 'node:fs/promises';
import path from 'node:path';
import {SchedulerError} from '../../shared/errors.js';
import type {
  CheckpointMoveRequest,
  CheckpointMoveResult,
  LabelledTrainingJob,
  TrainingBackend,
  TrainingSegmentRequest,
  TrainingSegmentStatus,
} from '../../shared/ports/training-backend.js';
import {TERMINAL_TRAINING_STATES} from
  '../../shared/ports/training-backend.js';
import type {LocalTrainingBackend} from './local-training-backend.js';
import {PauseCheckpointIncompleteError} from './local-training-errors.js';

/** How fast the local trainer goes in virtual time. */
export interface LocalTrainingSpeed {
  /** Training steps per virtual hour: the job's 'full speed'. */
  readonly stepsPerHour: number;
  /** Virtual start-up time of each segment (provisioning, restore). */
  readonly restartOverheadMs: number;
}

/**
 * Test-only faults of the local trainers, so that a test can make a
 * real trainer die at a chosen moment. Empty (the default): none.
 */
export interface LocalTrainerFaults {
  /**
   * Segment indexes whose trainer SIGKILLs itself during its pause
   * checkpoint, after the data files and before the manifest.
   */
  readonly killDuringPauseCheckpointOfSegments?: readonly number[];
  /**
   * Segments whose machine is reclaimed, as a Spot VM preemption does,
   * once they have run `afterSteps` steps: the trainer is killed at once
   * and the segment ends FAILED, reported preempted.
   */
  readonly preemptSegments?: readonly LocalPreemptionFault[];
}

/** One segment to preempt, and when. */
export interface LocalPreemptionFault {
  readonly segmentIndex: number;
  /** Steps the segment runs before its machine is reclaimed. */
  readonly afterSteps: number;
}

/**
 * The training port over the local trainer processes: each job's
 * segments share one checkpoint directory, as a CustomJob's
 * `baseOutputDirectory` would.
 */
export class LocalTrainingPort implements TrainingBackend {
  readonly stepsPerHour: number;
  readonly restartOverheadMs: number;
  // The segments launched through this port, as labels would find them.
  private readonly launched =
    new Map<string, {jobId: string; segmentIndex: number}>();

  constructor(
    private readonly backend: LocalTrainingBackend,
    private readonly trainingRootDirectory: string,
    speed: LocalTrainingSpeed,
    private readonly faults: LocalTrainerFaults = {},
  ) {
    this.stepsPerHour = speed.stepsPerHour;
    this.restartOverheadMs = speed.restartOverheadMs;
  }

  segmentName(jobId: string, segmentIndex: number): string {
    return `local/${jobId}/segment-${segmentIndex}`;
  }

  async launch(request: TrainingSegmentRequest): Promise<{name: string}> {
    const killed = this.faults.killDuringPauseCheckpointOfSegments ?? [];
    const preemption = (this.faults.preemptSegments ?? []).find((fault) =>
      fault.segmentIndex === request.segmentIndex);
    const name = await this.backend.createJob({
      jobId: request.jobId,
      segmentIndex: request.segmentIndex,
      regionId: request.regionId,
      jobDir: path.join(this.trainingRootDirectory, request.jobId),
      maxSteps: request.maxSteps,
      checkpointEverySteps: request.checkpointEverySteps,
      seed: request.seed,
      stepsPerVirtualHour: this.stepsPerHour,
      provisioningMs: this.restartOverheadMs,
      ...(killed.includes(request.segmentIndex)
        ? {testFault: 'kill-before-pause-manifest' as const}
        : {}),
      ...(preemption ? {preemptAfterSteps: preemption.afterSteps} : {}),
    });
    this.launched.set(name,
      {jobId: request.jobId, segmentIndex: request.segmentIndex});
    return {name};
  }

  /** Every segment launched through this port, ended ones included. */
  async listLabelled(): Promise<LabelledTrainingJob[]> {
    return [...this.launched].map(([name, labels]) => {
      const job = this.backend.getJob(name);
      return {
        jobId: labels.jobId,
        trainingJobName: name,
        segmentIndex: labels.segmentIndex,
        state: job.state,
        createdAtMs: job.createTimeMs,
      };
    });
  }

  /**
   * The segment's status. Once it has ended, its last checkpoint is read
   * from the directory, as a container's bucket is: the highest complete
   * checkpoint no later than the segment's own step, whatever the trainer
   * managed to report before it stopped.
   */
  async describe(name: string): Promise<TrainingSegmentStatus> {
    const job = this.backend.getJob(name);
    let lastCheckpointStep = job.lastCheckpointStep;
    if (TERMINAL_TRAINING_STATES.has(job.state) && job.step !== null) {
      lastCheckpointStep = await this.completeStepAtOrBelow(job.jobDir,
        job.step);
    }
    return {
      name: job.name,
      state: job.state,
      step: job.step,
      lastCheckpointStep,
      loss: job.loss,
      heldOutAccuracy: job.heldOutAccuracy,
      startTimeMs: job.startTimeMs,
      endTimeMs: job.endTimeMs,
      energyRelevantMs: job.energyRelevantMs,
      preempted: job.preempted,
    };
  }

  /**
   * Pauses the segment and confirms, from the directory, that the step it
   * names has a complete checkpoint (data and manifest).
   *
   * @throws PauseCheckpointIncompleteError when it has not
   */
  async pause(name: string): Promise<{checkpointStep: number}> {
    const checkpointStep = await this.backend.requestPause(name);
    const {jobDir} = this.backend.getJob(name);
    const listings = await this.backend.listCheckpoints(jobDir);
    const complete = listings.some((listing) =>
      listing.step === checkpointStep && listing.problem === null);
    if (!complete) {
      throw new PauseCheckpointIncompleteError(name, checkpointStep);
    }
    return {checkpointStep};
  }

  async cancel(name: string): Promise<void> {
    await this.backend.cancelJob(name);
  }

  /**
   * The size of complete checkpoint `step` (its data files and its
   * manifest), as a copy to the other region's bucket would move it.
   * Locally every region shares the job's one directory, so nothing is
   * copied: the bytes are what the cloud would transfer.
   *
   * @throws CheckpointToMoveMissingError when the step is not complete
   */
  async moveCheckpoint(
    request: CheckpointMoveRequest,
  ): Promise<CheckpointMoveResult> {
    const jobDir = path.join(this.trainingRootDirectory, request.jobId);
    const listing = (await this.backend.listCheckpoints(jobDir))
      .find((candidate) => candidate.step === request.step &&
        candidate.problem === null);
    if (!listing?.manifest) {
      throw new CheckpointToMoveMissingError(request.jobId, request.step);
    }
    const dataBytes = listing.manifest.files
      .reduce((total, file) => total + file.byteLength, 0);
    const manifestBytes = (await stat(listing.manifestPath)).size;
    return {bytesMoved: dataBytes + manifestBytes};
  }

  // The highest complete checkpoint step up to `step`, or null.
  private async completeStepAtOrBelow(
    jobDir: string,
    step: number,
  ): Promise<number | null> {
    const listings = await this.backend.listCheckpoints(jobDir);
    const usable = listings.filter((listing) =>
      listing.problem === null && listing.step <= step);
    return usable.at(-1)?.step ?? null;
  }
}

/** The checkpoint a resume in another region needs is not complete. */
export class CheckpointToMoveMissingError extends SchedulerError {
  constructor(readonly jobId: string, readonly step: number) {
    super('checkpoint-to-move-missing',
      `job ${jobId} has no complete checkpoint at step ${step} to move ` +
        'to the new region; resume from a complete step', {retryable: false});
  }
}
