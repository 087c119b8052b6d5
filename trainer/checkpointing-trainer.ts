import {existsSync} from 'node:fs';
import path from 'node:path';
import type {Logger} from '../shared/ports/logger.js';
import {
  findLatestValidCheckpoint,
  writeCheckpoint,
} from './checkpoint-store.js';
import type {CheckpointWriteHooks} from './checkpoint-store.js';
import type {TrainerArguments} from './trainer-arguments.js';
import {PAUSE_SIGNAL_FILE} from './trainer-protocol.js';
import type {
  ReadyReply,
  RunCommand,
  TrainerReply,
} from './trainer-protocol.js';
import {killThisProcessForTest} from './trainer-test-faults.js';
import {TrainingSession} from './training-session.js';

/**
 * The trainer's control loop: resumes from the highest valid checkpoint,
 * runs steps on command, checkpoints every N steps, on the pause signal
 * and at the end of the budget, and answers each command with one reply.
 * After a `paused` or `completed` reply it is finished.
 */
export class CheckpointingTrainer {
  private lastCheckpoint: {step: number; manifestPath: string} | null =
    null;
  private resumedFromStep: number | null = null;
  private finishedReply: TrainerReply | null = null;

  private constructor(
    private readonly options: TrainerArguments,
    private readonly session: TrainingSession,
    private readonly logger: Logger,
  ) {}

  /**
   * Builds the session and restores the highest-step valid checkpoint of
   * `options.jobDir`, passing over (with a warning) any whose manifest or
   * files are missing or corrupt.
   */
  static async start(
    options: TrainerArguments,
    logger: Logger,
  ): Promise<CheckpointingTrainer> {
    const session = new TrainingSession(options.seed);
    const trainer = new CheckpointingTrainer(options, session, logger);
    await trainer.resume();
    return trainer;
  }

  /** The message announcing that commands may come. */
  readyReply(): ReadyReply {
    return {
      type: 'ready',
      step: this.session.step,
      resumedFromStep: this.resumedFromStep,
      lastCheckpointStep: this.lastCheckpoint?.step ?? null,
      parameterCount: this.session.parameterCount(),
    };
  }

  /** Steps completed so far, restored ones included. */
  currentStep(): number {
    return this.session.step;
  }

  /** True once a paused or completed reply was given. */
  isFinished(): boolean {
    return this.finishedReply !== null;
  }

  /**
   * Runs up to `command.steps` steps. It completes as soon as the step
   * budget is reached; otherwise, before each step and when no step is
   * asked for, it looks for the pause signal.
   */
  async run(command: RunCommand): Promise<TrainerReply> {
    if (this.finishedReply) return this.finishedReply;
    let stepsRun = 0;
    let realMilliseconds = 0;
    for (let index = 0; index < Math.max(command.steps, 1); index++) {
      if (this.session.step >= this.options.maxSteps) {
        return this.finish(await this.complete());
      }
      if (this.pauseSignalled()) return this.finish(await this.pause());
      if (index >= command.steps) break;

      const startedMs = performance.now();
      const loss = this.session.trainStep();
      const stepMilliseconds = performance.now() - startedMs;
      realMilliseconds += stepMilliseconds;
      stepsRun += 1;
      this.logger.log('DEBUG', 'step finished', {
        step: this.session.step,
        loss,
        stepMilliseconds,
      });
      await this.checkpointIfDue();
    }
    if (this.session.step >= this.options.maxSteps) {
      return this.finish(await this.complete());
    }
    return {
      type: 'ran',
      step: this.session.step,
      loss: this.session.loss,
      lastCheckpointStep: this.lastCheckpoint?.step ?? null,
      stepMilliseconds: stepsRun ? realMilliseconds / stepsRun : null,
    };
  }

  /** Frees the session's tensors. */
  dispose(): void {
    this.session.dispose();
  }

  private async resume(): Promise<void> {
    const {jobDir} = this.options;
    const checkpoint = await findLatestValidCheckpoint(jobDir, (skipped) =>
      this.logger.log('WARNING', 'checkpoint skipped', {
        step: skipped.step,
        manifestPath: skipped.manifestPath,
        problem: skipped.problem,
      }),
    );
    if (!checkpoint) {
      this.logger.log('INFO', 'training from scratch', {step: 0});
      return;
    }
    await this.session.restore(jobDir, checkpoint);
    const {step} = checkpoint.manifest;
    this.resumedFromStep = step;
    this.lastCheckpoint = {step, manifestPath: checkpoint.manifestPath};
    this.logger.log('INFO', 'resumed from checkpoint', {
      step,
      manifestPath: checkpoint.manifestPath,
      maxSteps: this.options.maxSteps,
    });
    if (step > this.options.maxSteps) {
      this.logger.log('WARNING', 'checkpoint is past the step budget', {
        step,
        maxSteps: this.options.maxSteps,
      });
    }
  }

  private pauseSignalled(): boolean {
    return existsSync(path.join(this.options.jobDir, PAUSE_SIGNAL_FILE));
  }

  private async checkpointIfDue(): Promise<void> {
    const {step} = this.session;
    if (step % this.options.checkpointEverySteps === 0) {
      await this.checkpoint();
    }
  }

  // Writes a checkpoint of the current step unless one already exists.
  private async checkpoint(
    hooks: CheckpointWriteHooks = {},
  ): Promise<{step: number; manifestPath: string}> {
    const {step} = this.session;
    if (this.lastCheckpoint?.step === step) return this.lastCheckpoint;
    const record = await this.session.checkpointRecord();
    const {manifestPath} = await writeCheckpoint(
      this.options.jobDir, record, hooks);
    this.lastCheckpoint = {step, manifestPath};
    this.logger.log('INFO', 'checkpoint written', {
      step,
      manifestPath,
      loss: record.loss,
    });
    return this.lastCheckpoint;
  }

  private async pause(): Promise<TrainerReply> {
    const {step, manifestPath} = await this.checkpoint(this.pauseFault());
    this.logger.log('INFO', 'paused on signal', {step, manifestPath});
    return {
      type: 'paused',
      step: this.session.step,
      checkpointStep: step,
      manifestPath,
    };
  }

  // The test-only fault of the pause checkpoint, when one was asked for.
  private pauseFault(): CheckpointWriteHooks {
    if (this.options.testFault !== 'kill-before-pause-manifest') return {};
    return {
      beforeManifest: () => {
        this.logger.log('WARNING', 'test fault: killed before the manifest',
          {step: this.session.step, testFault: this.options.testFault});
        return killThisProcessForTest();
      },
    };
  }

  private async complete(): Promise<TrainerReply> {
    const {step, manifestPath} = await this.checkpoint();
    const heldOutAccuracy = this.session.heldOutAccuracy();
    this.logger.log('INFO', 'training completed', {
      step,
      loss: this.session.loss,
      heldOutAccuracy,
    });
    return {
      type: 'completed',
      step: this.session.step,
      loss: this.session.loss,
      heldOutAccuracy,
      checkpointStep: step,
      manifestPath,
    };
  }

  private finish(reply: TrainerReply): TrainerReply {
    this.finishedReply = reply;
    return reply;
  }
}
