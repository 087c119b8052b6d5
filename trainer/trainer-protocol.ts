import {z} from 'zod';

/**
 * Parent to trainer: run up to `steps` steps, checking the pause signal
 * between steps; `steps: 0` only checks the signal.
 */
export const RunCommand = z.strictObject({
  type: z.literal('run'),
  steps: z.number().int().nonnegative(),
});
export type RunCommand = z.infer<typeof RunCommand>;

const step = z.number().int().nonnegative();

/** Sent once, after any checkpoint was restored, before any command. */
export const ReadyReply = z.strictObject({
  type: z.literal('ready'),
  step,
  resumedFromStep: step.nullable(),
  lastCheckpointStep: step.nullable(),
  parameterCount: z.number().int().positive(),
});

/** The steps ran and no pause signal was found. */
export const RanReply = z.strictObject({
  type: z.literal('ran'),
  step,
  loss: z.number().nullable(),
  lastCheckpointStep: step.nullable(),
  /** Mean real time of the steps just run; null when none ran. */
  stepMilliseconds: z.number().nonnegative().nullable(),
});

/** The pause signal was found: checkpoint written, the trainer exits 0. */
export const PausedReply = z.strictObject({
  type: z.literal('paused'),
  step,
  checkpointStep: step,
  manifestPath: z.string(),
});

/** The step budget is spent: checkpointed, evaluated, exits 0. */
export const CompletedReply = z.strictObject({
  type: z.literal('completed'),
  step,
  loss: z.number().nullable(),
  heldOutAccuracy: z.number().min(0).max(1),
  checkpointStep: step,
  manifestPath: z.string(),
});

/** The command was not understood; the trainer carries on. */
export const RejectedReply = z.strictObject({
  type: z.literal('rejected'),
  reason: z.string(),
});

/** Every message the trainer sends to its parent. */
export const TrainerMessage = z.discriminatedUnion('type', [
  ReadyReply,
  RanReply,
  PausedReply,
  CompletedReply,
  RejectedReply,
]);
export type TrainerMessage = z.infer<typeof TrainerMessage>;
export type ReadyReply = z.infer<typeof ReadyReply>;
export type RanReply = z.infer<typeof RanReply>;
export type PausedReply = z.infer<typeof PausedReply>;
export type CompletedReply = z.infer<typeof CompletedReply>;
export type RejectedReply = z.infer<typeof RejectedReply>;
/** A reply to an understood run command. */
export type TrainerReply = RanReply | PausedReply | CompletedReply;

/** The file whose presence asks the trainer to checkpoint and stop. */
export const PAUSE_SIGNAL_FILE = 'PAUSE';
