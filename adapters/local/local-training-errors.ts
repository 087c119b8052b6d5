import {SchedulerError} from '../../shared/errors.js';

/** The trainer process ended before it answered. */
export class TrainerExitedError extends SchedulerError {
  constructor(
    readonly exitCode: number | null,
    readonly signal: string | null,
    readonly stderrTail: string,
  ) {
    super(
      'TRAINER_EXITED',
      `trainer process exited (code ${exitCode ?? 'none'}, signal ` +
        `${signal ?? 'none'}) before answering; see its stderr tail`,
      {retryable: false},
    );
  }
}

/** The trainer answered with something the protocol does not allow. */
export class TrainerProtocolError extends SchedulerError {
  constructor(message: string) {
    super('TRAINER_PROTOCOL_VIOLATED', message, {retryable: false});
  }
}

/** No local training job has this name. */
export class TrainingJobNotFoundError extends SchedulerError {
  constructor(readonly jobName: string) {
    super(
      'TRAINING_JOB_NOT_FOUND',
      `training job ${JSON.stringify(jobName)} does not exist; names ` +
        'look like local/<jobId>/segment-<n>',
      {retryable: false},
    );
  }
}

/** A job specification field is missing or out of range. */
export class TrainingJobSpecError extends SchedulerError {
  constructor(message: string) {
    super('TRAINING_JOB_SPEC_INVALID', message, {retryable: false});
  }
}

/** Another segment is still running on the same job directory. */
export class TrainingJobDirectoryBusyError extends SchedulerError {
  constructor(
    readonly jobDir: string,
    readonly runningJobName: string,
  ) {
    super(
      'TRAINING_JOB_DIRECTORY_BUSY',
      `jobDir ${jobDir} is in use by ${runningJobName}, which has not ` +
        'ended; pause or cancel it before creating the next segment',
      {retryable: true},
    );
  }
}

/** The job is in a state that does not allow the request. */
export class TrainingJobStateError extends SchedulerError {
  constructor(
    readonly jobName: string,
    readonly state: string,
    request: string,
  ) {
    super(
      'TRAINING_JOB_STATE_INVALID',
      `cannot ${request} training job ${jobName} in state ${state}`,
      {retryable: false},
    );
  }
}

/** The backend was closed; it starts no more jobs. */
export class TrainingBackendClosedError extends SchedulerError {
  constructor() {
    super(
      'TRAINING_BACKEND_CLOSED',
      'the local training backend is closed; create a new one',
      {retryable: false},
    );
  }
}

/** A pause named a step whose checkpoint is not complete. */
export class PauseCheckpointIncompleteError extends SchedulerError {
  constructor(
    readonly jobName: string,
    readonly checkpointStep: number,
  ) {
    super(
      'PAUSE_CHECKPOINT_INCOMPLETE',
      `training job ${jobName} reported a pause at step ${checkpointStep}, ` +
        'but that checkpoint has no complete manifest and data; it is ' +
        'never resumed from: resume takes the highest complete step',
      {retryable: false},
    );
  }
}
