import path from 'node:path';
import type {
  TrainingBackend,
  TrainingSegmentRequest,
  TrainingSegmentStatus,
} from '../../shared/ports/training-backend.js';
import type {LocalTrainingBackend} from './local-training-backend.js';

/** How fast the local trainer goes in virtual time. */
export interface LocalTrainingSpeed {
  /** Training steps per virtual hour: the job's 'full speed'. */
  readonly stepsPerHour: number;
  /** Virtual start-up time of each segment (provisioning, restore). */
  readonly restartOverheadMs: number;
}

/**
 * The training port over the local trainer processes: each job's
 * segments share one checkpoint directory, as a CustomJob's
 * `baseOutputDirectory` would.
 */
export class LocalTrainingPort implements TrainingBackend {
  readonly stepsPerHour: number;
  readonly restartOverheadMs: number;

  constructor(
    private readonly backend: LocalTrainingBackend,
    private readonly trainingRootDirectory: string,
    speed: LocalTrainingSpeed,
  ) {
    this.stepsPerHour = speed.stepsPerHour;
    this.restartOverheadMs = speed.restartOverheadMs;
  }

  segmentName(jobId: string, segmentIndex: number): string {
    return `local/${jobId}/segment-${segmentIndex}`;
  }

  async launch(request: TrainingSegmentRequest): Promise<{name: string}> {
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
    });
    return {name};
  }

  async describe(name: string): Promise<TrainingSegmentStatus> {
    const job = this.backend.getJob(name);
    return {
      name: job.name,
      state: job.state,
      step: job.step,
      lastCheckpointStep: job.lastCheckpointStep,
      loss: job.loss,
      heldOutAccuracy: job.heldOutAccuracy,
      startTimeMs: job.startTimeMs,
      endTimeMs: job.endTimeMs,
      energyRelevantMs: job.energyRelevantMs,
    };
  }

  async pause(name: string): Promise<{checkpointStep: number}> {
    const checkpointStep = await this.backend.requestPause(name);
    return {checkpointStep};
  }

  async cancel(name: string): Promise<void> {
    await this.backend.cancelJob(name);
  }
}
