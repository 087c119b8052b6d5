import {mkdirSync, rmSync} from 'node:fs';
import {rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {z} from 'zod';
import type {Logger} from '../../shared/ports/logger.js';
import {describeIssues} from '../../shared/schemas/validation-issues.js';
import {
  findLatestValidCheckpoint,
  listCheckpoints as listCheckpointManifests,
} from '../../trainer/checkpoint-store.js';
import type {CheckpointListing} from '../../trainer/checkpoint-store.js';
import {PAUSE_SIGNAL_FILE} from '../../trainer/trainer-protocol.js';
import {TRAINER_TEST_FAULTS} from '../../trainer/trainer-test-faults.js';
import type {TrainerReply} from '../../trainer/trainer-protocol.js';
import {
  TrainingBackendClosedError,
  TrainingJobDirectoryBusyError,
  TrainingJobNotFoundError,
  TrainingJobSpecError,
  TrainingJobStateError,
} from './local-training-errors.js';
import {TrainerProcess} from './trainer-process.js';
import type {VirtualClock} from './virtual-clock.js';

const HOUR_MS = 3_600_000;

/**
 * Vertex AI CustomJob states, by their API names.
 * {@link https://cloud.google.com/vertex-ai/docs/reference/rest/v1/JobState}
 */
export const JOB_STATES = [
  'JOB_STATE_PENDING',
  'JOB_STATE_RUNNING',
  'JOB_STATE_CANCELLING',
  'JOB_STATE_CANCELLED',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
] as const;
export type JobState = (typeof JOB_STATES)[number];

const TERMINAL_STATES: ReadonlySet<JobState> = new Set([
  'JOB_STATE_CANCELLED',
  'JOB_STATE_SUCCEEDED',
  'JOB_STATE_FAILED',
]);

/** One segment of a training job: what a CustomJob request carries. */
export const LocalTrainingJobSpec = z.strictObject({
  jobId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/),
  segmentIndex: z.number().int().nonnegative(),
  regionId: z.string().min(1),
  /** Checkpoint directory, shared by every segment of the job. */
  jobDir: z.string().min(1),
  /** The job's total step budget, the same for every segment. */
  maxSteps: z.number().int().positive(),
  checkpointEverySteps: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
  /** Fixed training speed in virtual time, e.g. 12. */
  stepsPerVirtualHour: z.number().positive().max(HOUR_MS),
  /** Virtual start-up delay before the first step (restart overhead). */
  provisioningMs: z.number().int().nonnegative(),
  /** A fault the trainer is to suffer (tests only); absent: none. */
  testFault: z.enum(TRAINER_TEST_FAULTS).optional(),
  /**
   * Reclaims the segment's machine, as a Spot VM preemption does, once
   * it has run this many steps (tests only); absent: never.
   */
  preemptAfterSteps: z.number().int().positive().optional(),
});
export type LocalTrainingJobSpec = z.infer<typeof LocalTrainingJobSpec>;

/** Why a job failed, with the end of its output. */
export interface TrainingJobError {
  readonly message: string;
  readonly stderrTail: string;
}

/** A job as `getJob` reports it; times are virtual epoch milliseconds. */
export interface LocalTrainingJob {
  readonly name: string;
  readonly jobId: string;
  readonly segmentIndex: number;
  readonly regionId: string;
  readonly jobDir: string;
  readonly state: JobState;
  /** The trainer's step; null until it has started. */
  readonly step: number | null;
  /** The step restored at start, null when trained from scratch. */
  readonly resumedFromStep: number | null;
  /** Steps this segment ran. */
  readonly stepsRun: number;
  readonly lastCheckpointStep: number | null;
  /** Loss of the latest step; null before the first. */
  readonly loss: number | null;
  /** Held-out accuracy once succeeded, otherwise null. */
  readonly heldOutAccuracy: number | null;
  readonly createTimeMs: number;
  /** When steps began (after provisioning); null if they never did. */
  readonly startTimeMs: number | null;
  /** When the segment ended; null while it lasts. */
  readonly endTimeMs: number | null;
  /** Virtual time steps ran: from start to end (or now). */
  readonly runningMs: number;
  /**
   * Virtual time the machine was held, provisioning included: what the
   * footprint charges for this segment.
   */
  readonly energyRelevantMs: number;
  readonly processId: number | null;
  readonly error: TrainingJobError | null;
  /** True when the job ended FAILED because its machine was reclaimed. */
  readonly preempted: boolean;
}

/** The latest usable checkpoint of a job directory. */
export interface LatestCheckpoint {
  readonly step: number;
  readonly manifestPath: string;
  readonly loss: number | null;
}

/** What the backend needs. */
export interface LocalTrainingBackendOptions {
  readonly clock: VirtualClock;
  readonly logger?: Logger;
}

// The mutable record behind a job name.
interface JobRecord {
  readonly name: string;
  readonly spec: LocalTrainingJobSpec;
  readonly process: TrainerProcess;
  state: JobState;
  step: number | null;
  startStep: number | null;
  resumedFromStep: number | null;
  lastCheckpointStep: number | null;
  loss: number | null;
  heldOutAccuracy: number | null;
  readonly createTimeMs: number;
  startTimeMs: number | null;
  endTimeMs: number | null;
  outcome: 'paused' | 'completed' | null;
  stopReason: 'pause' | 'cancel' | 'close' | 'preempt' | null;
  pauseResult: Promise<number> | null;
  /** Why the backend stopped a trainer that misbehaved. */
  failureReason: string | null;
  error: TrainingJobError | null;
}

/**
 * The local twin of Vertex AI CustomJobs: each job is a real trainer
 * child process that advances one step per (1 h / stepsPerVirtualHour) of
 * virtual time. Every step is taken under a hold on the virtual clock, so
 * time never runs ahead of the trainer. A CustomJob cannot pause, and
 * neither can this: a pause is a checkpoint followed by cancellation, and
 * the next segment is a new job on the same directory that resumes.
 */
export class LocalTrainingBackend {
  private readonly clock: VirtualClock;
  private readonly logger: Logger | undefined;
  private readonly jobs = new Map<string, JobRecord>();
  private readonly busyDirectories = new Map<string, string>();
  private closed = false;

  constructor(options: LocalTrainingBackendOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
  }

  /**
   * Starts a segment, or returns the existing one of the same name: a
   * repeated create never starts a second process.
   *
   * @returns the job name, `local/<jobId>/segment-<segmentIndex>`
   * @throws TrainingJobSpecError for an invalid field
   * @throws TrainingJobDirectoryBusyError while another segment runs on
   *   the same jobDir
   */
  async createJob(spec: LocalTrainingJobSpec): Promise<string> {
    if (this.closed) throw new TrainingBackendClosedError();
    const parsed = LocalTrainingJobSpec.safeParse(spec);
    if (!parsed.success) {
      const issues = describeIssues(parsed.error)
        .map((issue) => `${issue.field} ${issue.problem}`)
        .join('; ');
      throw new TrainingJobSpecError(`training job spec: ${issues}`);
    }
    const valid = parsed.data;
    const name = `local/${valid.jobId}/segment-${valid.segmentIndex}`;
    if (this.jobs.has(name)) return name;

    const jobDir = path.resolve(valid.jobDir);
    const busyWith = this.busyDirectories.get(jobDir);
    if (busyWith) throw new TrainingJobDirectoryBusyError(jobDir, busyWith);
    const job = this.startJob(name, {...valid, jobDir});
    this.logger?.log('INFO', 'training job created', {
      jobName: name,
      jobDir,
      maxSteps: valid.maxSteps,
      processId: job.process.processId,
      ...(valid.testFault ? {testFault: valid.testFault} : {}),
    });
    return name;
  }

  /**
   * The job's state and progress, as of the virtual clock's now.
   *
   * @throws TrainingJobNotFoundError for an unknown name
   */
  getJob(name: string): LocalTrainingJob {
    return this.snapshot(this.find(name));
  }

  /**
   * Pauses a job the only way a CustomJob can: the trainer checkpoints at
   * its current step and exits, and the job ends JOB_STATE_CANCELLED. The
   * clock is held throughout. Asking twice gives the same answer.
   *
   * @returns the step of the checkpoint to resume from
   * @throws TrainingJobStateError when the job had already failed or was
   *   cancelled without a checkpoint
   */
  requestPause(name: string): Promise<number> {
    const job = this.find(name);
    if (job.pauseResult) return job.pauseResult;
    const finalStep = job.lastCheckpointStep;
    if (job.state === 'JOB_STATE_SUCCEEDED' && finalStep !== null) {
      return Promise.resolve(finalStep);
    }
    if (TERMINAL_STATES.has(job.state) || job.stopReason) {
      return Promise.reject(
        new TrainingJobStateError(name, job.state, 'pause'),
      );
    }
    job.pauseResult = this.pause(job);
    return job.pauseResult;
  }

  /**
   * Cancels a job without a checkpoint (steps since the last one are
   * lost); a no-op for a job that has ended.
   *
   * @returns the job after cancellation
   */
  async cancelJob(name: string): Promise<LocalTrainingJob> {
    const job = this.find(name);
    if (TERMINAL_STATES.has(job.state)) return this.snapshot(job);
    if (job.pauseResult) {
      await job.pauseResult.catch(() => {});
      return this.snapshot(job);
    }
    const release = this.clock.hold(`trainer cancel ${name}`);
    try {
      job.stopReason ??= 'cancel';
      job.state = 'JOB_STATE_CANCELLING';
      job.process.kill('SIGTERM');
      await this.awaitExit(job);
    } finally {
      release();
    }
    return this.snapshot(job);
  }

  /**
   * Every checkpoint manifest of `jobDir`, ascending by step, each with
   * the reason it cannot be used (or null).
   */
  listCheckpoints(jobDir: string): Promise<CheckpointListing[]> {
    return listCheckpointManifests(jobDir);
  }

  /** The highest-step valid checkpoint of `jobDir`, or null. */
  async latestCheckpoint(jobDir: string): Promise<LatestCheckpoint | null> {
    const latest = await findLatestValidCheckpoint(jobDir);
    if (!latest) return null;
    return {
      step: latest.manifest.step,
      manifestPath: latest.manifestPath,
      loss: latest.manifest.loss,
    };
  }

  /** How many trainer processes are alive, for diagnostics and tests. */
  liveProcessCount(): number {
    return [...this.jobs.values()].filter((job) => job.process.isRunning())
      .length;
  }

  /** Kills every trainer still running and waits for them to exit. */
  async close(): Promise<void> {
    this.closed = true;
    const live = [...this.jobs.values()].filter((job) =>
      job.process.isRunning(),
    );
    for (const job of live) {
      job.stopReason ??= 'close';
      job.process.kill('SIGKILL');
    }
    await Promise.all(live.map((job) => this.awaitExit(job)));
  }

  private startJob(name: string, spec: LocalTrainingJobSpec): JobRecord {
    mkdirSync(spec.jobDir, {recursive: true});
    // A new segment is an explicit resume: an old signal must not stop it.
    rmSync(path.join(spec.jobDir, PAUSE_SIGNAL_FILE), {force: true});
    const releaseBoot = this.clock.hold(`trainer boot ${name}`);
    const trainer = new TrainerProcess({
      jobDir: spec.jobDir,
      maxSteps: spec.maxSteps,
      checkpointEverySteps: spec.checkpointEverySteps,
      seed: spec.seed,
      ...(spec.testFault ? {testFault: spec.testFault} : {}),
    });
    const job: JobRecord = {
      name,
      spec,
      process: trainer,
      state: 'JOB_STATE_PENDING',
      step: null,
      startStep: null,
      resumedFromStep: null,
      lastCheckpointStep: null,
      loss: null,
      heldOutAccuracy: null,
      createTimeMs: this.clock.nowMs(),
      startTimeMs: null,
      endTimeMs: null,
      outcome: null,
      stopReason: null,
      pauseResult: null,
      failureReason: null,
      error: null,
    };
    this.jobs.set(name, job);
    this.busyDirectories.set(spec.jobDir, name);
    void trainer.exited.then(() => this.finalize(job));
    void this.drive(job, releaseBoot);
    return job;
  }

  // Boot (clock held), provisioning, then one step per step interval.
  private async drive(job: JobRecord, releaseBoot: () => void): Promise<void> {
    try {
      const ready = await job.process.ready;
      job.step = ready.step;
      job.startStep = ready.step;
      job.resumedFromStep = ready.resumedFromStep;
      job.lastCheckpointStep = ready.lastCheckpointStep;
    } catch {
      await this.awaitExit(job);
      return;
    } finally {
      releaseBoot();
    }

    await this.clock.sleepUntil(job.createTimeMs + job.spec.provisioningMs);
    if (job.state !== 'JOB_STATE_PENDING') return;
    job.state = 'JOB_STATE_RUNNING';
    const startTimeMs = this.clock.nowMs();
    job.startTimeMs = startTimeMs;
    this.logger?.log('INFO', 'training job running', {
      jobName: job.name,
      step: job.step,
      resumedFromStep: job.resumedFromStep,
    });

    for (let stepIndex = 1; ; stepIndex++) {
      await this.clock.sleepUntil(
        startTimeMs +
          Math.round((stepIndex * HOUR_MS) / job.spec.stepsPerVirtualHour),
      );
      if (job.state !== 'JOB_STATE_RUNNING') return;
      if (!(await this.runStep(job))) return;
      if (this.preemptionDue(job)) {
        await this.preempt(job);
        return;
      }
    }
  }

  // Whether the segment has run the steps after which it is reclaimed.
  private preemptionDue(job: JobRecord): boolean {
    const after = job.spec.preemptAfterSteps;
    if (after === undefined || job.step === null || job.startStep === null) {
      return false;
    }
    return job.state === 'JOB_STATE_RUNNING' &&
      job.step - job.startStep >= after;
  }

  // A reclaimed machine: the trainer is killed without warning (the
  // steps since its last checkpoint are lost) and the job ends FAILED.
  private async preempt(job: JobRecord): Promise<void> {
    const release = this.clock.hold(`trainer preempt ${job.name}`);
    try {
      job.stopReason = 'preempt';
      job.failureReason = 'the Spot VM was preempted';
      this.logger?.log('NOTICE', 'training job preempted', {
        jobName: job.name, step: job.step,
        lastCheckpointStep: job.lastCheckpointStep,
      });
      job.process.kill('SIGKILL');
      await this.awaitExit(job);
    } finally {
      release();
    }
  }

  // Sends `run 1` under a clock hold; false once the job is over.
  private async runStep(job: JobRecord): Promise<boolean> {
    const release = this.clock.hold(`trainer step ${job.name}`);
    try {
      this.apply(job, await job.process.request({type: 'run', steps: 1}));
      if (job.outcome) await this.awaitExit(job);
      return job.outcome === null;
    } catch (error) {
      this.stopMisbehaving(job, error);
      await this.awaitExit(job);
      return false;
    } finally {
      release();
    }
  }

  private async pause(job: JobRecord): Promise<number> {
    const release = this.clock.hold(`trainer pause ${job.name}`);
    const signalPath = path.join(job.spec.jobDir, PAUSE_SIGNAL_FILE);
    try {
      job.stopReason = 'pause';
      job.state = 'JOB_STATE_CANCELLING';
      await writeFile(signalPath, `${this.clock.nowMs()}\n`);
      try {
        this.apply(job, await job.process.request({type: 'run', steps: 0}));
        if (!job.outcome) {
          this.stopMisbehaving(job, 'the trainer ignored the pause signal');
        }
      } catch (error) {
        // An in-flight step may have seen the signal and exited: the
        // outcome below tells.
        this.stopMisbehaving(job, error);
      }
      await this.awaitExit(job);
    } finally {
      await rm(signalPath, {force: true});
      release();
    }
    if (job.outcome && job.lastCheckpointStep !== null) {
      return job.lastCheckpointStep;
    }
    throw new TrainingJobStateError(job.name, job.state, 'pause');
  }

  private apply(job: JobRecord, reply: TrainerReply): void {
    job.step = reply.step;
    if (reply.type === 'ran') {
      job.loss = reply.loss;
      job.lastCheckpointStep = reply.lastCheckpointStep;
      return;
    }
    job.endTimeMs = this.clock.nowMs();
    job.lastCheckpointStep = reply.checkpointStep;
    if (reply.type === 'paused') {
      job.outcome = 'paused';
    } else {
      job.outcome = 'completed';
      job.loss = reply.loss;
      job.heldOutAccuracy = reply.heldOutAccuracy;
    }
  }

  // A trainer that is still alive after a failed exchange broke the
  // protocol: it is killed so that nobody waits on it forever.
  private stopMisbehaving(job: JobRecord, problem: unknown): void {
    if (!job.process.isRunning()) return;
    job.failureReason ??=
      problem instanceof Error ? problem.message : String(problem);
    job.process.kill('SIGKILL');
  }

  // Waits for the process to end and records the final state.
  private async awaitExit(job: JobRecord): Promise<void> {
    await job.process.exited;
    this.finalize(job);
  }

  private finalize(job: JobRecord): void {
    if (TERMINAL_STATES.has(job.state)) return;
    const exit = job.process.exitStatus();
    job.endTimeMs ??= this.clock.nowMs();
    if (this.busyDirectories.get(job.spec.jobDir) === job.name) {
      this.busyDirectories.delete(job.spec.jobDir);
    }
    if (job.outcome && exit?.exitCode === 0 && !job.failureReason) {
      job.state = job.outcome === 'completed'
        ? 'JOB_STATE_SUCCEEDED'
        : 'JOB_STATE_CANCELLED';
    } else if (
      !job.failureReason &&
      (job.stopReason === 'cancel' || job.stopReason === 'close')
    ) {
      job.state = 'JOB_STATE_CANCELLED';
    } else {
      job.state = 'JOB_STATE_FAILED';
      job.error = {
        message:
          job.failureReason ??
          `trainer exited with code ${exit?.exitCode ?? 'none'} and ` +
            `signal ${exit?.signal ?? 'none'} before finishing`,
        stderrTail: exit?.stderrTail ?? '',
      };
    }
    this.logger?.log(
      job.state === 'JOB_STATE_FAILED' ? 'ERROR' : 'INFO',
      'training job ended',
      {jobName: job.name, state: job.state, step: job.step},
    );
  }

  private find(name: string): JobRecord {
    const job = this.jobs.get(name);
    if (!job) throw new TrainingJobNotFoundError(name);
    return job;
  }

  private snapshot(job: JobRecord): LocalTrainingJob {
    const nowMs = job.endTimeMs ?? this.clock.nowMs();
    return {
      name: job.name,
      jobId: job.spec.jobId,
      segmentIndex: job.spec.segmentIndex,
      regionId: job.spec.regionId,
      jobDir: job.spec.jobDir,
      state: job.state,
      step: job.step,
      resumedFromStep: job.resumedFromStep,
      stepsRun:
        job.step === null || job.startStep === null
          ? 0
          : job.step - job.startStep,
      lastCheckpointStep: job.lastCheckpointStep,
      loss: job.loss,
      heldOutAccuracy: job.heldOutAccuracy,
      createTimeMs: job.createTimeMs,
      startTimeMs: job.startTimeMs,
      endTimeMs: job.endTimeMs,
      runningMs: job.startTimeMs === null ? 0 : nowMs - job.startTimeMs,
      energyRelevantMs: nowMs - job.createTimeMs,
      processId: job.process.processId,
      error: job.error,
      preempted: job.state === 'JOB_STATE_FAILED' &&
        job.stopReason === 'preempt',
    };
  }
}
