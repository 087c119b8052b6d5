/**
 * Runs training segments: Vertex AI CustomJobs in the cloud, a real local
 * trainer process locally. A CustomJob cannot pause: a pause is a
 * checkpoint, then cancellation; a resume is a new job that restores the
 * highest-step checkpoint from the same directory.
 */

/** Vertex AI JobState names the product reads. */
export type TrainingJobState =
  | 'JOB_STATE_QUEUED'
  | 'JOB_STATE_PENDING'
  | 'JOB_STATE_RUNNING'
  | 'JOB_STATE_CANCELLING'
  | 'JOB_STATE_CANCELLED'
  | 'JOB_STATE_SUCCEEDED'
  | 'JOB_STATE_FAILED'
  | 'JOB_STATE_EXPIRED'
  | 'JOB_STATE_PAUSED'
  | 'JOB_STATE_UPDATING'
  | 'JOB_STATE_PARTIALLY_SUCCEEDED';

/** States after which a job never runs again (CANCELLING is not one). */
export const TERMINAL_TRAINING_STATES: ReadonlySet<TrainingJobState> =
  new Set([
    'JOB_STATE_SUCCEEDED',
    'JOB_STATE_FAILED',
    'JOB_STATE_CANCELLED',
    'JOB_STATE_EXPIRED',
    'JOB_STATE_PARTIALLY_SUCCEEDED',
  ]);

/** One segment to launch. The name derives from jobId and segmentIndex. */
export interface TrainingSegmentRequest {
  readonly jobId: string;
  readonly segmentIndex: number;
  readonly regionId: string;
  /** The job's total step budget, the same for every segment. */
  readonly maxSteps: number;
  readonly checkpointEverySteps: number;
  readonly seed: number;
  readonly machineType: string;
  readonly acceleratorType: string;
  readonly acceleratorCount: number;
  /** Container image for Vertex AI; unused by the local trainer. */
  readonly imageUri?: string;
  readonly args?: readonly string[];
  /** Planned run time, to set a scheduling timeout with margin. */
  readonly expectedRunSeconds: number;
}

/** What a segment is doing, as the monitor reads it. */
export interface TrainingSegmentStatus {
  readonly name: string;
  readonly state: TrainingJobState;
  readonly step: number | null;
  readonly lastCheckpointStep: number | null;
  readonly loss: number | null;
  readonly heldOutAccuracy: number | null;
  /** When steps began (after provisioning); null before. */
  readonly startTimeMs: number | null;
  readonly endTimeMs: number | null;
  /** Time the hardware was held, provisioning included. */
  readonly energyRelevantMs: number;
  /**
   * True when the segment ended because its Spot VM was reclaimed (a
   * preemption, not a fault of the job): it ended FAILED and the steps
   * since its last complete checkpoint are lost. Absent or false: not
   * known to be preempted.
   */
  readonly preempted?: boolean;
}

/** The training port. Every call is idempotent by segment name. */
export interface TrainingBackend {
  /** Steps the trainer does per hour of wall (or virtual) time. */
  readonly stepsPerHour: number;
  /** Time a new segment spends before its first step. */
  readonly restartOverheadMs: number;
  segmentName(jobId: string, segmentIndex: number): string;
  launch(request: TrainingSegmentRequest): Promise<{name: string}>;
  describe(name: string): Promise<TrainingSegmentStatus>;
  /** Checkpoints and stops; resolves once the job is terminal. */
  pause(name: string): Promise<{checkpointStep: number}>;
  cancel(name: string): Promise<void>;
  /**
   * Every training job carrying the product's labels, ended ones
   * included. Optional: without it the scheduled poll cannot reconcile.
   */
  listLabelled?(): Promise<LabelledTrainingJob[]>;
  /**
   * Makes checkpoint `step` of a job available in another region before
   * a segment resumes there, and says how many bytes that moved (for the
   * footprint). Optional: without it a resume in another region records
   * no transfer.
   */
  moveCheckpoint?(request: CheckpointMoveRequest):
    Promise<CheckpointMoveResult>;
}

/** A checkpoint to make available in another region. */
export interface CheckpointMoveRequest {
  readonly jobId: string;
  readonly fromRegionId: string;
  readonly toRegionId: string;
  /** A complete checkpoint's step. */
  readonly step: number;
}

/** What a checkpoint move cost in bytes. */
export interface CheckpointMoveResult {
  readonly bytesMoved: number;
}

/** A training job found by the product's labels. */
export interface LabelledTrainingJob {
  readonly jobId: string;
  readonly trainingJobName: string;
  readonly segmentIndex: number;
  readonly state: TrainingJobState;
  /** When it was created, when the backend says. */
  readonly createdAtMs?: number | null;
}
